"""The local control API: HTTP on a loopback address, every request authenticated by a bearer token.

The address and the token are written to `<data_dir>/run/control.json`, readable only by the account
that runs the supervisor. The CLI, the tray and the log viewer all talk to the supervisor this way.
"""

from __future__ import annotations

import hmac
import http.client
import ipaddress
import json
import os
import secrets
import selectors
import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import ControlError, NotRunning
from .messages import msg

CONTROL_FILE = "control.json"


class ApiError(Exception):
    """A request the supervisor refuses, with an HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


# route -> handler(body, with query parameters merged in) -> a JSON reply, or an iterator of byte
# chunks streamed until it ends or the caller goes away; the runner provides them.
Reply = dict[str, Any] | Iterator[bytes]
Routes = dict[tuple[str, str], Callable[[dict[str, Any]], Reply]]


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr: tuple[str, int], token: str, routes: Routes) -> None:
        host = addr[0]
        if host == "localhost":
            host = "127.0.0.1"
        if not _is_loopback(host):
            # Config validation refuses this already; the server refuses it again.
            raise ValueError(f"control API must bind a loopback address, not {addr[0]}")
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, addr[1]), _Handler)
        self.token = token
        self.routes = routes
        # serve_forever() polls twice a second for its shutdown flag; this loop sleeps until a
        # connection comes or close() writes to the wake-up socket (a socketpair works on Windows too).
        self._wake_r, self._wake_w = socket.socketpair()

    def serve(self) -> None:
        with selectors.DefaultSelector() as sel:
            sel.register(self, selectors.EVENT_READ)
            sel.register(self._wake_r, selectors.EVENT_READ)
            while True:
                for key, _ in sel.select():
                    if key.fileobj is self._wake_r:
                        return
                    self._handle_request_noblock()  # type: ignore[attr-defined]  # stdlib, untyped

    def stop(self) -> None:
        self._wake_w.send(b"x")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # A log stream writes small batches; Nagle would hold each one back ~30 ms for the previous ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass  # requests are not logged: they carry the token

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        if not _is_loopback(self.client_address[0]):
            self._reply(403, {"error": "the control API answers only this machine"})
            return
        given = self.headers.get("Authorization", "")
        expected = f"Bearer {self.server.token}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            reason = "missing token" if not given else "wrong token"
            self._reply(401, {"error": f"unauthorized: {reason}"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        body: dict[str, Any] = {}
        if length:
            try:
                body = json.loads(self.rfile.read(length))
            except ValueError:
                self._reply(400, {"error": "the request body is not JSON"})
                return
        path, _, query = self.path.partition("?")
        handler = self.server.routes.get((method, path))
        if handler is None:
            self._reply(404, {"error": f"no such call: {method} {path}"})
            return
        body.update({k: v[-1] for k, v in urllib.parse.parse_qs(query).items()})
        try:
            result = handler(body)
        except ApiError as e:
            self._reply(e.status, {"error": str(e)})
            return
        if isinstance(result, dict):
            self._reply(200, result)
        else:
            self._stream(result)

    def _stream(self, chunks: Iterator[bytes]) -> None:
        """Newline-delimited JSON until the iterator ends or the caller hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # the follower went away
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self._handle("POST")


class ControlServer:
    """Serves `routes` on a loopback port and publishes the address and token in `run_dir`."""

    def __init__(self, run_dir: Path, host: str, port: int, routes: Routes, pid: int) -> None:
        self.token = secrets.token_urlsafe(32)
        self.server = _Server((host, port), self.token, routes)
        self.file = run_dir / CONTROL_FILE
        self.port = self.server.server_address[1]
        _write_private(self.file, {"pid": pid, "host": self.server.server_address[0], "port": self.port,
                                   "token": self.token})
        self.thread = threading.Thread(target=self.server.serve, name="control-api", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass
        self.server.stop()
        self.thread.join(timeout=5)
        self.server.server_close()
        self.server._wake_r.close()
        self.server._wake_w.close()


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON readable only by the owner (mode 0600), replacing the old file atomically."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def read_control_file(run_dir: Path) -> dict[str, Any] | None:
    try:
        with open(run_dir / CONTROL_FILE) as f:
            data: dict[str, Any] = json.load(f)
            return data
    except (FileNotFoundError, ValueError):
        return None


class ControlClient:
    """Calls the supervisor of one data directory."""

    def __init__(self, run_dir: Path, data_dir: Path, timeout: float = 10.0) -> None:
        self.data_dir = data_dir
        info = read_control_file(run_dir)
        if info is None:
            raise NotRunning(msg("cli.not_running", data_dir=data_dir, why=""))
        self.info = info
        self.timeout = timeout

    @property
    def pid(self) -> int:
        return int(self.info["pid"])

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             token: str | None = None) -> dict[str, Any]:
        conn = http.client.HTTPConnection(self.info["host"], self.info["port"], timeout=self.timeout)
        headers = {"Content-Type": "application/json"}
        tok = self.info["token"] if token is None else token
        if tok:
            headers["Authorization"] = f"Bearer {tok}"
        try:
            conn.request(method, path, body=json.dumps(body or {}), headers=headers)
            resp = conn.getresponse()
            data = json.loads(resp.read() or b"{}")
        except ConnectionRefusedError:
            why = f" (pid {self.info.get('pid')} left a stale control file)"
            raise NotRunning(msg("cli.not_running", data_dir=self.data_dir, why=why)) from None
        except (OSError, http.client.HTTPException, ValueError) as e:
            raise ControlError(f"control API at {self.info['host']}:{self.info['port']}: {e}") from None
        finally:
            conn.close()
        if resp.status != 200:
            raise ControlError(msg("cli.refused", reason=data.get("error", resp.status)))
        return data

    def stream(self, path: str, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Objects from a streaming call, one per line, until the supervisor ends the stream."""
        conn = http.client.HTTPConnection(self.info["host"], self.info["port"], timeout=None)
        url = path + "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        try:
            conn.request("GET", url, headers={"Authorization": f"Bearer {self.info['token']}"})
            resp = conn.getresponse()
            if resp.status != 200:
                data = json.loads(resp.read() or b"{}")
                raise ControlError(msg("cli.refused", reason=data.get("error", resp.status)))
            while True:
                line = resp.readline()
                if not line:
                    return
                if line.strip():
                    yield json.loads(line)
        except ConnectionRefusedError:
            raise NotRunning(msg("cli.not_running", data_dir=self.data_dir, why="")) from None
        finally:
            conn.close()
