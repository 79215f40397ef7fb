"""The viewer's link to the supervisor: a log follower and a status poller, each on its own thread.

The follower streams GET /v1/logs from the last sequence number it received. Sequence numbers belong
to the data directory and go on across supervisor restarts, so reconnecting from there never misses
or repeats a record, and neither does resuming after a pause: a pause closes the stream (memory
stays flat however long it lasts) and a resume asks for everything after the last record shown,
which the supervisor serves from its ring or its files.

Both threads hand events to the UI through a callback (a queue put); they never touch Tk.
"""

from __future__ import annotations

import http.client
import json
import queue
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from ..control import ControlClient
from ..errors import ControlError
from ..loghub import Record

Connect = Callable[[], ControlClient]
Emit = Callable[[tuple[Any, ...]], None]

BACKFILL = 1000       # records shown from before the viewer opened
READ_TIMEOUT = 15.0   # the supervisor sends a keep-alive line every second while idle
RETRY_EVERY = 1.0


def _reason(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


class LogFollower:
    """Streams records into `emit` as ("record", Record), ("skipped", n), ("log_connected", seq) and
    ("log_disconnected", reason) events; pause() and resume() stop and restart the stream."""

    def __init__(self, connect: Connect, emit: Emit, backfill: int = BACKFILL, retry_every: float = RETRY_EVERY
                 ) -> None:
        self.connect = connect
        self.emit = emit
        self.backfill = backfill
        self.retry_every = retry_every
        self.after: int | None = None  # the last sequence number received
        self.following = threading.Event()
        self.quit = threading.Event()
        self.sock_lock = threading.Lock()
        self.sock: socket.socket | None = None
        self.thread = threading.Thread(target=self._loop, name="viewer-logs", daemon=True)

    def start(self) -> None:
        self.following.set()
        self.thread.start()

    def pause(self) -> None:
        self.following.clear()
        self._interrupt()

    def resume(self) -> None:
        self.following.set()

    def close(self) -> None:
        self.quit.set()
        self.following.set()
        self._interrupt()
        if self.thread.is_alive():
            self.thread.join(timeout=10)

    def _interrupt(self) -> None:
        """Wake the thread out of a blocking read (shutdown works across threads; close alone may not)."""
        with self.sock_lock:
            if self.sock is not None:
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _loop(self) -> None:
        while not self.quit.is_set():
            self.following.wait()
            if self.quit.is_set():
                return
            try:
                self._follow_once()
                reason = "the supervisor ended the stream"
            except (ControlError, OSError, ValueError, http.client.HTTPException) as e:
                reason = _reason(e)
            if self.quit.is_set():
                return
            if not self.following.is_set():
                continue  # paused: the stream was closed on purpose
            self.emit(("log_disconnected", reason))
            self.quit.wait(self.retry_every)

    def _start_seq(self, client: ControlClient) -> int:
        newest = int(client.call("GET", "/v1/status")["supervisor"]["log_seq"])
        if self.after is None or self.after > newest:
            # First connection (backfill), or the log files were replaced and numbering began again.
            self.after = max(0, newest - self.backfill)
        return self.after

    def _follow_once(self) -> None:
        client = self.connect()
        after = self._start_seq(client)
        info = client.info
        conn = http.client.HTTPConnection(info["host"], info["port"], timeout=READ_TIMEOUT)
        resp: http.client.HTTPResponse | None = None
        try:
            query = urllib.parse.urlencode({"after": after, "follow": 1})
            conn.request("GET", f"/v1/logs?{query}", headers={"Authorization": f"Bearer {info['token']}"})
            # Taken now: for a "Connection: close" reply, getresponse() hands the socket to the response
            # and sets conn.sock to None, yet pause() must still be able to shut it down.
            with self.sock_lock:
                self.sock = conn.sock
            if not self.following.is_set():
                return
            resp = conn.getresponse()
            if resp.status != 200:
                raise ControlError(f"GET /v1/logs: HTTP {resp.status}")
            self.emit(("log_connected", after))
            while self.following.is_set() and not self.quit.is_set():
                line = resp.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    continue  # keep-alive
                obj = json.loads(line)
                if "skipped" in obj:
                    self.emit(("skipped", int(obj["skipped"])))
                    continue
                r = Record(int(obj["seq"]), float(obj["time"]), obj.get("plugin"), str(obj["level"]),
                           str(obj.get("logger", "")), str(obj.get("message", "")), obj.get("exc"))
                self.after = r.seq
                self.emit(("record", r))
        finally:
            with self.sock_lock:
                sock, self.sock = self.sock, None
            if resp is not None:
                resp.close()
            conn.close()
            if sock is not None:
                sock.close()


class StatusPoller:
    """Polls GET /v1/status about once a second -> ("status", snapshot, samples) or ("status_error", reason),
    and runs background jobs (journal queries, commands) so that the UI thread never waits."""

    def __init__(self, connect: Connect, emit: Emit, sample: Callable[[dict[str, Any]], Any],
                 every: float = 1.0) -> None:
        self.connect = connect
        self.emit = emit
        self.sample = sample
        self.every = every
        self.client: ControlClient | None = None
        self.jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self.quit = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="viewer-status", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self.jobs.put(job)

    def close(self) -> None:
        self.quit.set()
        self.jobs.put(None)
        if self.thread.is_alive():
            self.thread.join(timeout=10)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """A control API call with a fresh client (the supervisor may have restarted since)."""
        return self.connect().call(method, path, body)

    def poll(self) -> None:
        try:
            if self.client is None:
                self.client = self.connect()
            status = self.client.call("GET", "/v1/status")
        except (ControlError, OSError, ValueError) as e:
            self.client = None
            self.emit(("status_error", _reason(e)))
            return
        self.emit(("status", status, self.sample(status)))

    def _loop(self) -> None:
        next_poll = 0.0
        while not self.quit.is_set():
            now = time.monotonic()
            if now >= next_poll:
                self.poll()
                next_poll = time.monotonic() + self.every
            try:
                job = self.jobs.get(timeout=max(0.0, next_poll - time.monotonic()))
            except queue.Empty:
                continue
            if job is None:
                return
            job()
