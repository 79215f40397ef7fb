"""Restart delays and the shared restart budget."""

from __future__ import annotations

import pytest

from sellintegro.backoff import Backoff, RestartBudget


def test_delay_doubles_from_initial_up_to_the_cap() -> None:
    b = Backoff(initial=1.0, cap=10.0, jitter=0.0)
    assert [b.delay(n, lambda: 0.5) for n in range(0, 7)] == [0.0, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_jitter_stays_within_its_band() -> None:
    b = Backoff(initial=4.0, cap=100.0, jitter=0.25)
    assert b.delay(1, lambda: 0.0) == pytest.approx(3.0)
    assert b.delay(1, lambda: 0.999999) == pytest.approx(5.0, rel=1e-5)


def test_huge_attempt_numbers_do_not_overflow() -> None:
    assert Backoff(1.0, 60.0, 0.0).delay(10_000, lambda: 0.5) == 60.0


def test_budget_allows_a_burst_then_refills_at_its_rate() -> None:
    budget = RestartBudget(per_minute=6, now=0.0)
    assert all(budget.take(0.0) for _ in range(6))
    assert not budget.take(0.0)
    assert budget.next_token_at(0.0) == pytest.approx(10.0)
    assert not budget.take(9.9)
    assert budget.take(10.0)
