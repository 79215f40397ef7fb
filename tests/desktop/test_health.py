"""What the tray shows at a glance, from status snapshots (no display)."""

from __future__ import annotations

from typing import Any

import pytest

from sellintegro.desktop.health import Health, health, newly_fatal, tooltip, worker_line


def worker(code: str, state: str = "RUNNING", **kw: Any) -> dict[str, Any]:
    return {"code": code, "type": "probe", "state": state, "enabled": True, "paused": False, "pid": 10,
            "restarts": 0, "uptime_s": 5.0, "last_heartbeat_s": 0.5, "last_error": None, "next_retry_in_s": None,
            **kw}


def status(*workers: dict[str, Any], name: str = "Sklep") -> dict[str, Any]:
    return {"supervisor": {"pid": 1, "name": name, "mode": "application"}, "workers": list(workers)}


def test_health_is_ok_when_every_active_plugin_runs_or_starts() -> None:
    assert health(status(worker("A"), worker("B", "STARTING"))) is Health.OK


def test_health_is_backoff_when_a_plugin_waits_to_restart() -> None:
    assert health(status(worker("A"), worker("B", "BACKOFF"))) is Health.BACKOFF
    assert health(status(worker("A", "EXITED"))) is Health.BACKOFF


def test_health_is_fatal_when_a_plugin_is_fatal_even_beside_backoff() -> None:
    assert health(status(worker("A", "BACKOFF"), worker("B", "FATAL"))) is Health.FATAL


def test_health_is_fatal_when_a_running_plugin_is_silent_past_half_its_hang_timeout() -> None:
    silent = status(worker("A", last_heartbeat_s=20.0))
    assert health(silent, {"A": 30.0}) is Health.FATAL
    assert health(silent, {"A": 60.0}) is Health.OK
    assert health(silent) is Health.OK  # without the timeout nobody can tell


def test_health_ignores_paused_and_disabled_plugins() -> None:
    assert health(status(worker("A"), worker("B", "STOPPED", paused=True),
                         worker("C", "FATAL", enabled=False))) is Health.OK


def test_health_is_disconnected_without_a_snapshot() -> None:
    assert health(None) is Health.DISCONNECTED


def test_tooltip_has_a_title_then_one_line_per_plugin_with_its_state() -> None:
    tip = tooltip(status(worker("A"), worker("B", "BACKOFF", next_retry_in_s=4.2), worker("C", paused=True)), "x")
    assert tip.splitlines() == ["Sellintegro Sklep: restarting", "A: RUNNING", "B: BACKOFF, retry in 4 s",
                                "C: paused"]


def test_tooltip_when_disconnected_names_the_configured_endpoint() -> None:
    assert tooltip(None, "Biuro") == "Sellintegro Biuro: not connected"


def test_tooltip_is_cut_to_the_windows_limit_with_a_count_of_the_rest() -> None:
    snap = status(*[worker(f"BLK_CAI_COM_ORD_SGT_{i:03d}") for i in range(10)])
    tip = tooltip(snap, "x", max_len=127)
    assert len(tip) <= 127
    assert tip.splitlines()[-1].startswith("+") and tip.splitlines()[-1].endswith("more")
    assert "BLK_CAI_COM_ORD_SGT_000: RUNNING" in tip


def test_worker_line_says_how_long_a_suspected_hang_lasts() -> None:
    assert worker_line(worker("A", last_heartbeat_s=40.0), {"A": 60.0}) == "A: RUNNING, no progress for 40 s"


def test_newly_fatal_reports_only_transitions_it_saw() -> None:
    before = status(worker("A", "BACKOFF"), worker("B", "FATAL"))
    after = status(worker("A", "FATAL", last_error="exit code 70"), worker("B", "FATAL"))
    assert newly_fatal(before, after) == [("A", "exit code 70")]
    assert newly_fatal(None, after) == []  # first sight after (re)connecting: the colour says it
    assert newly_fatal(after, None) == []


@pytest.mark.parametrize("lang, text", [("pl", "Sellintegro Sklep: wszystko działa"),
                                        ("en", "Sellintegro Sklep: all running")])
def test_tooltip_speaks_the_users_language(monkeypatch: pytest.MonkeyPatch, lang: str, text: str) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", lang)
    assert tooltip(status(worker("A")), "x").splitlines()[0] == text


def test_polish_is_the_default_on_a_polish_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SELLINTEGRO_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert tooltip(None, "Sklep") == "Sellintegro Sklep: brak połączenia"
