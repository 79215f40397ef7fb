"""The token's budget: never over the limit in any window, shared by processes, paused by a block."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sellintegro.baselinker import errors
from sellintegro.baselinker.client import BaseLinkerClient
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.ratelimit import Budget, RateLimiter, token_key

from .conftest import TOKEN, child_result, spawn_child


def _max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - window:
            start += 1
        best = max(best, end - start + 1)
    return best


# -- the policy, with a fake clock ------------------------------------------------------------------------------

def test_no_window_ever_holds_more_than_the_limit_whatever_the_request_pattern() -> None:
    rng = random.Random(5)
    budget = Budget(limit=10, window=60.0, margin=0.0, pending_bound=30.0)
    state: dict[str, Any] = {}
    now, sent = 0.0, []
    for i in range(500):
        wait = budget.take(state, now, f"s{i}")
        while wait > 0:
            now += wait
            wait = budget.take(state, now, f"s{i}")
        sent.append(now)  # the server may count it as soon as it is sent...
        now += rng.choice([0.0, 0.001, 0.5, 3.0])  # ...and it takes this long
        budget.done(state, now, f"s{i}")
        now += rng.choice([0.0, 0.0, 0.2, 7.0])
    assert _max_in_window(sent, 60.0) <= 10
    assert now < 500 / 10 * 60 * 1.3, "the budget was used, not just respected"


def test_a_request_still_on_its_way_counts_until_it_ends_then_from_its_end() -> None:
    budget = Budget(limit=1, window=60.0, margin=0.0, pending_bound=30.0)
    state: dict[str, Any] = {}
    assert budget.take(state, 0.0, "a") == 0
    assert budget.take(state, 80.0, "b") > 0  # "a" never ended: it counts until 30 + 60
    budget.done(state, 85.0, "a")  # it ended at 85 (the server may have counted it at 84.9)
    assert budget.take(state, 120.0, "b") == pytest.approx(25.0)
    assert budget.take(state, 145.0, "b") == 0


def test_steady_demand_gets_the_limit_in_the_first_minute_not_a_burst_plus_a_refill() -> None:
    """A token bucket of 10 refilled at 10/min would grant 10 at once, then one every 6 s: 19 in a minute."""
    budget = Budget(limit=10, window=60.0, margin=0.0)
    state: dict[str, Any] = {}
    granted = 0
    for t in range(60):
        if budget.take(state, float(t), f"s{t}") == 0:
            budget.done(state, float(t), f"s{t}")
            granted += 1
    assert granted == 10


def test_an_unreadable_state_file_counts_as_a_spent_budget(tmp_path: Path) -> None:
    limiter = RateLimiter(TOKEN, 5, folder=tmp_path)
    (tmp_path / f"{limiter.key}.json").write_text("{not json", encoding="utf-8")
    slot, wait = limiter.try_acquire()
    assert slot is None and 59 < wait <= 61


def test_the_state_is_named_by_a_hash_of_the_token_and_never_holds_it(tmp_path: Path) -> None:
    limiter = RateLimiter(TOKEN, 5, folder=tmp_path)
    limiter.release(limiter.acquire())
    limiter.block(1.0)
    assert limiter.key == token_key(TOKEN) and len(limiter.key) == 16
    for f in tmp_path.iterdir():
        assert TOKEN not in f.name and TOKEN not in f.read_text(encoding="utf-8")
    assert TOKEN not in repr(limiter)


def test_a_block_recorded_by_one_limiter_pauses_another_on_the_same_folder(tmp_path: Path) -> None:
    a, b = RateLimiter(TOKEN, 100, folder=tmp_path), RateLimiter(TOKEN, 100, folder=tmp_path)
    other_token = RateLimiter("another-token-0000", 100, folder=tmp_path)
    a.block(30.0)
    assert 29 < b.blocked_for() <= 30
    assert b.try_acquire()[0] is None
    assert other_token.try_acquire()[0] is not None, "the block belongs to the token"


def test_limiters_without_a_folder_share_the_budget_within_the_process() -> None:
    token = f"memory-only-{time.monotonic_ns()}"
    a, b = RateLimiter(token, 2), RateLimiter(token, 2)
    a.acquire()
    b.acquire()
    assert a.try_acquire()[0] is None and b.try_acquire()[0] is None


# -- real processes against the emulator ------------------------------------------------------------------------

def _hammer(emu: Emulator, state: Path, processes: int, per_minute: int, window: float, duration: float,
            calls: int = 0) -> list[dict[str, Any]]:
    start = time.time() + 3.0  # room for the children to import httpx
    procs = [spawn_child(url=emu.url, token=TOKEN, state=str(state), per_minute=per_minute, window=window,
                         start=start, duration=duration, calls=calls) for _ in range(processes)]
    return [child_result(p, timeout=duration + 120) for p in procs]


def test_three_processes_sharing_a_folder_never_exceed_the_limit(emulator: Callable[..., Emulator],
                                                                   tmp_path: Path) -> None:
    emu = emulator(rate_limit=20, rate_window=4.0, block_seconds=600)
    results = _hammer(emu, tmp_path / "shared", 3, per_minute=20, window=4.0, duration=10.0)
    assert emu.limit_exceeded == 0 and sum(r["blocked"] for r in results) == 0
    assert emu.max_in_window() <= 20
    assert all(r["ok"] > 0 for r in results), "every process got its turn"
    assert sum(r["ok"] for r in results) >= 40  # at least two full windows' worth in 10 s


def test_separate_budgets_for_one_token_get_the_account_blocked(emulator: Callable[..., Emulator],
                                                                tmp_path: Path) -> None:
    """Control: without the shared folder the emulator blocks the account, so the test above can fail."""
    emu = emulator(rate_limit=10, rate_window=30.0, block_seconds=600)
    results = [child_result(p, timeout=60) for p in [
        spawn_child(url=emu.url, token=TOKEN, state=str(tmp_path / f"own{i}"), per_minute=10, window=30.0,
                    calls=8) for i in range(2)]]
    assert emu.limit_exceeded >= 1
    assert sum(r["blocked"] for r in results) >= 1


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_three_processes_at_60_a_minute_for_two_minutes_use_the_budget_and_never_exceed_it(
        emulator: Callable[..., Emulator], tmp_path: Path) -> None:
    emu = emulator(rate_limit=60, rate_window=60.0, block_seconds=600)
    results = _hammer(emu, tmp_path / "shared", 3, per_minute=60, window=60.0, duration=120.0)
    assert emu.limit_exceeded == 0 and sum(r["blocked"] for r in results) == 0
    assert emu.max_in_window() <= 60
    done = sum(r["ok"] for r in results)
    allowed = 60 * 120 / 60
    assert done >= 0.9 * allowed, f"{done} requests of {allowed:.0f} allowed"
    assert emu.count() == done


def test_a_blocked_account_pauses_every_user_of_the_token_until_it_clears(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient], tmp_path: Path) -> None:
    emu = emulator(rate_limit=100, block_seconds=2.0)
    state = tmp_path / "shared"
    emu.block()  # as if someone had gone over the limit
    first = client(emu, limiter=RateLimiter(TOKEN, 100, folder=state), blocked_pause=3.0)
    with pytest.raises(errors.AccountBlocked) as caught:
        first.get_series()
    assert caught.value.retry_at is not None
    blocked_at = emu.requests[-1].time

    # Another process and another client in this process, same token, same folder.
    proc = spawn_child(url=emu.url, token=TOKEN, state=str(state), per_minute=100, window=60.0, calls=1)
    other = client(emu, limiter=RateLimiter(TOKEN, 100, folder=state))
    answer: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: answer.update(series=other.get_series()))
    thread.start()
    result = child_result(proc, timeout=60)
    thread.join(timeout=60)

    assert (result["ok"], result["blocked"]) == (1, 0) and answer["series"]
    later = emu.requests[1:]
    assert [r.outcome for r in later] == ["SUCCESS", "SUCCESS"], "nobody asked while the account was blocked"
    assert min(r.time for r in later) >= blocked_at + 3.0 - 0.05
    assert emu.count() == 3


def test_the_blocked_account_error_is_not_retried_and_records_the_pause(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient], tmp_path: Path) -> None:
    emu = emulator(block_seconds=60.0)
    emu.block()
    limiter = RateLimiter(TOKEN, 100, folder=tmp_path / "rl")
    with pytest.raises(errors.AccountBlocked):
        client(emu, limiter=limiter, blocked_pause=120.0).get_series()
    assert emu.count() == 1
    assert 119 < limiter.blocked_for() <= 120
    stats = json.loads(json.dumps(emu.stats()))
    assert stats["log"][0]["outcome"] == "ERROR_USER_ACCOUNT_BLOCKED"
