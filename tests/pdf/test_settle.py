"""When a file counts as complete: its version unchanged for settle_seconds."""

from __future__ import annotations

import os
from pathlib import Path

from sellintegro_pdf.settle import Tracker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_due_only_after_it_stayed_the_same_for_the_settling_time(tmp_path: Path) -> None:
    clock = Clock()
    t = Tracker(2.0, clock)
    path = tmp_path / "a.pdf"
    path.write_bytes(b"12")
    t.see(path, "f")
    clock.now += 1.9
    assert t.due() == [] and t.settling()
    with open(path, "ab") as f:  # the writer goes on without an event: the due check notices
        f.write(b"3")
    clock.now += 0.2
    assert t.due() == [], "a change found at the due check starts the settling time again"
    clock.now += 2.0
    [c] = t.due()
    assert c.size == 3 and not t.settling()


def test_a_handled_version_is_left_alone_until_the_file_changes(tmp_path: Path) -> None:
    clock = Clock()
    t = Tracker(0.5, clock)
    path = tmp_path / "a.pdf"
    path.write_bytes(b"1")
    t.see(path, "f", fresh=False)
    clock.now += 1
    [c] = t.due()
    c.handled, c.told = True, {"pdf.broken"}
    clock.now += 10
    assert t.due() == [] and t.next_due() is None
    path.write_bytes(b"22")
    os.utime(path, ns=(1, 1))
    t.see(path, "f")
    clock.now += 1
    [again] = t.due()
    assert again is c and c.fresh and not c.handled and c.told == set()


def test_a_file_waiting_for_a_retry_is_not_due_before_its_time_and_a_vanished_one_is_dropped(
        tmp_path: Path) -> None:
    clock = Clock()
    t = Tracker(0.0, clock)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    t.see(a, "f")
    t.see(b, "f")
    [ca, cb] = t.due()
    ca.not_before = clock.now + 60
    b.unlink()
    assert t.due() == [] and list(t.items) == [a]
    assert t.next_due() == clock.now + 60
    t.seen_only("f", [])
    assert t.items == {}
