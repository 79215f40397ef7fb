"""The desktop front ends: the tray icon and the live log viewer.

Both are pure clients of the control API, so they work the same against a supervisor run by
`sellintegro run` (the tray in-process) and against a service (`sellintegro tray`, the viewer process).
They only render state and send commands; policy stays in the supervisor core.

  health.py      status -> at-a-glance health, tooltip, FATAL notifications   (pure)
  menu.py        status -> the tray menu model, and its pystray rendering       (pure model)
  icons.py       health -> the icon image (Pillow, artwork from assets/)
  xorg.py        the xorg backend fix (ButtonPressMask) and double-click detection
  win32click.py  the Windows double-click (WM_LBUTTONDBLCLK) behind an injectable seam
  opener.py      open a folder or file with the desktop's default program; start the viewer
  tray.py        open_tray(): the pystray icon, the status poller, the command thread
  instance.py    one viewer per endpoint and user: a lock plus a loopback request channel
  livelog.py     the viewer's log follower (backfill, pause, reconnect) and status poller
  viewmodel.py   the viewer's record buffer, filters and export                     (pure)
  procs.py       the Processes tab's figures (psutil) and rows
  viewer.py      the Tk log viewer process: `python -m sellintegro.desktop.viewer --config PATH`
  panes.py       the viewer's journal and processes tabs
"""
