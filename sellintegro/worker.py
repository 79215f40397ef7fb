"""SellintegroAppWorker: runs one plugin's cycles on its schedule, started and watched by the supervisor.

The main thread runs the schedule and the plugin cycle, so the hang watchdog (faulthandler armed by
progress) dumps the stack of the code that stopped making progress. A stdin thread takes commands;
EOF on stdin means the supervisor is gone, and the worker exits within a few seconds.
"""

from __future__ import annotations

import argparse
import atexit
import faulthandler
import logging
import os
import sys
import threading
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from . import config as config_mod
from .api import PluginContext, PluginJournal
from .errors import ConfigError
from .plugins import load_types

HEARTBEAT_EVERY = 0.2  # at most this often on the wire, however often a plugin reports progress
GONE_GRACE = 3.0
IDLE_HEARTBEAT_MAX = 30.0  # seconds a worker whose supervisor is gone gives its cycle before it exits


class Channel:
    """JSON lines to the supervisor on a private fd; never raises (a gone supervisor is handled elsewhere).

    Routine records are gathered for up to FLUSH_AFTER seconds (or BUFFER_MAX bytes) and written
    together: one write per batch instead of per record halves a busy worker's cost and wakes the
    supervisor less. Control messages and warnings or worse go out at once, so heartbeats stay exact
    and the last words before a crash are not held back; a hard crash can lose at most FLUSH_AFTER
    seconds of routine records.
    """

    FLUSH_AFTER = 0.002
    BUFFER_MAX = 32 * 1024

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lock = threading.Lock()
        self.broken = False
        self.buffer = bytearray()
        self.pending = threading.Event()
        threading.Thread(target=self._flusher, name="channel-flush", daemon=True).start()
        atexit.register(self.flush)

    def send(self, message: dict[str, Any] | list[Any], urgent: bool = True) -> None:
        data = orjson.dumps(message) + b"\n"
        with self.lock:
            if self.broken:
                return
            self.buffer += data
            if urgent or len(self.buffer) >= self.BUFFER_MAX:
                self._write()
            else:
                self.pending.set()

    def flush(self) -> None:
        with self.lock:
            self._write()

    def _write(self) -> None:
        data, self.buffer = bytes(self.buffer), bytearray()
        try:
            while data and not self.broken:
                data = data[os.write(self.fd, data):]
        except OSError:
            self.broken = True

    def _flusher(self) -> None:
        while True:
            self.pending.wait()
            time.sleep(self.FLUSH_AFTER)
            self.pending.clear()
            self.flush()


class ChannelHandler(logging.Handler):
    """Ships every log record of the worker (plugin and libraries) to the supervisor's log hub."""

    def __init__(self, channel: Channel) -> None:
        super().__init__()
        self.channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            exc = None
            if record.exc_info:
                exc = "".join(traceback.format_exception(*record.exc_info))
            elif record.exc_text:
                exc = record.exc_text
            # A list, not an object: the supervisor decodes and unpacks millions of these (oslayer.LOG_HEAD).
            self.channel.send(["log", record.created, record.levelname, record.name, message, exc],
                              urgent=record.levelno >= logging.WARNING)
        except Exception:  # noqa: BLE001 - logging must never kill the worker
            self.handleError(record)


class Worker:
    def __init__(self, channel: Channel, ctx: PluginContext, run: Any, plugin: config_mod.PluginConfig):
        self.channel = channel
        self.ctx = ctx
        self.run_cycle = run
        self.plugin = plugin
        self.wake = threading.Event()
        self.run_now = threading.Event()
        self.last_sent = 0.0
        # While idle, a heartbeat now and then keeps the watchdog content; rarely, so idle costs nothing.
        self.idle_every = min(IDLE_HEARTBEAT_MAX, plugin.hang_timeout / 3)

    def progress(self, done: int | None = None, total: int | None = None) -> None:
        now = time.monotonic()
        finished = total is not None and done == total
        if now - self.last_sent < HEARTBEAT_EVERY and not finished:
            return
        self.last_sent = now
        # Re-armed with each heartbeat: if no progress follows within hang_timeout, every thread's stack
        # goes to stderr (the plugin's log) from faulthandler's own C thread, even if the GIL is stuck.
        faulthandler.dump_traceback_later(self.plugin.hang_timeout, repeat=False, file=sys.stderr)
        self.channel.send({"t": "hb", "d": done, "n": total})

    def read_commands(self) -> None:
        # os.read on fd 0, not sys.stdin: a daemon thread blocked in a buffered reader aborts
        # interpreter shutdown ("could not acquire lock for <stdin>").
        pending = b""
        while True:
            try:
                chunk = os.read(0, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                self.command(line)
        # EOF: the supervisor is gone (or closed our stdin to stop us). Stop, and do not outlive it.
        self.ctx.cancelled.set()
        self.wake.set()
        time.sleep(GONE_GRACE)
        _kill_children()
        self.channel.flush()
        os._exit(0)

    def command(self, line: bytes) -> None:
        try:
            cmd = orjson.loads(line).get("cmd")
        except (orjson.JSONDecodeError, AttributeError):
            return
        if cmd == "stop":
            self.ctx.cancelled.set()
        elif cmd == "run_now":
            self.run_now.set()
        self.wake.set()

    def loop(self) -> None:
        schedule = self.plugin.schedule
        last_end: datetime | None = None
        cancelled = self.ctx.cancelled
        while not cancelled.is_set():
            due = schedule.next_run(datetime.now(), last_end)
            while not cancelled.is_set():
                if self.run_now.is_set():
                    self.run_now.clear()
                    break
                now = datetime.now()
                if due is not None and now >= due:
                    break
                wait = self.idle_every if due is None else min(self.idle_every, (due - now).total_seconds())
                self.wake.wait(max(wait, 0.0))
                self.wake.clear()
                self.progress()
            if cancelled.is_set():
                break
            self.cycle()
            last_end = datetime.now()

    def cycle(self) -> None:
        self.progress()
        self.channel.send({"t": "cycle", "phase": "start"})
        started = time.monotonic()
        err = None
        try:
            self.run_cycle(self.ctx)
        except Exception as e:  # noqa: BLE001 - a failed cycle is logged; the worker lives on
            err = f"{type(e).__name__}: {e}"
            self.ctx.log.exception("cycle failed: %s", err)
        else:
            self.ctx.log.debug("cycle finished in %.3f s", time.monotonic() - started)
        self.progress()
        self.channel.send({"t": "cycle", "phase": "end", "err": err})


class JournalWriter:
    """Writes the plugin's journal entries (opened on first use) and mirrors each into the log."""

    _LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}

    def __init__(self, data_dir: Path, code: str, secrets: tuple[str, ...]) -> None:
        self.data_dir = data_dir
        self.code = code
        self.secrets = secrets
        self.journal: Any = None
        self.log = logging.getLogger("journal")

    def __call__(self, level: str, subject: str | None, message: str) -> None:
        if self.journal is None:
            from .journal import Journal
            from .redact import Redactor

            self.journal = Journal(self.data_dir, Redactor(self.secrets))
        self.journal.write(self.code, level, subject, message)
        self.log.log(self._LEVELS[level], "%s%s", f"[{subject}] " if subject else "", message)


def _kill_children() -> None:
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                child.kill()
            except psutil.Error:
                pass
    except Exception:  # noqa: BLE001 - best effort on the way out
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="SellintegroAppWorker",
                                     description="Runs one plugin; started by the Sellintegro supervisor.")
    parser.add_argument("--plugin", required=True, metavar="CODE", help="the plugin code from the config")
    parser.add_argument("--config", required=True, type=Path, metavar="PATH", help="the endpoint config file")
    args = parser.parse_args(argv)

    try:
        from setproctitle import setproctitle

        setproctitle(f"SellintegroAppWorker --plugin {args.plugin} --config {args.config}")
    except ImportError:
        pass

    # fd 1 becomes the private record channel; anything else printing to stdout lands on stderr.
    channel = Channel(os.dup(1))
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    faulthandler.enable(file=sys.stderr, all_threads=True)

    try:
        raw = config_mod.read_toml(args.config)
        type_name = next((p.get("type") for p in raw.get("plugins", []) if isinstance(p, dict)
                          and p.get("code") == args.plugin), None)
        types = load_types(name=type_name) if isinstance(type_name, str) else {}
        cfg = config_mod.load(args.config, types, only=args.plugin)
    except ConfigError as e:
        print(f"SellintegroAppWorker --plugin {args.plugin}: {e}", file=sys.stderr)
        return 2
    plugin = cfg.plugin(args.plugin)
    if plugin is None:
        print(f"SellintegroAppWorker: {args.config}: no plugin with code {args.plugin}", file=sys.stderr)
        return 2

    root = logging.getLogger()
    root.handlers[:] = [ChannelHandler(channel)]
    root.setLevel(logging.DEBUG)
    # Libraries' chatter (a record per lock taken, a line per HTTP request) drowns the plugin's own.
    for noisy in ("filelock", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log = logging.getLogger(f"plugin.{plugin.type}")

    journal = PluginJournal(JournalWriter(cfg.endpoint.data_dir, plugin.code, cfg.secrets))
    ctx = PluginContext(code=plugin.code, type=plugin.type, settings=plugin.settings,
                        data_dir=cfg.endpoint.data_dir, log=log, cancelled=threading.Event(),
                        journal=journal, _progress=lambda d, n: None)
    worker = Worker(channel, ctx, types[plugin.type].run, plugin)
    ctx._progress = worker.progress
    threading.Thread(target=worker.read_commands, name="commands", daemon=True).start()

    worker.progress()
    channel.send({"t": "ready", "pid": os.getpid()})
    worker.loop()
    faulthandler.cancel_dump_traceback_later()
    from . import childlog

    childlog.disable()
    channel.send({"t": "bye"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
