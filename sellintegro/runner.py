"""The supervisor process: the lock, the log hub, worker processes, the control API and the event loop.

One thread (this loop) owns the policy; reader threads and the control API hand it events through
one queue, so the policy needs no locks.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import orjson

from . import __version__, places
from .config import Config
from .control import ApiError, ControlServer, Routes, read_control_file
from .journal import Journal
from .lock import InstanceLock
from .loghub import LEVELS, Filter, LogHub
from .oslayer import RealOS
from .redact import Redactor
from .supervisor import Supervisor

CALL_TIMEOUT = 10.0
PRUNE_EVERY = 6 * 3600.0


class Runner:
    def __init__(self, config: Config, mode: str = "application", echo: Any = None) -> None:
        self.config = config
        self.mode = mode
        ep = config.endpoint
        self.data_dir = places.ensure_private_dir(ep.data_dir)
        self.run_dir = places.ensure_private_dir(places.run_dir(self.data_dir))
        self.lock = InstanceLock(self.run_dir, self.data_dir)
        self.events: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self.echo = echo
        self.started = time.monotonic()
        self.stop_requested = False
        self.redact = Redactor(config.secrets)
        self.next_prune = 0.0

    # -- calls from the control API threads, executed on the loop thread -----------------------------
    def _on_loop(self, fn: Any, *args: Any) -> Any:
        fut: Future[Any] = Future()
        self.events.put(("call", fn, args, fut))
        return fut.result(timeout=CALL_TIMEOUT)

    def _status(self, _body: dict[str, Any]) -> dict[str, Any]:
        def snapshot() -> dict[str, Any]:
            now = time.monotonic()
            return {
                "supervisor": {"pid": os.getpid(), "mode": self.mode, "name": self.config.endpoint.name,
                               "version": __version__, "uptime_s": round(now - self.started, 3),
                               "config": str(self.config.path), "data_dir": str(self.data_dir),
                               "stopping": self.stop_requested, "log_seq": self.hub.flushed_seq()},
                "workers": self.sup.status(now),
            }
        result: dict[str, Any] = self._on_loop(snapshot)
        return result

    def _code(self, body: dict[str, Any]) -> str:
        code = body.get("code")
        if not isinstance(code, str) or code not in self.sup.workers:
            known = ", ".join(self.sup.workers) or "none"
            raise ApiError(404, f"no plugin with code {code!r}; known codes: {known}")
        return code

    def _restart(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("all"):
            codes = [w.code for w in self.sup.workers.values() if w.plugin.enabled and not w.paused]
        else:
            codes = [self._code(body)]
            if not self.sup.workers[codes[0]].plugin.enabled:
                raise ApiError(409, f"plugin {codes[0]} is disabled in {self.config.path} (enabled = false)")
        if self.stop_requested:
            raise ApiError(409, "the supervisor is stopping")

        def restart() -> None:
            now = time.monotonic()
            for c in codes:
                self.sup.restart(c, now)
        self._on_loop(restart)
        self._save_paused()
        return {"restarted": codes}

    def _pause(self, body: dict[str, Any]) -> dict[str, Any]:
        code = self._code(body)
        self._on_loop(self.sup.pause, code, time.monotonic())
        self._save_paused()
        return {"paused": code}

    def _resume(self, body: dict[str, Any]) -> dict[str, Any]:
        code = self._code(body)
        if not self.sup.workers[code].plugin.enabled:
            raise ApiError(409, f"plugin {code} is disabled in {self.config.path} (enabled = false)")
        self._on_loop(self.sup.resume, code, time.monotonic())
        self._save_paused()
        return {"resumed": code}

    def _paused_file(self) -> Any:
        return places.ensure_private_dir(self.data_dir / "state") / "paused.json"

    def _save_paused(self) -> None:
        """Pauses outlive the supervisor: a plugin paused for stocktaking stays paused after a reboot."""
        paused = sorted(c for c, w in self.sup.workers.items() if w.paused)
        tmp = self._paused_file().with_suffix(".tmp")
        tmp.write_text(json.dumps(paused), encoding="utf-8")
        os.replace(tmp, self._paused_file())

    def _load_paused(self) -> None:
        try:
            codes = json.loads(self._paused_file().read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return
        for code in codes if isinstance(codes, list) else []:
            w = self.sup.workers.get(code)
            if w is not None:
                w.paused, w.want_running = True, False
                self._log(code, "INFO", "supervisor", "paused (since before the last start); "
                          "`sellintegro resume` starts it")

    def _run_now(self, body: dict[str, Any]) -> dict[str, Any]:
        code = self._code(body)
        if not self._on_loop(self.sup.run_now, code):
            raise ApiError(409, f"plugin {code} is not RUNNING; nothing to run now")
        return {"run_now": code}

    def _logs(self, q: dict[str, Any]) -> Iterator[bytes]:
        """Records after `after` (default: from now on) matching plugin/level/text; `follow=1` streams on."""
        try:
            after = int(q.get("after", self.hub.flushed_seq()))
            level = LEVELS[str(q.get("level", "DEBUG")).upper()]
        except (ValueError, KeyError):
            raise ApiError(400, "after must be a whole number and level one of "
                           + ", ".join(LEVELS)) from None
        match = Filter(plugin=q.get("plugin") or None, level=level, text=q.get("text") or None)
        live = str(q.get("follow", "0")).lower() in ("1", "true", "yes")

        def lines() -> Iterator[bytes]:
            for batch in self.hub.follow(after, match, live=live):
                if isinstance(batch, int):
                    yield orjson.dumps({"skipped": batch}) + b"\n"
                elif batch:
                    yield b"".join(orjson.dumps(r.to_json()) + b"\n" for r in batch)
                else:
                    yield b"\n"  # keep-alive: a gone follower shows up as a failed write
        return lines()

    def _stop(self, _body: dict[str, Any]) -> dict[str, Any]:
        self.events.put(("stop",))
        return {"stopping": True, "pid": os.getpid()}

    # -- the loop ------------------------------------------------------------------------------------------
    def run(self, front: Any = None) -> int:
        """Supervise until stopped. With a `front` (the tray: run() blocks, stop() ends it), the front
        owns the main thread, as pystray requires, and the loop runs beside it."""
        held = read_control_file(self.run_dir)
        self.lock.acquire(holder_pid=held.get("pid") if held else None)
        # The pipe reader feeds the log hub while the loop, the control server and followers run; a longer
        # GIL slice (20 ms instead of 5 ms) spares it forced hand-overs mid-batch. Nothing here needs finer
        # time slicing.
        sys.setswitchinterval(0.02)
        ep = self.config.endpoint
        self.hub = LogHub(places.logs_dir(self.data_dir), ep.log_max_bytes, ep.log_backups, echo=self.echo,
                          redact=self.redact)
        self.os = RealOS(self.config.path, self.events, self.hub, self.redact)
        self.sup = Supervisor(self.config, self.os, self._log, time.monotonic())
        routes: Routes = {("GET", "/v1/status"): self._status, ("POST", "/v1/restart"): self._restart,
                          ("POST", "/v1/run-now"): self._run_now, ("POST", "/v1/stop"): self._stop,
                          ("GET", "/v1/logs"): self._logs, ("POST", "/v1/pause"): self._pause,
                          ("POST", "/v1/resume"): self._resume}
        control = ControlServer(self.run_dir, ep.control_host, ep.control_port, routes, os.getpid())
        # A Windows service runs this on a thread of the service dispatcher, where no signal handler can be
        # installed; its stop comes through the front (SvcStop) instead.
        on_main = threading.current_thread() is threading.main_thread()
        previous = {s: signal.signal(s, self._on_signal) for s in _stop_signals()} if on_main else {}
        try:
            control.start()
            self._log(None, "INFO", "supervisor",
                      f"Sellintegro {__version__} supervisor started (pid {os.getpid()}, mode {self.mode}, "
                      f"config {self.config.path}, data {self.data_dir}, control 127.0.0.1:{control.port})")
            self._load_paused()
            self.sup.start_all(time.monotonic())
            if front is None:
                self._loop()
            else:
                loop = threading.Thread(target=self._loop_then_stop, args=(front,), name="supervisor")
                loop.start()
                front.run()
                # The front ended (Quit, or the loop stopped it): stop everything, wait for the workers.
                self.events.put(("stop",))
                loop.join()
            self._log(None, "INFO", "supervisor", "supervisor stopped; every worker has exited")
        finally:
            for s, h in previous.items():
                signal.signal(s, h)
            control.close()
            self.os.close()
            self.hub.close()
            self.lock.release()
        return 0

    def _loop_then_stop(self, front: Any) -> None:
        try:
            self._loop()
        finally:
            front.stop()

    def _on_signal(self, signum: int, _frame: Any) -> None:
        self.events.put(("stop",))

    def _prune_journal(self, now: float) -> None:
        """Keep the journal within its age and size limits (at start, then every few hours)."""
        self.next_prune = now + PRUNE_EVERY
        ep = self.config.endpoint
        try:
            journal = Journal(self.data_dir)
            try:
                removed = journal.prune(ep.journal_days, ep.journal_max_entries)
            finally:
                journal.close()
        except Exception as e:  # noqa: BLE001 - a journal problem must not stop supervision
            self._log(None, "ERROR", "supervisor", f"journal pruning failed: {e}")
            return
        if removed:
            self._log(None, "INFO", "supervisor", f"journal: pruned {removed} old entries")

    def _loop(self) -> None:
        while True:
            now = time.monotonic()
            if now >= self.next_prune:
                self._prune_journal(now)
            deadline = self.sup.tick(now)
            deadline = self.next_prune if deadline is None else min(deadline, self.next_prune)
            if self.stop_requested and self.sup.all_stopped():
                return
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                ev = self.events.get(timeout=timeout)
            except queue.Empty:
                continue
            self._handle(ev)
            # Drain what else is already there before the next tick.
            while True:
                try:
                    ev = self.events.get_nowait()
                except queue.Empty:
                    break
                self._handle(ev)

    def _handle(self, ev: tuple[Any, ...]) -> None:
        kind = ev[0]
        if kind == "call":
            _, fn, args, fut = ev
            try:
                fut.set_result(fn(*args))
            except BaseException as e:  # noqa: BLE001 - handed to the waiting API thread
                fut.set_exception(e)
            return
        if kind == "stop":
            if not self.stop_requested:
                self.stop_requested = True
                self._log(None, "INFO", "supervisor", "stop requested: stopping every worker")
                self.sup.stop_all(time.monotonic())
            return
        _, code, pid, when, data = ev
        if kind == "exit":
            self.sup.on_exit(code, pid, data, when)
        elif kind == "ready":
            self.sup.on_ready(code, pid, when)
        elif kind == "hb":
            self.sup.on_heartbeat(code, pid, when, data.get("d"), data.get("n"))
        elif kind == "cycle":
            self.sup.on_heartbeat(code, pid, when)
            if data.get("phase") == "end":
                err = data.get("err")
                self.sup.on_cycle_end(code, pid, self.redact(err) if err else None)
        elif kind == "stderr":
            self.sup.on_stderr(code, data)

    def _log(self, plugin: str | None, level: str, logger: str, message: str) -> None:
        self.hub.emit(plugin, level, logger, message)


def _stop_signals() -> list[signal.Signals]:
    sigs = [signal.SIGINT, signal.SIGTERM]
    if sys.platform == "win32":
        sigs.append(signal.SIGBREAK)
    return sigs
