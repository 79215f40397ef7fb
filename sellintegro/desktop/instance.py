"""One log viewer per endpoint and user: an OS file lock, plus a loopback channel to the one that runs.

The viewer that takes the lock listens on a loopback port and writes the port, its pid and a random
token into a file readable only by this user. A second viewer (or the tray) that finds the lock taken
sends `{"cmd": "focus"}` there and the running viewer raises its window. The kernel releases the lock
when the holder dies, so a crashed viewer never blocks the next one; a stale file is simply refused.

The same channel answers `dump` (what the widgets show), which the tests read back. Requests are one
JSON line each way; the token keeps other local users out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import filelock
import platformdirs

from .. import places

Handler = Callable[[dict[str, Any]], dict[str, Any]]
MAX_REQUEST = 64 * 1024
MAX_REPLY = 256 * 1024 * 1024  # a dump carries the text of the log widget


class NoViewer(Exception):
    """No viewer answers for this endpoint."""


def state_dir() -> Path:
    """A per-user directory for the lock and the channel file."""
    # platformdirs warns (and falls back to /tmp) when XDG_RUNTIME_DIR is unset; the cache dir is
    # per-user and always there.
    if os.name == "posix" and os.environ.get("XDG_RUNTIME_DIR"):
        base = Path(platformdirs.user_runtime_dir(places.APP, appauthor=False))
    else:
        base = Path(platformdirs.user_cache_dir(places.APP, appauthor=False))
    return places.ensure_private_dir(base / "viewer")


def key_for(data_dir: Path) -> str:
    """One viewer per data directory: the tests run many endpoints side by side, so do services."""
    return hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]


class Instance:
    """The single-instance lock of one endpoint's viewer, and (once held) its request listener."""

    def __init__(self, key: str, directory: Path | None = None) -> None:
        self.dir = directory or state_dir()
        self.lock_path = self.dir / f"{key}.lock"
        self.info_path = self.dir / f"{key}.json"
        self.lock = filelock.FileLock(str(self.lock_path), timeout=0)
        self.server: socket.socket | None = None
        self.thread: threading.Thread | None = None
        self.token = secrets.token_urlsafe(24)

    def acquire(self) -> bool:
        """True when this process is now the one viewer; False when another holds the lock."""
        try:
            self.lock.acquire()
        except filelock.Timeout:
            return False
        return True

    def serve(self, handle: Handler) -> None:
        """Answer requests with `handle` (called on a background thread) and publish the address."""
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        self.server = server
        info = {"pid": os.getpid(), "port": server.getsockname()[1], "token": self.token}
        tmp = self.info_path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(info, f)
        os.replace(tmp, self.info_path)
        self.thread = threading.Thread(target=self._accept, args=(server, handle), name="viewer-instance",
                                       daemon=True)
        self.thread.start()

    def _accept(self, server: socket.socket, handle: Handler) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(10.0)
                try:
                    reply = self._answer(_read_line(conn), handle)
                    conn.sendall(json.dumps(reply).encode() + b"\n")
                except (OSError, ValueError):
                    continue

    def _answer(self, line: bytes, handle: Handler) -> dict[str, Any]:
        request = json.loads(line)
        if not isinstance(request, dict) or not hmac.compare_digest(str(request.pop("token", "")), self.token):
            return {"ok": False, "error": "wrong token"}
        try:
            return {"ok": True, **handle(request)}
        except Exception as e:  # noqa: BLE001 - the caller gets the reason; the viewer goes on
            return {"ok": False, "error": f"{type(e).__name__}: {e}"}

    def close(self) -> None:
        if self.server is not None:
            # shutdown() wakes the thread blocked in accept() on Linux; close() alone does not.
            try:
                self.server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.server.close()
            self.server = None
            try:
                self.info_path.unlink()
            except FileNotFoundError:
                pass
        if self.thread is not None:
            self.thread.join(timeout=5)
            self.thread = None
        if self.lock.is_locked:
            self.lock.release()


def _read_line(conn: socket.socket, limit: int = MAX_REQUEST) -> bytes:
    data = bytearray()
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > limit:
            raise ValueError("message too long")
    return bytes(data)


def holder_pid(key: str, directory: Path | None = None) -> int | None:
    """The pid the running viewer published, if any."""
    try:
        info = json.loads(((directory or state_dir()) / f"{key}.json").read_text(encoding="utf-8"))
        return int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def request(key: str, body: dict[str, Any], timeout: float = 10.0, directory: Path | None = None
            ) -> dict[str, Any]:
    """Send one request to the running viewer of `key` and return its reply; NoViewer if none answers."""
    path = (directory or state_dir()) / f"{key}.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        port, token = int(info["port"]), str(info["token"])
    except (OSError, ValueError, KeyError, TypeError):
        raise NoViewer(str(path)) from None
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(json.dumps({**body, "token": token}).encode() + b"\n")
            conn.shutdown(socket.SHUT_WR)
            reply = json.loads(_read_line(conn, MAX_REPLY) or b"{}")
    except (OSError, ValueError) as e:
        raise NoViewer(f"{path}: {e}") from None
    if not reply.get("ok"):
        raise NoViewer(f"{path}: {reply.get('error', 'no answer')}")
    result: dict[str, Any] = reply
    return result
