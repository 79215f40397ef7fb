"""The request budget of one BaseLinker token, shared by every process that uses that token.

BaseLinker allows 100 requests a minute per token. Going over is not answered with a 429: the account
is blocked for minutes (ERROR_USER_ACCOUNT_BLOCKED), so the budget is kept on our side, and since
several worker processes share a token, the budget lives in a file every one of them consults:
`<data_dir>/state/ratelimit/<sha256(token)[:16]>.json`, guarded by an OS file lock (filelock).

Why a sliding-window log and not a token bucket: the service's way of counting is not documented,
and a bucket holding N tokens refilled at N/min lets 2N requests through in some 60-second window
(a full bucket spent at once, then a minute of refill). The log holds one entry per request of the
last window; a request may go only while fewer than N entries are in it, so no window, sliding or
fixed, ever holds more than N requests.

Each entry is stamped with the time the request may still reach the server: when it is taken,
"now + pending_bound" (the request is on its way); when it ends, the time it ended. The server
counts a request somewhere between send and answer, so measuring from the end is always on the safe
side, and a process that dies mid-request leaves an entry that still counts long enough.

Time is time.monotonic(): one clock for every process on the machine, immune to wall-clock steps.
After a reboot the clock restarts near zero, which only makes old entries look younger (safer);
an entry or a block that lies impossibly far in the future is pulled back to now.

When the service blocks the account anyway, `block()` writes "blocked until" into the same file and
every user of the token waits until then.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import filelock

log = logging.getLogger("sellintegro.baselinker.ratelimit")

DEFAULT_PER_MINUTE = 100


def token_key(token: str) -> str:
    """The name of a token's budget: a hash prefix, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


def state_dir(data_dir: Path) -> Path:
    """Where the budgets of every token live under an endpoint's data directory."""
    return data_dir / "state" / "ratelimit"


class Budget:
    """The policy over one state dict, `{"slots": [[t, id], ...], "blocked_until": t}`; pure, `now` passed in."""

    def __init__(self, limit: int, window: float = 60.0, margin: float = 0.5, pending_bound: float = 120.0,
                 max_block: float = 3600.0) -> None:
        self.limit = limit
        self.window = window
        self.margin = margin  # clock granularity between us and the server
        self.pending_bound = pending_bound
        self.max_block = max_block

    def _clean(self, state: dict[str, Any], now: float) -> list[list[Any]]:
        slots: list[list[Any]] = []
        for t, slot_id in state.get("slots", []):
            t = float(t)
            if t > now + self.pending_bound:
                t = now  # from before a reboot: it happened before now
            if t > now - self.window - self.margin:
                slots.append([t, slot_id])
        state["slots"] = slots
        blocked = float(state.get("blocked_until", 0.0))
        if blocked > now + self.max_block:
            blocked = now + self.max_block
        state["blocked_until"] = blocked if blocked > now else 0.0
        return slots

    def take(self, state: dict[str, Any], now: float, slot_id: str) -> float:
        """Spend one request as `slot_id` and return 0, or return the seconds to wait before asking again."""
        slots = self._clean(state, now)
        if state["blocked_until"] > now:
            return float(state["blocked_until"] - now)
        if self.limit <= 0:
            return 0.0  # no limit: nothing to count
        if len(slots) >= self.limit:
            oldest = min(t for t, _ in slots)
            return max(0.001, oldest + self.window + self.margin - now)
        slots.append([now + self.pending_bound, slot_id])
        return 0.0

    def done(self, state: dict[str, Any], now: float, slot_id: str) -> None:
        """The request of `slot_id` has ended: count it from now (the server counted it at the latest now)."""
        for slot in self._clean(state, now):
            if slot[1] == slot_id:
                slot[0] = now

    def block(self, state: dict[str, Any], now: float, until: float) -> None:
        self._clean(state, now)
        state["blocked_until"] = max(state["blocked_until"], min(until, now + self.max_block))

    def used(self, state: dict[str, Any], now: float) -> int:
        return len(self._clean(state, now))


class _MemoryStore:
    """One process's budgets, for clients without a data directory; shared by the clients of one token."""

    _all: dict[str, tuple[threading.Lock, dict[str, Any]]] = {}
    _guard = threading.Lock()

    def __init__(self, key: str) -> None:
        with self._guard:
            self._lock, self._state = self._all.setdefault(key, (threading.Lock(), {}))

    @contextlib.contextmanager
    def state(self, now: float) -> Iterator[dict[str, Any]]:
        with self._lock:
            yield self._state


class _FileStore:
    """A budget in a JSON file, read and written under an OS file lock (and a thread lock inside the process)."""

    def __init__(self, folder: Path, key: str, limit: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{key}.json"
        self.limit = limit
        self._lock = threading.Lock()
        self._file_lock = filelock.FileLock(str(folder / f"{key}.lock"), thread_local=False)

    @contextlib.contextmanager
    def state(self, now: float) -> Iterator[dict[str, Any]]:
        with self._lock, self._file_lock:
            state = self._load(now)
            yield state
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, self.path)  # a reader never sees half a file

    def _load(self, now: float) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if _well_formed(data):
                return dict(data)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            pass
        # Unreadable: assume the whole budget was just spent rather than risk the account.
        log.warning("rate-limit state %s is unreadable; waiting one window as if the budget were spent", self.path)
        return {"slots": [[now, f"lost-{i}"] for i in range(max(self.limit, 1))]}


def _well_formed(data: Any) -> bool:
    slots = data.get("slots", []) if isinstance(data, dict) else None
    return (isinstance(slots, list) and isinstance(data.get("blocked_until", 0.0), int | float)
            and all(isinstance(s, list) and len(s) == 2 and isinstance(s[0], int | float) for s in slots))


class RateLimiter:
    """One token's request budget: `per_minute` requests in any `window` seconds (0 = no limit), shared
    by every RateLimiter of the same token and `folder` (every process), or only within this process
    when `folder` is None."""

    def __init__(self, token: str, per_minute: int = DEFAULT_PER_MINUTE, *, folder: Path | None = None,
                 window: float = 60.0, margin: float = 0.5, pending_bound: float = 120.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.key = token_key(token)
        self.per_minute = per_minute
        self.budget = Budget(per_minute, window, margin, pending_bound)
        self.clock = clock
        self._store: _FileStore | _MemoryStore = (_FileStore(folder, self.key, per_minute) if folder is not None
                                                  else _MemoryStore(self.key))

    def __repr__(self) -> str:
        return f"RateLimiter(key={self.key}, per_minute={self.per_minute})"

    def try_acquire(self) -> tuple[str | None, float]:
        """(slot id, 0) if a request may go now, else (None, seconds to wait)."""
        slot_id = secrets.token_hex(8)
        now = self.clock()
        with self._store.state(now) as state:
            wait = self.budget.take(state, now, slot_id)
        return (slot_id, 0.0) if wait <= 0 else (None, wait)

    def acquire(self, wait: Callable[[float], None] = time.sleep, step: float = 1.0) -> str:
        """Wait (through `wait(seconds)`, at most `step` at a time) until a request may go; return its slot."""
        while True:
            slot_id, delay = self.try_acquire()
            if slot_id is not None:
                return slot_id
            wait(min(delay, step))

    def release(self, slot_id: str) -> None:
        """The request of `slot_id` has ended (answered or failed)."""
        now = self.clock()
        with self._store.state(now) as state:
            self.budget.done(state, now, slot_id)

    def block(self, seconds: float) -> float:
        """The service said the account is blocked: nobody using this token asks for `seconds`; returns until when."""
        now = self.clock()
        with self._store.state(now) as state:
            self.budget.block(state, now, now + seconds)
            until = float(state["blocked_until"])
        return until

    def blocked_for(self) -> float:
        """Seconds until the block recorded for this token ends (0 when not blocked)."""
        now = self.clock()
        with self._store.state(now) as state:
            self.budget.used(state, now)
            return max(0.0, float(state["blocked_until"]) - now)

    def used(self) -> int:
        """Requests counted in the current window."""
        now = self.clock()
        with self._store.state(now) as state:
            return self.budget.used(state, now)
