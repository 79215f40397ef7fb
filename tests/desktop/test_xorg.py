"""The xorg backend: double-click detection from X server timestamps, and the icon's end."""

from __future__ import annotations

import gc
import sys
from typing import Any

import pytest
from PIL import Image

from sellintegro.desktop.xorg import DoubleClick, icon_class

from .conftest import XServer


def test_two_presses_within_the_interval_are_one_double_click() -> None:
    d = DoubleClick(500)
    assert d.press(1000) is False
    assert d.press(1100) is True


def test_two_presses_further_apart_are_two_single_clicks() -> None:
    d = DoubleClick(500)
    assert d.press(1000) is False
    assert d.press(1600) is False
    assert d.press(1700) is True  # the second one began a new pair


def test_a_triple_click_is_one_double_click_then_a_single_click() -> None:
    d = DoubleClick(500)
    assert [d.press(t) for t in (0, 100, 200)] == [False, True, False]


def test_timestamps_that_wrap_around_32_bits_still_pair() -> None:
    """X timestamps are 32-bit milliseconds: they wrap after about 49.7 days of server uptime."""
    d = DoubleClick(500)
    assert d.press((1 << 32) - 50) is False
    assert d.press(50) is True


def test_an_icon_collected_after_its_x_server_ended_reports_nothing(
        xserver: XServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: pystray's __del__ closed a connection to an X server that was gone and raised, and the
    "exception ignored" it left failed whichever test was running when the icon was collected."""
    monkeypatch.setenv("DISPLAY", xserver.display)
    import pystray._xorg

    icon: Any = icon_class(pystray._xorg.Icon, lambda: None, lambda: None)("t", icon=Image.new("RGBA", (16, 16)))
    xserver.close()
    reported: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    del icon
    gc.collect()
    assert [r.exc_value for r in reported] == []
