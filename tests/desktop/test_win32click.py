"""The Windows double-click seam, against a recording fake.

Not run on Windows: these tests drive the handler the way pystray's window procedure would, with
the message numbers Windows uses, and record the win32 calls it makes.
"""

from __future__ import annotations

from typing import Any

from sellintegro.desktop import win32click
from sellintegro.desktop.win32click import WM_LBUTTONDBLCLK, WM_LBUTTONUP

WM_LBUTTONDOWN, WM_RBUTTONUP = 0x0201, 0x0205
WM_NOTIFY = 0x0400 + 11


class FakeWin32:
    WM_NOTIFY = WM_NOTIFY

    def __init__(self) -> None:
        self.calls: list[str] = []

    def allow_set_foreground(self) -> None:
        self.calls.append("AllowSetForegroundWindow(ASFW_ANY)")


class FakeIcon:
    """pystray's win32 Icon as far as the seam sees it: a message -> handler map."""

    def __init__(self) -> None:
        self.pystray_saw: list[int] = []
        self._message_handlers: dict[int, Any] = {WM_NOTIFY: lambda w, lp: self.pystray_saw.append(lp)}

    def send(self, lparam: int) -> Any:
        return self._message_handlers[WM_NOTIFY](0, lparam)


def installed() -> tuple[FakeIcon, FakeWin32, list[str]]:
    icon, api, opened = FakeIcon(), FakeWin32(), []
    win32click.install(icon, lambda: opened.append("viewer"), api)
    return icon, api, opened


def test_a_double_click_opens_the_viewer_once_after_allowing_it_the_foreground() -> None:
    icon, api, opened = installed()
    # What Windows sends for a double-click: down, up, double-click, up.
    for lp in (WM_LBUTTONDOWN, WM_LBUTTONUP, WM_LBUTTONDBLCLK, WM_LBUTTONUP):
        icon.send(lp)
    assert opened == ["viewer"]
    assert api.calls == ["AllowSetForegroundWindow(ASFW_ANY)"]


def test_a_single_click_does_nothing() -> None:
    """pystray fires the default item on every WM_LBUTTONUP: twice per double-click."""
    icon, api, opened = installed()
    icon.send(WM_LBUTTONUP)
    assert opened == [] and api.calls == []
    assert WM_LBUTTONUP not in icon.pystray_saw


def test_the_right_click_menu_still_reaches_pystray() -> None:
    icon, _, opened = installed()
    icon.send(WM_RBUTTONUP)
    assert icon.pystray_saw == [WM_RBUTTONUP]
    assert opened == []
