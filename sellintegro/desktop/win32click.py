"""The Windows tray double-click, which pystray 0.19.5 lacks.

pystray's win32 backend fires the default menu item on every WM_LBUTTONUP, so a double-click fires it
twice and a single click acts too. The shell reports a double-click to the icon's callback message
(pystray's WM_NOTIFY) as lParam == WM_LBUTTONDBLCLK, which pystray ignores. `install` puts a handler
in front of pystray's: WM_LBUTTONDBLCLK opens the log viewer once, WM_LBUTTONUP does nothing (a single
click does nothing, as in the product we replace), and every other message (the right-click menu)
goes on to pystray's handler.

The viewer is another process: Windows lets it come to the foreground only if the process that got
the click allows it (AllowSetForegroundWindow), so the handler does that first.

The win32 calls and constants come in through `Win32`, so the logic is tested with a recording fake.
This module has not been run on Windows; the tests run it only against that fake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

WM_LBUTTONUP = 0x0202
WM_LBUTTONDBLCLK = 0x0203
ASFW_ANY = -1  # AllowSetForegroundWindow: any process may take the foreground


class Win32(Protocol):
    WM_NOTIFY: int  # the icon's callback message (pystray: WM_USER + 11)

    def allow_set_foreground(self) -> None: ...


class RealWin32:
    """The real calls, through ctypes and pystray's own constants."""

    def __init__(self) -> None:
        from pystray._util import win32  # pystray's private module: its WM_NOTIFY is what it registers

        self.WM_NOTIFY = int(win32.WM_NOTIFY)

    def allow_set_foreground(self) -> None:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)  # type: ignore[attr-defined]  # Windows only


def install(icon: Any, on_double_click: Callable[[], None], api: Win32) -> None:
    """Route the icon's WM_NOTIFY through our handler first; `on_double_click` must not block."""
    handlers: dict[int, Callable[[int, int], Any]] = icon._message_handlers
    pystray_handler = handlers[api.WM_NOTIFY]

    def on_notify(wparam: int, lparam: int) -> Any:
        if lparam == WM_LBUTTONDBLCLK:
            api.allow_set_foreground()
            on_double_click()
            return 0
        if lparam == WM_LBUTTONUP:
            return 0
        return pystray_handler(wparam, lparam)

    handlers[api.WM_NOTIFY] = on_notify
