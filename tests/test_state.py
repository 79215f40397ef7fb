"""Durable plugin state: cursors and idempotency records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sellintegro.state import StateStore


def test_cursor_survives_reopening(tmp_path: Path) -> None:
    s = StateStore(tmp_path, "ORD")
    assert s.get_cursor("date_confirmed", 0) == 0
    s.set_cursor("date_confirmed", 1_700_000_000)
    s.close()
    assert StateStore(tmp_path, "ORD").get_cursor("date_confirmed") == 1_700_000_000


def test_a_done_effect_is_never_begun_again(tmp_path: Path) -> None:
    s = StateStore(tmp_path, "FIS")
    e = s.begin("receipt:77")
    assert (e.status, e.attempts) == ("pending", 1)
    s.finish("receipt:77", "done", {"fiscal_no": 4711})
    again = s.begin("receipt:77")
    assert again.status == "done" and again.result == {"fiscal_no": 4711} and again.attempts == 1


def test_a_failed_effect_may_be_retried_and_counts_attempts(tmp_path: Path) -> None:
    s = StateStore(tmp_path, "ORD")
    s.begin("order:1")
    s.finish("order:1", "failed", "ERP unreachable")
    e = s.begin("order:1")
    assert (e.status, e.attempts) == ("pending", 2)


def test_a_pending_effect_left_by_a_crash_is_returned_as_pending_not_restarted(tmp_path: Path) -> None:
    s = StateStore(tmp_path, "FIS")
    s.begin("receipt:9")
    s.close()  # the worker died between begin and finish
    s = StateStore(tmp_path, "FIS")
    e = s.begin("receipt:9")
    assert (e.status, e.attempts) == ("pending", 1)
    s.finish("receipt:9", "held", "printer cannot tell whether it printed")
    assert [x.key for x in s.effects("held")] == ["receipt:9"]


def test_finish_refuses_unknown_keys_and_statuses(tmp_path: Path) -> None:
    s = StateStore(tmp_path, "A")
    with pytest.raises(KeyError):
        s.finish("nope", "done")
    s.begin("k")
    with pytest.raises(ValueError):
        s.finish("k", "pending")


def test_two_processes_claiming_one_key_get_one_pending_claim(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from sellintegro.state import StateStore; "
            "s = StateStore(Path(sys.argv[1]), 'X'); print(s.begin('k').attempts)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    outs = [p.communicate(timeout=30)[0].strip() for p in procs]
    assert outs == ["1"] * 4  # one insert; the others see the same pending claim, never a second one
    assert len(StateStore(tmp_path, "X").effects()) == 1


def test_a_pending_effect_keeps_its_note_across_a_crash(tmp_path: Path) -> None:
    s = StateStore(tmp_path, "FIS")
    s.begin("receipt:5")
    s.annotate("receipt:5", {"count_before": 41})
    s.close()
    e = StateStore(tmp_path, "FIS").begin("receipt:5")
    assert (e.status, e.result) == ("pending", {"count_before": 41})
    with pytest.raises(KeyError):
        StateStore(tmp_path, "FIS").annotate("other", {})
