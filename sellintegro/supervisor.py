"""The supervision policy: worker states, restarts, backoff, hang watchdog and crash records.

It has no threads and reads no clock: the runner feeds it events and `tick(now)` with
`time.monotonic()`, and every effect goes through the OS seam. Unit tests drive it with a fake
clock and a recording fake of the seam.
"""

from __future__ import annotations

import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .backoff import Backoff, RestartBudget
from .config import Config, PluginConfig
from .messages import msg
from .seam import Handle, OSLayer
from .states import ALIVE, TRANSITIONS, InvalidTransition, State

# The worker's own faulthandler dumps its stacks at hang_timeout; the kill waits this much longer
# so that the dump reaches the log first.
HANG_GRACE = 0.5
STDERR_TAIL = 20

# (plugin code or None for the endpoint, level name, logger, message)
LogFn = Callable[[str | None, str, str, str], None]


@dataclass
class Worker:
    plugin: PluginConfig
    state: State = State.STOPPED
    handle: Handle | None = None
    spawned_at: float = 0.0
    ready_at: float | None = None
    last_hb: float = 0.0
    start_failures: int = 0
    streak: int = 0
    restarts: int = 0
    starts: int = 0
    next_start_at: float | None = None
    stop_deadline: float | None = None
    kill_reason: str | None = None
    then_start: bool = False
    want_running: bool = True
    paused: bool = False
    deferred: bool = False
    last_error: str | None = None
    progress: tuple[int | None, int | None] = (None, None)
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=STDERR_TAIL))

    @property
    def code(self) -> str:
        return self.plugin.code

    @property
    def pid(self) -> int | None:
        return self.handle.pid if self.handle is not None and self.state in ALIVE else None


class Supervisor:
    def __init__(self, config: Config, os: OSLayer, log: LogFn, now: float,
                 on_change: Callable[[Worker, State, State], None] | None = None) -> None:
        ep = config.endpoint
        self.config = config
        self.os = os
        self.log = log
        self.on_change = on_change
        self.backoff = Backoff(ep.backoff_initial, ep.backoff_max)
        self.budget = RestartBudget(ep.restart_budget, now)
        self.workers: dict[str, Worker] = {p.code: Worker(p, want_running=p.enabled) for p in config.plugins}
        self.shutting_down = False

    # -- the one place that changes state ------------------------------------------------------------
    def change_state(self, w: Worker, new: State, why: str | None = None) -> None:
        old = w.state
        if new not in TRANSITIONS[old]:
            raise InvalidTransition(f"{w.code}: {old.value} -> {new.value}")
        w.state = new
        text = msg("sup.state", old=old.value, new=new.value) + (f": {why}" if why else "")
        level = "ERROR" if new is State.FATAL else "INFO"
        self.log(w.code, level, "supervisor", text)
        if self.on_change is not None:
            self.on_change(w, old, new)

    # -- commands ----------------------------------------------------------------------------------------
    def start_all(self, now: float) -> None:
        for w in self.workers.values():
            if w.want_running and w.state is State.STOPPED:
                self._spawn(w, now)

    def restart(self, code: str, now: float) -> None:
        """A person's restart: forget earlier failures, stop if alive, then start at once."""
        w = self.workers[code]
        w.want_running = True
        w.paused = False
        w.start_failures = w.streak = 0
        w.deferred = False
        if w.state in (State.STARTING, State.RUNNING):
            w.then_start = True
            self._request_stop(w, now)
        elif w.state is State.STOPPING:
            w.then_start = True
        else:
            self._spawn(w, now)

    def pause(self, code: str, now: float) -> None:
        """A person's pause: stop the worker and keep it stopped until resume()."""
        w = self.workers[code]
        w.paused = True
        self._stand_down(w, now, "paused")

    def resume(self, code: str, now: float) -> None:
        w = self.workers[code]
        w.paused = False
        self.restart(code, now)

    def run_now(self, code: str) -> bool:
        w = self.workers[code]
        if w.state is State.RUNNING and w.handle is not None:
            self.os.send(w.handle, {"cmd": "run_now"})
            return True
        return False

    def stop_all(self, now: float) -> None:
        self.shutting_down = True
        for w in self.workers.values():
            self._stand_down(w, now)

    def _stand_down(self, w: Worker, now: float, reason: str | None = None) -> None:
        """Stop a running worker; park one that waits for a retry. It stays down until asked to start."""
        w.want_running = False
        w.then_start = False
        if w.state in (State.STARTING, State.RUNNING):
            self._request_stop(w, now)
        elif w.state in (State.BACKOFF, State.EXITED, State.FATAL):
            # BACKOFF/EXITED/FATAL -> STOPPED: nothing is running, nothing to wait for.
            w.next_start_at = None
            self.change_state(w, State.STOPPED, reason)

    def all_stopped(self) -> bool:
        return all(w.state not in ALIVE for w in self.workers.values())

    # -- events from the runner ----------------------------------------------------------------------
    def _current(self, code: str, pid: int) -> Worker | None:
        """The worker if `pid` is its live process; events from an earlier process are stale."""
        w = self.workers.get(code)
        if w is None or w.handle is None or w.handle.pid != pid or w.state not in ALIVE:
            return None
        return w

    def on_ready(self, code: str, pid: int, now: float) -> None:
        w = self._current(code, pid)
        if w is None:
            return
        w.last_hb = now
        if w.state is State.STARTING:
            w.ready_at = now
            # STARTING -> RUNNING: the plugin is loaded and its worker said so.
            self.change_state(w, State.RUNNING)

    def on_heartbeat(self, code: str, pid: int, now: float, done: int | None = None,
                     total: int | None = None) -> None:
        w = self._current(code, pid)
        if w is None:
            return
        w.last_hb = now
        if done is not None or total is not None:
            w.progress = (done, total)

    def on_cycle_end(self, code: str, pid: int, error: str | None) -> None:
        """A cycle ended: its error is the worker's last error; a good cycle clears it (status says what
        is wrong now; the journal and the logs keep what went wrong before)."""
        w = self._current(code, pid)
        if w is not None:
            w.last_error = error

    def on_stderr(self, code: str, line: str) -> None:
        w = self.workers.get(code)
        if w is not None:
            w.stderr_tail.append(line)

    def on_exit(self, code: str, pid: int, returncode: int, now: float) -> None:
        w = self._current(code, pid)
        if w is None:
            return
        if w.state is State.STOPPING:
            w.stop_deadline = None
            w.kill_reason = None
            # STOPPING -> STOPPED: the stop we asked for.
            self.change_state(w, State.STOPPED, _describe_exit(returncode))
            if w.then_start and not self.shutting_down:
                w.then_start = False
                self._spawn(w, now)
            return
        self._unexpected_exit(w, returncode, now)

    def _unexpected_exit(self, w: Worker, returncode: int, now: float) -> None:
        ep = self.config.endpoint
        uptime = now - w.spawned_at
        ran_for = now - w.ready_at if w.ready_at is not None else 0.0
        failed_start = w.ready_at is None or uptime < ep.startsecs
        w.streak = 1 if ran_for >= ep.backoff_reset and not failed_start else w.streak + 1
        how = _describe_exit(returncode)
        if w.kill_reason == "hang":
            how = f"killed by the hang watchdog after {w.plugin.hang_timeout:g} s without progress ({how})"
        w.kill_reason = None
        w.last_error = how
        if failed_start:
            w.start_failures += 1
            delay = self.backoff.delay(w.streak, self.os.random)
        else:
            w.start_failures = 0
            delay = 0.0 if w.streak == 1 else self.backoff.delay(w.streak - 1, self.os.random)
        fatal = failed_start and w.start_failures > ep.startretries
        if fatal:
            delay = ep.fatal_retry
        w.next_start_at = now + delay
        at = time.strftime("%H:%M:%S", time.localtime(self.os.wall() + delay))
        if fatal:
            nxt = msg("sup.fatal", failures=w.start_failures, at=at, delay=delay)
        else:
            nxt = msg("sup.next_retry", at=at, delay=delay)
        tail = "\n".join(f"  {line}" for line in w.stderr_tail) if w.stderr_tail else None
        record = msg("sup.crash", how=how, uptime=uptime, restarts=w.restarts, next=nxt)
        record += "\n" + (msg("sup.stderr_tail", lines=tail) if tail else msg("sup.no_stderr"))
        self.log(w.code, "ERROR", "supervisor", record)
        if failed_start:
            # STARTING/RUNNING -> BACKOFF: died before it was ready or within startsecs.
            self.change_state(w, State.BACKOFF, how)
            if fatal:
                # BACKOFF -> FATAL: startretries exhausted; the slow timer retries later.
                self.change_state(w, State.FATAL, nxt)
        else:
            # RUNNING -> EXITED: it had been running; restarted after `delay`.
            self.change_state(w, State.EXITED, how)

    # -- time ----------------------------------------------------------------------------------------------
    def tick(self, now: float) -> float | None:
        """Act on every deadline that has passed; return the next deadline, if any."""
        nearest: float | None = None

        def soon(t: float) -> None:
            nonlocal nearest
            nearest = t if nearest is None else min(nearest, t)

        for w in self.workers.values():
            if w.state in (State.BACKOFF, State.EXITED, State.FATAL) and w.want_running \
                    and w.next_start_at is not None:
                if now >= w.next_start_at:
                    if self.budget.take(now):
                        w.deferred = False
                        if w.state is State.FATAL:
                            w.start_failures = 0
                        self._spawn(w, now)
                    else:
                        w.next_start_at = self.budget.next_token_at(now) + 0.5 * self.os.random()
                        if not w.deferred:
                            w.deferred = True
                            at = time.strftime("%H:%M:%S", time.localtime(
                                self.os.wall() + w.next_start_at - now))
                            self.log(w.code, "WARNING", "supervisor", msg("sup.budget", at=at))
                if w.state not in ALIVE and w.next_start_at is not None:
                    soon(w.next_start_at)
            if w.state in (State.STARTING, State.RUNNING) and w.kill_reason is None:
                deadline = w.last_hb + w.plugin.hang_timeout + HANG_GRACE
                if now >= deadline:
                    self._kill(w, "hang")
                    self.log(w.code, "ERROR", "supervisor", msg("sup.hang", secs=now - w.last_hb))
                else:
                    soon(deadline)
            if w.state is State.STOPPING and w.stop_deadline is not None:
                if now >= w.stop_deadline:
                    w.stop_deadline = None
                    self.log(w.code, "WARNING", "supervisor",
                             msg("sup.stop_killed", secs=w.plugin.stop_timeout))
                    self._kill(w, "stop_timeout")
                else:
                    soon(w.stop_deadline)
        return nearest

    # -- effects -------------------------------------------------------------------------------------------
    def _spawn(self, w: Worker, now: float) -> None:
        if w.starts:
            w.restarts += 1
        w.starts += 1
        w.next_start_at = None
        w.ready_at = None
        w.progress = (None, None)
        w.stderr_tail.clear()
        w.spawned_at = w.last_hb = now
        # STOPPED/BACKOFF/EXITED/FATAL -> STARTING
        self.change_state(w, State.STARTING)
        try:
            w.handle = self.os.spawn(w.plugin)
        except OSError as e:
            self.log(w.code, "ERROR", "supervisor", msg("sup.spawn_failed", reason=e))
            w.handle = _Dead()
            self._unexpected_exit(w, -1, now)

    def _request_stop(self, w: Worker, now: float) -> None:
        assert w.handle is not None
        w.stop_deadline = now + w.plugin.stop_timeout
        # STARTING/RUNNING -> STOPPING
        self.change_state(w, State.STOPPING)
        self.os.send(w.handle, {"cmd": "stop"})

    def _kill(self, w: Worker, reason: str) -> None:
        w.kill_reason = reason
        if w.handle is not None:
            self.os.kill_tree(w.handle)

    # -- reading -------------------------------------------------------------------------------------------
    def status(self, now: float) -> list[dict[str, Any]]:
        rows = []
        for w in self.workers.values():
            alive = w.state in ALIVE
            done, total = w.progress
            rows.append({
                "code": w.code,
                "type": w.plugin.type,
                "enabled": w.plugin.enabled,
                "pid": w.pid,
                "state": w.state.value,
                "restarts": w.restarts,
                "uptime_s": round(now - w.spawned_at, 3) if alive else None,
                "last_heartbeat_s": round(now - w.last_hb, 3) if alive else None,
                "last_error": w.last_error,
                "next_retry_in_s": (round(max(0.0, w.next_start_at - now), 3)
                                    if w.next_start_at is not None and not alive else None),
                "start_failures": w.start_failures,
                "paused": w.paused,
                "progress": {"done": done, "total": total} if total is not None else None,
            })
        return rows


class _Dead:
    """Stands for a process that could not be spawned."""

    pid = -1


def _describe_exit(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "unknown"
        return f"signal {-returncode} ({name})"
    return f"exit code {returncode}"
