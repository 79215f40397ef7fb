"""The tray menu model follows live state (no display)."""

from __future__ import annotations

from typing import Any

import pytest

from sellintegro.desktop import menu
from sellintegro.desktop.menu import SEPARATOR, Entry, build, find

from .test_health import status, worker


def texts(entries: tuple[Entry, ...] | list[Entry]) -> list[str]:
    return [e.text for e in entries]


def test_menu_has_the_documented_entries_with_show_logs_as_default() -> None:
    m = build(status(worker("A"), worker("B")))
    assert texts(m) == ["Show logs", "-", "Restart", "Run now", "Pause / Resume", "-", "Open log folder",
                        "Open config", "-", "Quit (stop all plugins)"]
    assert [e.text for e in m if e.default] == ["Show logs"]
    assert m[0].command == ("show_logs",)


def test_restart_submenu_has_one_entry_per_plugin_plus_all() -> None:
    restart = find(build(status(worker("A"), worker("B"))), "Restart")
    assert restart is not None
    assert texts(restart.children) == ["A", "B", "-", "All"]
    assert [e.command for e in restart.children if e is not SEPARATOR] == [("restart", "A"), ("restart", "B"),
                                                                           ("restart_all",)]


def test_a_paused_plugin_offers_resume_and_a_running_one_offers_pause() -> None:
    m = build(status(worker("A"), worker("B", "STOPPED", paused=True)))
    entry_a = find(m, "Pause / Resume", "Pause A")
    entry_b = find(m, "Pause / Resume", "Resume B")
    assert entry_a is not None and entry_a.command == ("pause", "A")
    assert entry_b is not None and entry_b.command == ("resume", "B")
    assert find(m, "Pause / Resume", "Pause B") is None


def test_run_now_is_offered_only_to_running_plugins() -> None:
    m = build(status(worker("A"), worker("B", "BACKOFF")))
    run_a, run_b = find(m, "Run now", "A"), find(m, "Run now", "B")
    assert run_a is not None and run_a.enabled
    assert run_b is not None and not run_b.enabled


def test_disabled_plugins_cannot_be_restarted_or_resumed() -> None:
    m = build(status(worker("A", "STOPPED", enabled=False)))
    restart_a = find(m, "Restart", "A")
    assert restart_a is not None and not restart_a.enabled


def test_without_a_supervisor_plugin_commands_are_listed_from_config_but_disabled() -> None:
    m = build(None, codes=["A", "B"])
    restart = find(m, "Restart")
    assert restart is not None and not restart.enabled
    assert texts(restart.children) == ["A", "B", "-", "All"]
    show = find(m, "Show logs")
    assert show is not None and show.enabled


def test_attached_tray_closes_itself_and_offers_stopping_the_endpoint_separately() -> None:
    m = build(status(worker("A")), attached=True)
    assert texts(m)[-2:] == ["Stop the endpoint", "Close this icon"]
    assert [e.command for e in m[-2:]] == [("stop_endpoint",), ("quit",)]


def test_menu_speaks_polish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    m = build(status(worker("A", paused=True)))
    assert m[0].text == "Pokaż logi"
    assert find(m, "Wstrzymaj / Wznów", "Wznów A") is not None


class FakePystray:
    """The two pystray classes to_pystray uses, recording what it builds."""

    class Menu:
        SEPARATOR = object()

        def __init__(self, *items: Any) -> None:
            self.items = items

    class MenuItem:
        def __init__(self, text: str, action: Any, enabled: bool = True, default: bool = False) -> None:
            self.text, self.action, self.enabled, self.default = text, action, enabled, default


def test_choosing_a_rendered_item_runs_its_command() -> None:
    ran: list[tuple[str, ...]] = []
    rendered = menu.to_pystray(build(status(worker("A"))), ran.append, FakePystray)
    restart = next(i for i in rendered.items if getattr(i, "text", "") == "Restart")
    item_a = next(i for i in restart.action.items if getattr(i, "text", "") == "A")
    item_a.action(None, item_a)
    assert ran == [("restart", "A")]
    assert rendered.items[1] is FakePystray.Menu.SEPARATOR
    assert rendered.items[0].default
