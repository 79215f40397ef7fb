"""Restart delays: exponential with jitter and a cap, and one restart budget for all workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial: float = 1.0
    cap: float = 60.0
    jitter: float = 0.2  # +-20 %: failing plugins do not restart in lock-step

    def delay(self, attempt: int, rand: Callable[[], float]) -> float:
        """Delay before retry number `attempt` (1, 2, ...): initial * 2**(attempt-1), capped, jittered."""
        if attempt <= 0:
            return 0.0
        base = min(self.cap, self.initial * 2 ** min(attempt - 1, 62))
        return base * (1 - self.jitter + 2 * self.jitter * rand())


class RestartBudget:
    """A token bucket: at most `per_minute` automatic restarts a minute, bursts up to the same number."""

    def __init__(self, per_minute: int, now: float) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.tokens = self.capacity
        self.stamp = now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self, now: float) -> bool:
        """Spend one restart if the budget allows it now."""
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def next_token_at(self, now: float) -> float:
        """When one restart will be affordable."""
        self._refill(now)
        return now + max(0.0, 1.0 - self.tokens) / self.rate
