"""The tray icon: a pure client of the control API, in the supervisor's process or beside a service.

`open_tray(config, attached)` returns an object whose `run()` owns the main thread (pystray needs it)
until `stop()` (thread-safe) or the menu's Quit ends it. Three threads take part:
  - pystray's loop (the main thread): clicks and menu choices, which only queue a command;
  - the poller: GET /v1/status about once a second -> icon colour, tooltip, menu, notifications;
  - the command thread: runs queued commands (control API calls, opening folders, the viewer).
Every change to the icon goes through `_in_loop` under one lock that `stop()` also takes, so no
update follows the stop. On xorg, `_in_loop` hands the change to pystray's loop thread, the only
thread that may use its X connection (xorg.py says why); other backends take calls from any thread.

pystray is imported only here, inside `open_tray`: without a display, importing it raises an Xlib
error rather than ImportError. Every failure to set up becomes `TrayUnavailable` with a one-line
reason, and `sellintegro run` then goes on headless.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from .. import places
from ..config import Config
from ..control import ControlClient
from ..errors import ControlError
from ..messages import msg
from . import health as health_mod
from . import icons, instance, menu, opener, xorg
from .health import Health
from .menu import Command

POLL_EVERY = 1.0
ICON_SIZE = 64


class TrayUnavailable(Exception):
    """No tray can be shown here; the message is one line saying why."""


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def load_pystray() -> Any:
    """The pystray module with a working backend, or TrayUnavailable."""
    if sys.platform not in ("win32", "darwin") and not os.environ.get("DISPLAY"):
        raise TrayUnavailable(msg("desktop.no_display"))
    display = os.environ.get("DISPLAY", "")
    try:
        import pystray
    except Exception as e:  # noqa: BLE001 - without a display Xlib raises its own errors, not ImportError
        if type(e).__module__.startswith("Xlib"):
            raise TrayUnavailable(msg("desktop.display_failed", display=display, reason=_one_line(e))) from None
        raise TrayUnavailable(msg("desktop.backend_failed", reason=_one_line(e))) from None
    if backend_name(pystray) == "xorg":
        # The xorg backend docks into an XEmbed tray host; without one it logs and shows nothing.
        try:
            missing = xorg.tray_host_missing(display)
        except Exception as e:  # noqa: BLE001 - any X failure means no tray here
            raise TrayUnavailable(msg("desktop.display_failed", display=display, reason=_one_line(e))) from None
        if missing:
            raise TrayUnavailable(msg("desktop.no_tray_host", display=display, selection=missing))
    return pystray


def backend_name(pystray: Any) -> str:
    """'xorg', 'win32', 'gtk', 'appindicator', 'darwin' or 'dummy'."""
    return str(pystray.Icon.__module__).rsplit(".", 1)[-1].lstrip("_")


def open_tray(config: Config, attached: bool = False) -> Tray:
    """The tray for the endpoint of `config`; `attached`: beside a supervisor this process does not own."""
    pystray = load_pystray()
    try:
        return Tray(config, attached, pystray)
    except TrayUnavailable:
        raise
    except Exception as e:  # noqa: BLE001 - a backend failing to build its icon means no tray
        raise TrayUnavailable(msg("desktop.backend_failed", reason=_one_line(e))) from None


class Tray:
    def __init__(self, config: Config, attached: bool, pystray: Any) -> None:
        self.config = config
        self.attached = attached
        self.pystray = pystray
        self.data_dir = config.endpoint.data_dir
        self.codes = [p.code for p in config.plugins]
        self.hang_timeouts = {p.code: p.hang_timeout for p in config.plugins}
        self.backend = backend_name(pystray)
        self.tip_max = health_mod.WIN32_TIP_MAX if self.backend == "win32" else 1000
        self.commands: queue.Queue[Command | None] = queue.Queue()
        self.poll_now = threading.Event()
        self.stopped = threading.Event()
        self.lock = threading.Lock()  # every icon change and stop() (see the module docstring)
        self.closing = False
        self.icon_running = False
        self.status: dict[str, Any] | None = None
        self.client: ControlClient | None = None
        self.viewer_proc: Any = None
        self.threads: list[threading.Thread] = []
        self.refreshes = 0  # status polls applied so far (tests wait on it)

        self.health = Health.DISCONNECTED
        self.tip = health_mod.tooltip(None, config.endpoint.name, max_len=self.tip_max)
        self.entries = menu.build(None, self.codes, attached)
        icon_class = pystray.Icon
        show_logs = self._show_logs_clicked
        if self.backend == "xorg":
            icon_class = xorg.icon_class(pystray.Icon, on_double_click=show_logs, on_context=show_logs)
        self.icon = icon_class("sellintegro", icon=icons.draw(self.health, ICON_SIZE), title=self.tip,
                               menu=menu.to_pystray(self.entries, self.submit, pystray))
        if self.backend == "win32":
            from . import win32click

            win32click.install(self.icon, show_logs, win32click.RealWin32())

    # -- the front-end contract of Runner.run(front) -----------------------------------------------------
    def run(self) -> None:
        """Show the icon and handle it until stop() or Quit; must be called on the main thread."""
        with self.lock:
            if self.closing:
                return
        try:
            self.icon.run(setup=self._setup)
        finally:
            getattr(self.icon, "close_waker", lambda: None)()
            self.stopped.set()
            self.poll_now.set()
            self.commands.put(None)
            for t in self.threads:
                t.join(timeout=10)

    def stop(self) -> None:
        """End run(); safe from any thread but pystray's own loop (commands run on their own thread)."""
        with self.lock:
            if self.closing:
                return
            self.closing = True
            running = self.icon_running
        self.stopped.set()
        self.poll_now.set()
        self.commands.put(None)
        if running:
            self._in_loop(self.icon.stop)

    def stop_on_signals(self) -> None:
        """SIGINT/SIGTERM end run() (for `sellintegro tray`; in `run`, the supervisor owns the signals)."""
        def handler(_signum: int, _frame: Any) -> None:
            # The handler runs on the main thread, which is pystray's loop, and stop() takes the lock an
            # icon update holds while (on some backends) it waits for that loop: a thread of its own.
            threading.Thread(target=self.stop, name="tray-signal", daemon=True).start()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, handler)

    def _setup(self, icon: Any) -> None:
        with self.lock:
            self.icon_running = True
            if self.closing:
                self._in_loop(icon.stop)
                return
            self._in_loop(lambda: setattr(icon, "visible", True))
        for target, name in ((self._poll_loop, "tray-poller"), (self._command_loop, "tray-commands")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self.threads.append(t)

    def _in_loop(self, fn: Any) -> None:
        """Apply a change to the icon where the backend wants it (xorg: on its loop thread)."""
        call_in_loop = getattr(self.icon, "call_in_loop", None)
        if call_in_loop is None:
            fn()
        else:
            call_in_loop(fn)

    # -- status -> icon -----------------------------------------------------------------------------------
    def _fetch(self) -> dict[str, Any] | None:
        try:
            if self.client is None:
                self.client = ControlClient(places.run_dir(self.data_dir), self.data_dir, timeout=5.0)
            return self.client.call("GET", "/v1/status")
        except (ControlError, OSError, ValueError):
            self.client = None  # the next poll re-reads control.json: the supervisor may come back elsewhere
            return None

    def _poll_loop(self) -> None:
        while not self.stopped.is_set():
            self.refresh()
            self._reap_viewer()
            self.poll_now.wait(POLL_EVERY)
            self.poll_now.clear()

    def refresh(self) -> None:
        """Poll once and bring the icon, tooltip and menu up to date."""
        status = self._fetch()
        fatal = health_mod.newly_fatal(self.status, status)
        self.status = status
        state = health_mod.health(status, self.hang_timeouts)
        tip = health_mod.tooltip(status, self.config.endpoint.name, self.hang_timeouts, self.tip_max)
        entries = menu.build(status, self.codes, self.attached)
        icon = self.icon
        with self.lock:
            if self.closing:
                return
            if state != self.health:
                image = icons.draw(state, ICON_SIZE)
                self._in_loop(lambda: setattr(icon, "icon", image))
                self.health = state
            if tip != self.tip:
                self._in_loop(lambda: setattr(icon, "title", tip))
                self.tip = tip
            if entries != self.entries:
                rendered = menu.to_pystray(entries, self.submit, self.pystray)
                self._in_loop(lambda: setattr(icon, "menu", rendered))
                self.entries = entries
            self.refreshes += 1
        for code, error in fatal:
            self._tell(msg("desktop.notify.fatal", code=code, error=error or "-"))

    def _tell(self, text: str) -> None:
        """A notification where the backend has them; always a line on stderr (a service's journal)."""
        print(f"sellintegro tray: {text}", file=sys.stderr, flush=True)
        if not getattr(self.icon, "HAS_NOTIFICATION", False):
            return
        with self.lock:
            if not self.closing:
                self._in_loop(lambda: self.icon.notify(text, "Sellintegro"))

    # -- commands -----------------------------------------------------------------------------------------
    def submit(self, command: Command) -> None:
        """Queue a command; called from pystray's loop, so it never blocks."""
        self.commands.put(command)

    def _show_logs_clicked(self) -> None:
        self.submit(("show_logs",))

    def _command_loop(self) -> None:
        while True:
            command = self.commands.get()
            if command is None:
                return
            try:
                self.execute(command)
            except (ControlError, opener.OpenFailed, OSError) as e:
                self._tell(msg("desktop.notify.failed", action=" ".join(command), reason=_one_line(e)))
            self.poll_now.set()

    def _call(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        client = ControlClient(places.run_dir(self.data_dir), self.data_dir)
        return client.call("POST", path, body)

    def _supervisor(self, key: str, default: Path) -> Path:
        value = (self.status or {}).get("supervisor", {}).get(key)
        return Path(value) if value else default

    def execute(self, command: Command) -> None:
        """Carry out one menu command (on the command thread)."""
        kind, *args = command
        if kind == "show_logs":
            self.show_logs()
        elif kind == "restart":
            self._call("/v1/restart", {"code": args[0]})
        elif kind == "restart_all":
            self._call("/v1/restart", {"all": True})
        elif kind in ("run_now", "pause", "resume"):
            self._call("/v1/" + kind.replace("_", "-"), {"code": args[0]})
        elif kind == "stop_endpoint":
            self._call("/v1/stop")
        elif kind == "open_logs":
            opener.open_path(places.logs_dir(self._supervisor("data_dir", self.data_dir)))
        elif kind == "open_config":
            opener.open_path(self._supervisor("config", self.config.path), edit=True)
        elif kind == "quit":
            self.stop()
        else:
            raise ValueError(f"unknown tray command {command!r}")

    def show_logs(self) -> None:
        """Bring the open viewer to the front, or start one (never a second)."""
        key = instance.key_for(self.data_dir)
        try:
            instance.request(key, {"cmd": "focus"}, timeout=3.0)
            return
        except instance.NoViewer:
            pass
        if self.viewer_proc is not None and self.viewer_proc.poll() is None:
            return  # started a moment ago and not listening yet: its window is on its way
        self.viewer_proc = opener.start_viewer(opener.viewer_command(self.config.path, self.data_dir))

    def _reap_viewer(self) -> None:
        if self.viewer_proc is not None and self.viewer_proc.poll() is not None:
            self.viewer_proc = None
