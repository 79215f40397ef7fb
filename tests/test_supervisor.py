"""The supervision policy, driven by a fake clock and a recording fake of the OS seam."""

from __future__ import annotations

import pytest

from sellintegro.states import TRANSITIONS, InvalidTransition, State
from sellintegro.supervisor import HANG_GRACE, Supervisor

from .fakes import FakeOS, LogSink, make_config


def build(*codes: str, **kw: object) -> tuple[Supervisor, FakeOS, LogSink]:
    os_, log = FakeOS(), LogSink()
    sup = Supervisor(make_config(*(codes or ("A",)), **kw), os_, log, now=0.0)  # type: ignore[arg-type]
    return sup, os_, log


def pid_of(sup: Supervisor, code: str = "A") -> int:
    w = sup.workers[code]
    assert w.handle is not None
    return w.handle.pid


def start_running(sup: Supervisor, now: float = 0.0, code: str = "A") -> int:
    sup.start_all(now)
    pid = pid_of(sup, code)
    sup.on_ready(code, pid, now + 0.1)
    return pid


def test_start_all_spawns_each_enabled_worker_and_ready_means_running() -> None:
    sup, os_, _ = build("A", "B")
    sup.start_all(0.0)
    assert [c[1] for c in os_.named("spawn")] == ["A", "B"]
    assert sup.workers["A"].state is State.STARTING
    sup.on_ready("A", pid_of(sup, "A"), 0.2)
    assert sup.workers["A"].state is State.RUNNING
    assert sup.workers["B"].state is State.STARTING


def test_exit_after_a_good_run_restarts_at_once() -> None:
    sup, os_, log = build()
    pid = start_running(sup)
    sup.on_exit("A", pid, -9, now=5.0)
    assert sup.workers["A"].state is State.EXITED
    sup.tick(5.0)
    # EXITED -> STARTING within the same tick: no delay for the first crash after a good run.
    assert sup.workers["A"].state is State.STARTING
    assert len(os_.named("spawn")) == 2
    assert sup.workers["A"].restarts == 1
    assert "signal 9 (SIGKILL)" in log.text("A")


def test_crash_record_names_exit_stderr_restarts_and_next_retry() -> None:
    sup, os_, log = build()
    sup.start_all(0.0)
    pid = pid_of(sup)
    sup.on_stderr("A", "Traceback (most recent call last):")
    sup.on_stderr("A", "RuntimeError: probe crash")
    sup.on_exit("A", pid, 70, now=0.3)
    record = next(r[3] for r in log.records if "exited unexpectedly" in r[3])
    assert "exit code 70" in record
    assert "RuntimeError: probe crash" in record
    assert "restarts so far 0" in record
    assert "in 1.0 s" in record  # next retry time


def test_transition_starting_to_backoff_with_growing_delays_then_fatal() -> None:
    sup, os_, log = build(startretries=3, backoff_initial=1.0, fatal_retry=300.0)
    sup.start_all(0.0)
    now, delays = 0.0, []
    for _ in range(3):
        sup.on_exit("A", pid_of(sup), 70, now=now + 0.1)
        w = sup.workers["A"]
        assert w.state is State.BACKOFF
        assert w.next_start_at is not None
        delays.append(round(w.next_start_at - (now + 0.1), 3))
        now = w.next_start_at
        sup.tick(now - 0.01)
        assert w.state is State.BACKOFF  # not before its time
        sup.tick(now)
        assert w.state is State.STARTING  # BACKOFF -> STARTING
    assert delays == [1.0, 2.0, 4.0]
    # The fourth failed start in a row exceeds startretries=3: BACKOFF -> FATAL.
    sup.on_exit("A", pid_of(sup), 70, now=now + 0.1)
    w = sup.workers["A"]
    assert w.state is State.FATAL
    assert w.next_start_at == pytest.approx(now + 0.1 + 300.0)
    assert "FATAL" in log.text("A")


def test_fatal_worker_is_retried_on_the_slow_timer_with_fresh_retries() -> None:
    sup, os_, _ = build(startretries=0, fatal_retry=300.0)
    sup.start_all(0.0)
    sup.on_exit("A", pid_of(sup), 1, now=0.1)
    assert sup.workers["A"].state is State.FATAL
    assert sup.tick(299.0) == pytest.approx(300.1)
    assert sup.workers["A"].state is State.FATAL
    sup.tick(300.2)
    assert sup.workers["A"].state is State.STARTING  # FATAL -> STARTING
    assert sup.workers["A"].start_failures == 0
    row = sup.status(300.2)[0]
    assert row["state"] == "STARTING"


def test_status_shows_fatal_and_the_next_retry_time() -> None:
    sup, _, _ = build(startretries=0, fatal_retry=300.0)
    sup.start_all(0.0)
    sup.on_exit("A", pid_of(sup), 1, now=0.1)
    row = sup.status(100.1)[0]
    assert row["state"] == "FATAL"
    assert row["next_retry_in_s"] == pytest.approx(200.0)
    assert row["pid"] is None
    assert row["last_error"] == "exit code 1"


def test_crash_within_startsecs_after_ready_counts_as_a_failed_start() -> None:
    sup, _, _ = build(startsecs=1.0)
    pid = start_running(sup)
    sup.on_exit("A", pid, 3, now=0.5)
    w = sup.workers["A"]
    assert w.state is State.BACKOFF  # RUNNING -> BACKOFF, not EXITED
    assert w.start_failures == 1


def test_repeated_crashes_after_short_runs_back_off_until_a_stable_run() -> None:
    sup, _, _ = build(startsecs=1.0, backoff_reset=30.0, backoff_initial=1.0)
    now = 0.0
    start_running(sup, now)
    delays = []
    for _ in range(4):
        now += 5.0  # ran 5 s: a good start, but shorter than backoff_reset
        sup.on_exit("A", pid_of(sup), 1, now=now)
        w = sup.workers["A"]
        assert w.next_start_at is not None
        delays.append(round(w.next_start_at - now, 3))
        now = w.next_start_at
        sup.tick(now)
        sup.on_ready("A", pid_of(sup), now)
    assert delays == [0.0, 1.0, 2.0, 4.0]
    now += 31.0  # a stable run forgives the earlier crashes
    sup.on_exit("A", pid_of(sup), 1, now=now)
    assert sup.workers["A"].next_start_at == pytest.approx(now)


def test_jitter_spreads_restarts_of_workers_failing_together() -> None:
    sup, os_, _ = build("A", "B")
    sup.start_all(0.0)
    os_.rand = 0.0
    sup.on_exit("A", pid_of(sup, "A"), 1, now=0.1)
    os_.rand = 1.0
    sup.on_exit("B", pid_of(sup, "B"), 1, now=0.1)
    a, b = sup.workers["A"].next_start_at, sup.workers["B"].next_start_at
    assert a is not None and b is not None
    assert a == pytest.approx(0.1 + 0.8)
    assert b == pytest.approx(0.1 + 1.2)


def test_restart_budget_defers_a_restart_storm() -> None:
    codes = [f"P{i}" for i in range(5)]
    sup, os_, log = build(*codes, restart_budget=3)
    for c in codes:
        sup.workers[c].want_running = True
    sup.start_all(0.0)
    for c in codes:
        sup.on_ready(c, pid_of(sup, c), 0.1)
    for c in codes:
        sup.on_exit(c, pid_of(sup, c), -9, now=10.0)
    sup.tick(10.0)
    states = [sup.workers[c].state for c in codes]
    assert states.count(State.STARTING) == 3
    assert states.count(State.EXITED) == 2
    assert "restart budget" in log.text()
    # The budget refills at 3 a minute: one more restart after 20 s.
    nxt = sup.tick(10.0)
    assert nxt is not None and 29.0 < nxt < 31.0
    sup.tick(31.0)
    assert [sup.workers[c].state for c in codes].count(State.STARTING) == 4


def test_hang_kills_after_hang_timeout_without_heartbeat_then_restarts() -> None:
    sup, os_, log = build(hang_timeout=10.0)
    pid = start_running(sup)
    sup.on_heartbeat("A", pid, 5.0)
    assert sup.tick(14.0) == pytest.approx(5.0 + 10.0 + HANG_GRACE)
    assert not os_.named("kill")
    sup.tick(15.0 + HANG_GRACE)
    assert os_.named("kill") == [("kill", pid)]
    assert "no progress" in log.text("A")
    sup.on_exit("A", pid, -9, now=15.6)
    sup.tick(15.6)
    assert sup.workers["A"].state is State.STARTING
    assert "hang watchdog" in (sup.workers["A"].last_error or "")


def test_stop_requests_politely_then_kills_after_the_deadline() -> None:
    sup, os_, log = build("A", "B", stop_timeout=10.0)
    pa = start_running(sup, code="A")
    pb = pid_of(sup, "B")
    sup.on_ready("B", pb, 0.1)
    sup.stop_all(1.0)
    assert ("send", pa, "stop") in os_.calls and ("send", pb, "stop") in os_.calls
    sup.on_exit("A", pa, 0, now=1.5)  # A obeys
    assert sup.workers["A"].state is State.STOPPED
    sup.tick(10.9)
    assert not os_.named("kill")
    sup.tick(11.0)  # B ignored the request
    assert os_.named("kill") == [("kill", pb)]
    assert "stop_timeout" in log.text("B")
    sup.on_exit("B", pb, -9, now=11.1)
    assert sup.workers["B"].state is State.STOPPED
    assert sup.all_stopped()


def test_stop_all_parks_workers_waiting_in_backoff() -> None:
    sup, _, _ = build()
    sup.start_all(0.0)
    sup.on_exit("A", pid_of(sup), 1, now=0.1)
    sup.stop_all(0.2)
    assert sup.workers["A"].state is State.STOPPED
    sup.tick(100.0)
    assert sup.workers["A"].state is State.STOPPED


def test_manual_restart_stops_then_starts_and_forgets_failures() -> None:
    sup, os_, _ = build()
    pid = start_running(sup)
    sup.workers["A"].start_failures = 2
    sup.restart("A", 1.0)
    assert sup.workers["A"].state is State.STOPPING
    sup.on_exit("A", pid, 0, now=1.2)
    assert sup.workers["A"].state is State.STARTING
    assert sup.workers["A"].start_failures == 0
    assert len(os_.named("spawn")) == 2


def test_manual_restart_of_a_fatal_worker_starts_it_now() -> None:
    sup, os_, _ = build(startretries=0)
    sup.start_all(0.0)
    sup.on_exit("A", pid_of(sup), 1, now=0.1)
    assert sup.workers["A"].state is State.FATAL
    sup.restart("A", 1.0)
    assert sup.workers["A"].state is State.STARTING


def test_events_from_an_earlier_process_are_ignored() -> None:
    sup, _, _ = build()
    old = start_running(sup)
    sup.on_exit("A", old, -9, now=5.0)
    sup.tick(5.0)
    sup.on_exit("A", old, -9, now=5.1)  # a late duplicate
    sup.on_ready("A", old, 5.1)
    assert sup.workers["A"].state is State.STARTING


def test_spawn_failure_is_a_failed_start_with_a_clear_record() -> None:
    sup, os_, log = build(startretries=1)
    os_.fail_spawn = True
    sup.start_all(0.0)
    assert sup.workers["A"].state is State.BACKOFF
    assert "could not start the worker process" in log.text("A")


def test_every_transition_outside_the_map_is_refused() -> None:
    sup, _, _ = build()
    w = sup.workers["A"]
    for old in State:
        for new in State:
            w.state = old
            if new in TRANSITIONS[old]:
                continue
            with pytest.raises(InvalidTransition):
                sup.change_state(w, new)


def test_pause_stops_the_worker_and_keeps_it_stopped_until_resume() -> None:
    sup, os_, _ = build()
    pid = start_running(sup)
    sup.pause("A", 1.0)
    assert ("send", pid, "stop") in os_.calls
    sup.on_exit("A", pid, 0, now=1.2)
    assert sup.workers["A"].state is State.STOPPED
    sup.tick(1000.0)
    assert sup.workers["A"].state is State.STOPPED and sup.status(1000.0)[0]["paused"]
    sup.resume("A", 1001.0)
    assert sup.workers["A"].state is State.STARTING and not sup.workers["A"].paused


def test_pause_while_waiting_in_backoff_cancels_the_retry() -> None:
    sup, _, _ = build()
    sup.start_all(0.0)
    sup.on_exit("A", pid_of(sup), 1, now=0.1)
    sup.pause("A", 0.2)
    sup.tick(100.0)
    assert sup.workers["A"].state is State.STOPPED


def test_a_failed_cycle_is_the_last_error_until_a_good_cycle_or_a_crash() -> None:
    sup, _, _ = build()
    pid = start_running(sup)
    sup.on_cycle_end("A", pid, "ValueError: bad order")
    assert sup.status(2.0)[0]["last_error"] == "ValueError: bad order"
    sup.on_cycle_end("A", pid, None)
    assert sup.status(3.0)[0]["last_error"] is None
    sup.on_exit("A", pid, 1, now=4.0)
    assert sup.status(4.0)[0]["last_error"] == "exit code 1"
