"""The real OS seam: worker processes with pipes, the readers of those pipes, process-tree kill.

Worker -> supervisor: structured records as JSON lines on the worker's stdout (a private channel,
the worker moves its own fd 1 onto stderr), and raw text on stderr (tracebacks, faulthandler dumps,
prints). Supervisor -> worker: JSON commands on stdin; its EOF tells the worker that the supervisor is
gone. This needs no sockets, no pickle, and works with Windows' spawn-only processes, which is why
the channel does not use multiprocessing-logging (fork-only, and blind to Popen children).

On POSIX one thread reads every worker's pipes (a selector): the supervisor's busiest path then runs
on one thread, without GIL hand-overs and lock waits between readers. Windows cannot select on pipes,
so there each pipe has a reader thread of its own. Either way a pipe's reader closes it at its end.
"""

from __future__ import annotations

import os
import queue
import random
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

import orjson
import psutil

from .config import PluginConfig
from .loghub import LogHub
from .seam import Handle

WINDOWS = sys.platform == "win32"
# Worker messages that the supervision policy acts on (the rest are log records).
CONTROL_KINDS = frozenset({"ready", "hb", "cycle", "bye"})
LOG_HEAD = b'["log",'  # how every log record on the channel starts (worker.ChannelHandler)


def worker_argv(code: str, config_path: Path) -> list[str]:
    """The worker's command line; it always carries `--plugin CODE` (Task Manager, ps, psutil)."""
    bindir = Path(sys.executable).parent
    script = bindir / ("SellintegroAppWorker.exe" if WINDOWS else "SellintegroAppWorker")
    # On Windows pip's .exe is only a launcher with a python.exe child; `-m` spares that extra hop.
    # A frozen (PyInstaller) build has no `-m`: its SellintegroAppWorker.exe is the worker itself.
    if getattr(sys, "frozen", False) or (script.exists() and not WINDOWS):
        head = [str(script)]
    else:
        head = [sys.executable, "-m", "sellintegro.worker"]
    return [*head, "--plugin", code, "--config", str(config_path)]


class WorkerProc:
    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen
        self.pid = popen.pid
        self.stdin_lock = threading.Lock()
        self.open_streams = 2  # stdout (the channel) and stderr, until their readers reach the end
        self.drained = threading.Event()
        self.lock = threading.Lock()

    def stream_ended(self) -> None:
        with self.lock:
            self.open_streams -= 1
            if self.open_streams == 0:
                self.drained.set()


class _Stream:
    """One worker pipe as it is read: fed chunks in order by whichever reader serves it."""

    def __init__(self, real: RealOS, code: str, proc: WorkerProc, pipe: IO[bytes], channel: bool) -> None:
        self.real = real
        self.code = code
        self.proc = proc
        self.pipe = pipe
        self.fd = pipe.fileno()
        self.channel = channel
        self.pending = b""

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        cut = data.rfind(b"\n") + 1
        self.pending = data[cut:]
        if not cut:
            return
        if self.channel:
            self.real._dispatch(self.code, self.proc, data[:cut])
        else:
            for raw in data[:cut].split(b"\n")[:-1]:
                self.real._stderr_line(self.code, self.proc, raw)

    def end(self) -> None:
        """The worker closed the pipe (it exited, or its last process holding the pipe did)."""
        try:
            if self.pending and self.channel:
                # The worker died in the middle of a record: say so, and keep the torn bytes out of the log.
                self.real.hub.emit(self.code, "ERROR", "channel", f"an incomplete record ({len(self.pending)} "
                                   "bytes) was cut off when the worker exited")
            elif self.pending:
                self.real._stderr_line(self.code, self.proc, self.pending)
        except Exception:  # noqa: BLE001, S110 - the hub cannot store it (a full disk): the pipe still ends
            pass
        finally:
            self.pending = b""
            try:
                self.pipe.close()
            except OSError:
                pass
            self.proc.stream_ended()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""


def _take(stream: _Stream, chunk: bytes) -> None:
    try:
        stream.feed(chunk)
    except Exception as e:  # noqa: BLE001 - a reader must go on (a stopped one would block the worker)
        try:
            stream.real.hub.emit(stream.code, "ERROR", "supervisor", f"worker output could not be stored: {e!r}")
        except Exception:  # noqa: BLE001, S110 - the hub cannot store anything (a full disk): read on
            pass


def _read_to_end(stream: _Stream) -> None:
    """A reader thread of one pipe (Windows)."""
    while chunk := _read(stream.fd):
        _take(stream, chunk)
    stream.end()


class _PipeReader:
    """One thread that reads every worker pipe as data arrives (POSIX)."""

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.closing = False
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        self.selector.register(self.wake_r, selectors.EVENT_READ, None)

    def add(self, stream: _Stream) -> None:
        with self.lock:
            self.selector.register(stream.fd, selectors.EVENT_READ, stream)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="worker-pipes", daemon=True)
                self.thread.start()
        os.write(self.wake_w, b"!")  # a select() under way takes the new pipe in at once

    def _run(self) -> None:
        select = self.selector.select
        while True:
            for key, _events in select():
                stream: _Stream | None = key.data
                if stream is None:
                    try:
                        os.read(self.wake_r, 4096)
                    except BlockingIOError:
                        pass
                    if self.closing:
                        self._close_all()
                        return
                    continue
                chunk = _read(stream.fd)
                if chunk:
                    _take(stream, chunk)
                    continue
                with self.lock:
                    self.selector.unregister(stream.fd)
                stream.end()

    def close(self) -> None:
        """Stop reading (the supervisor's end): a pipe still open (a grandchild holds it) is closed."""
        with self.lock:
            self.closing = True
            thread = self.thread
        os.write(self.wake_w, b"!")
        if thread is None:
            self._close_all()
        else:
            thread.join(timeout=10)

    def _close_all(self) -> None:
        with self.lock:
            streams = [key.data for key in self.selector.get_map().values() if key.data is not None]
            for stream in streams:
                self.selector.unregister(stream.fd)
        for stream in streams:
            stream.end()
        self.selector.close()
        os.close(self.wake_r)
        os.close(self.wake_w)


class RealOS:
    """Spawns workers and turns what they say into events on `events` and records in `hub`."""

    def __init__(self, config_path: Path, events: queue.Queue[tuple[Any, ...]], hub: LogHub,
                 redact: Callable[[str], str] = lambda s: s) -> None:
        self.config_path = config_path
        self.events = events
        self.hub = hub
        self.redact = redact
        self.rng = random.Random()
        self.pipes = None if WINDOWS else _PipeReader()

    def random(self) -> float:
        return self.rng.random()

    def wall(self) -> float:
        return time.time()

    def spawn(self, plugin: PluginConfig) -> WorkerProc:
        env = dict(os.environ)
        # setproctitle must not overwrite the environment block (psutil would then read garbage).
        env["SPT_NOENV"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        kwargs: dict[str, Any] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NO_WINDOW | subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            # Its own session: a Ctrl-C in the terminal reaches the supervisor, which stops workers politely.
            kwargs["start_new_session"] = True
        popen = subprocess.Popen(worker_argv(plugin.code, self.config_path), stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, close_fds=True,
                                 **kwargs)
        proc = WorkerProc(popen)
        assert popen.stdout is not None and popen.stderr is not None
        for pipe, channel in ((popen.stdout, True), (popen.stderr, False)):
            stream = _Stream(self, plugin.code, proc, pipe, channel)
            if self.pipes is not None:
                self.pipes.add(stream)
            else:
                threading.Thread(target=_read_to_end, args=(stream,), name=f"{plugin.code}-{pipe.fileno()}",
                                 daemon=True).start()
        threading.Thread(target=self._wait, args=(plugin.code, proc), name=f"{plugin.code}-wait",
                         daemon=True).start()
        return proc

    def close(self) -> None:
        """Stop reading the workers' pipes (once every worker has exited)."""
        if self.pipes is not None:
            self.pipes.close()

    def _dispatch(self, code: str, proc: WorkerProc, data: bytes) -> None:
        """Whole lines (`data` ends with a newline) -> records for the hub, events for the policy."""
        # The common case, a run of log records only, is decoded in one call. Each log record starts
        # with LOG_HEAD, and those bytes cannot occur inside a JSON string (its quotes would be escaped),
        # so equal counts mean one per line; anything else (a control message, a blank or broken line)
        # takes the line-by-line path, which also keeps records and events in order.
        if data.count(LOG_HEAD) == data.count(b"\n"):
            try:
                records = orjson.loads(b"[" + data[:-1].replace(b"\n", b",") + b"]")
            except orjson.JSONDecodeError:
                pass
            else:
                self.hub.emit_worker_batch(code, records)
                return
        self._dispatch_lines(code, proc, data.split(b"\n"))

    def _dispatch_lines(self, code: str, proc: WorkerProc, lines: list[bytes]) -> None:
        batch: list[list[Any]] = []
        now = time.monotonic()
        for line in lines:
            if not line.strip():
                continue
            try:
                m = orjson.loads(line)
            except orjson.JSONDecodeError:
                m = None
            if isinstance(m, dict) and m.get("t") in CONTROL_KINDS:
                # Keep the order of records and events: flush the records read so far first.
                if batch:
                    self.hub.emit_worker_batch(code, batch)
                    batch = []
                self.events.put((m["t"], code, proc.pid, now, m))
            elif isinstance(m, list) and m[:1] == ["log"]:
                batch.append(m)  # the hub stores a record in another shape as far as it can be read
            else:
                batch.append(["log", time.time(), "ERROR", "stdout", line.decode("utf-8", "replace"), None])
        if batch:
            self.hub.emit_worker_batch(code, batch)

    def _stderr_line(self, code: str, proc: WorkerProc, raw: bytes) -> None:
        line = self.redact(raw.decode("utf-8", "replace").rstrip("\r"))
        self.events.put(("stderr", code, proc.pid, time.monotonic(), line))
        self.hub.emit(code, "ERROR", "stderr", line)

    def _wait(self, code: str, proc: WorkerProc) -> None:
        rc = proc.popen.wait()
        # Let the readers take in what the worker wrote last, so the crash record comes after it (a pipe
        # that a grandchild still holds open is read, and closed, when that one lets go of it).
        proc.drained.wait(timeout=1.0)
        with proc.stdin_lock:
            if proc.popen.stdin is not None:
                try:
                    proc.popen.stdin.close()
                except OSError:
                    pass
        self.events.put(("exit", code, proc.pid, time.monotonic(), rc))

    def send(self, handle: Handle, message: dict[str, Any]) -> None:
        proc = cast(WorkerProc, handle)
        stdin = proc.popen.stdin
        if stdin is None:
            return
        with proc.stdin_lock:
            try:
                stdin.write(orjson.dumps(message) + b"\n")
                stdin.flush()
            except (OSError, ValueError):
                pass  # the worker is gone; its exit event follows

    def kill_tree(self, handle: Handle) -> None:
        proc = cast(WorkerProc, handle)
        try:
            children = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            children = []
        try:
            proc.popen.kill()
        except OSError:
            pass
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                pass
