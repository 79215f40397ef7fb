"""The viewer's log follower against a real supervisor: backfill, pause without gaps, reconnect."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sellintegro.desktop.livelog import LogFollower, StatusPoller
from sellintegro.loghub import Record

from ..conftest import Endpoint, plugin_toml, wait_for

pytestmark = pytest.mark.slow
EndpointFactory = Callable[..., Endpoint]


class Collector:
    def __init__(self) -> None:
        self.events: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self.records: list[Record] = []
        self.kinds: list[str] = []

    def drain(self) -> None:
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return
            self.kinds.append(event[0])
            if event[0] == "record":
                self.records.append(event[1])

    def seqs(self) -> list[int]:
        self.drain()
        return [r.seq for r in self.records]


@pytest.fixture
def follow() -> Iterator[Callable[..., tuple[LogFollower, Collector]]]:
    made: list[LogFollower] = []

    def make(ep: Endpoint, backfill: int = 1000) -> tuple[LogFollower, Collector]:
        c = Collector()
        f = LogFollower(ep.client, c.events.put, backfill=backfill, retry_every=0.2)
        made.append(f)
        f.start()
        return f, c
    yield make
    for f in made:
        f.close()


def contiguous(seqs: list[int]) -> bool:
    return seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_follow_starts_with_a_backfill_then_goes_on_live_without_gaps(
        endpoint: EndpointFactory, follow: Callable[..., tuple[LogFollower, Collector]]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=50))
    ep.wait_state("TICK", "RUNNING")
    wait_for("some history", lambda: ep.status()["supervisor"]["log_seq"] >= 10)
    opened_at = ep.status()["supervisor"]["log_seq"]
    _, c = follow(ep, backfill=5)
    wait_for("live records", lambda: len(c.seqs()) > 30)
    seqs = c.seqs()
    assert opened_at - 5 < seqs[0] <= opened_at + 1  # the backfill: the 5 before the viewer opened
    assert contiguous(seqs)
    assert c.kinds[0] == "log_connected"


def test_paused_follower_receives_nothing_and_resumes_with_everything_in_between(
        endpoint: EndpointFactory, follow: Callable[..., tuple[LogFollower, Collector]]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=20))
    ep.wait_state("TICK", "RUNNING")
    f, c = follow(ep)
    wait_for("live records", lambda: len(c.seqs()) > 5)
    f.pause()
    wait_for("the stream to close", lambda: f.sock is None)
    # A record read just before the pause may still come through; after the close, nothing may.
    c.drain()
    held = len(c.records)
    last = f.after
    assert last == c.records[-1].seq
    wait_for("the supervisor to log 100 more", lambda: ep.status()["supervisor"]["log_seq"] > last + 100)
    assert c.seqs()[held:] == []  # nothing arrived while paused
    f.resume()
    wait_for("what was logged meanwhile", lambda: c.seqs()[-1] > last + 100)
    assert contiguous(c.seqs())


def test_follower_survives_a_supervisor_restart_and_misses_nothing(
        endpoint: EndpointFactory, follow: Callable[..., tuple[LogFollower, Collector]]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=50))
    ep.wait_state("TICK", "RUNNING")
    _, c = follow(ep)
    wait_for("live records", lambda: len(c.seqs()) > 5)
    assert ep.cli("stop").returncode == 0
    assert ep.proc is not None and ep.proc.wait(timeout=60) == 0
    wait_for("the follower to notice", lambda: (c.drain(), "log_disconnected" in c.kinds)[1])
    before = c.seqs()[-1]
    ep.start()
    wait_for("records of the new supervisor", lambda: any("started" in r.message and r.seq > before
                                                             for r in (c.drain(), c.records)[1]), timeout=60)
    seqs = c.seqs()
    assert contiguous(seqs), "a record went missing or came twice across the restart"
    assert any("supervisor stopped" in r.message for r in c.records)  # written while it shut down


def test_status_poller_reports_snapshots_and_errors(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=0), start=False)
    events: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
    poller = StatusPoller(ep.client, events.put, lambda status: {"sampled": True}, every=0.1)
    poller.start()
    try:
        assert events.get(timeout=30)[0] == "status_error"  # nothing runs yet
        ep.start()

        def snapshot() -> Any:
            kind, *rest = events.get(timeout=30)
            return rest if kind == "status" else None
        status, sampled = wait_for("a status snapshot", snapshot, timeout=60)
        assert [w["code"] for w in status["workers"]] == ["TICK"] and sampled == {"sampled": True}
        done: list[str] = []
        poller.submit(lambda: done.append("job ran on the poller thread"))
        wait_for("the job", lambda: done)
    finally:
        poller.close()
