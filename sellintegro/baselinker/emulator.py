"""A BaseLinker API emulator: a real HTTP server speaking the documented wire format.

`POST /connector.php` with form fields `method` and `parameters` (JSON) and the `X-BLToken` header
(the deprecated `token` form field is accepted too); every answer is HTTP 200 with the JSON
envelope, like the service [C]. Around the emulated account (account.py) it enforces:
- the token: anything else is ERROR_BAD_TOKEN;
- the rate limit as the service does: more than `rate_limit` requests in any `rate_window`
  seconds does not get a 429 but blocks the account for `block_seconds`, and every call in that
  time fails with ERROR_USER_ACCOUNT_BLOCKED [C]. Requests refused while blocked are not counted,
  and do not prolong the block [U];
- faults on demand (`inject`, or POST /_admin/faults): "500"/"503" (an HTML error page from a
  proxy), "timeout" (the answer comes only after `delay` seconds), "malformed" (a cut-off body),
  "reset" (the connection closes with no answer), "blocked" (the account is blocked now).

Every request is recorded (`requests`, GET /_admin/stats) so tests can count what reached the server.

In-process: `with Emulator(token, orders) as emu: ... emu.url ...` (port 0 picks a free port).
Standalone: `sellintegro sim baselinker --port P [--token T] [--orders FILE.json] [--rate-limit N]`.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from .account import Account, ApiFailure

log = logging.getLogger("sellintegro.baselinker.emulator")

# The demo token: shaped like a real one, so the endpoint's redaction masks it like a real one.
DEMO_TOKEN = "1000001-1000001-SELLINTEGRODEMO0TOKEN0000"
LOG_MAX = 100_000
FAULTS = ("500", "503", "timeout", "malformed", "reset", "blocked")


@dataclass
class RequestRecord:
    """One request as the emulator saw it: when (monotonic and wall clock), which method, what came of it."""

    n: int
    time: float
    wall: float
    method: str
    outcome: str  # "SUCCESS", an error code, or "fault:<kind>"


@dataclass
class _Fault:
    kind: str
    count: int
    method: str | None
    delay: float


@dataclass
class _Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0
    reset: bool = False


class Emulator:
    """The emulator; `account` holds the data, `requests` what came in. Thread-safe."""

    def __init__(self, token: str = DEMO_TOKEN, orders: Iterable[Mapping[str, Any]] = (), *,
                 host: str = "127.0.0.1", port: int = 0, rate_limit: int = 100, rate_window: float = 60.0,
                 block_seconds: float = 180.0, journal_enabled: bool = True, auto_receipts: bool = True,
                 clock: Callable[[], float] = time.time) -> None:
        self.token = token
        self.account = Account(orders, clock=clock, journal_enabled=journal_enabled, auto_receipts=auto_receipts)
        self.host, self.port = host, port
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.block_seconds = block_seconds
        self.blocked_until = 0.0  # time.monotonic()
        self.limit_exceeded = 0  # times a request went over the limit (and blocked the account)
        self._lock = threading.Lock()
        self._arrivals: collections.deque[float] = collections.deque()
        self._faults: list[_Fault] = []
        # The log keeps the last LOG_MAX requests (a demo may run for days); `_total` counts them all.
        self._requests: collections.deque[RequestRecord] = collections.deque(maxlen=LOG_MAX)
        self._total = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Listen and serve in a background thread."""
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="baselinker-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections, and wait for every handler thread."""
        self._stopping.set()
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/connector.php"

    # -- what tests steer and read -------------------------------------------------------------------------

    def inject(self, kind: str, count: int = 1, method: str | None = None, delay: float = 5.0) -> None:
        """Make the next `count` requests (of `method`, or any) fail as `kind` (one of FAULTS)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        with self._lock:
            self._faults.append(_Fault(kind, count, method, delay))

    def clear_faults(self) -> None:
        """Forget the faults not yet used."""
        with self._lock:
            self._faults.clear()

    def block(self, seconds: float | None = None) -> None:
        """Block the account now, as going over the limit does."""
        with self._lock:
            self.blocked_until = time.monotonic() + (self.block_seconds if seconds is None else seconds)

    @property
    def requests(self) -> list[RequestRecord]:
        """The recorded requests, oldest first (copies: later outcomes do not change them)."""
        with self._lock:
            return [dataclasses.replace(r) for r in self._requests]

    def count(self, method: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self._requests if method is None or r.method == method)

    def max_in_window(self) -> int:
        """The most requests counted against the limit in any `rate_window` seconds (only accepted ones)."""
        times = sorted(r.time for r in self.requests if not r.outcome.startswith("fault:")
                       and r.outcome not in ("ERROR_BAD_TOKEN", "ERROR_USER_ACCOUNT_BLOCKED"))
        best, start = 0, 0
        for end, t in enumerate(times):
            while times[start] <= t - self.rate_window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def stats(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            return {"requests": self._total, "limit_exceeded": self.limit_exceeded,
                    "blocked_for_s": max(0.0, self.blocked_until - now), "rate_limit": self.rate_limit,
                    "rate_window_s": self.rate_window, "log": [asdict(r) for r in self._requests]}

    def reset_stats(self) -> None:
        with self._lock:
            self._requests.clear()
            self._total = 0
            self.limit_exceeded = 0

    # -- one request ---------------------------------------------------------------------------------------

    def handle(self, body: bytes, header_token: str | None) -> _Reply:
        """Answer one POST to the connector."""
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        method = (form.get("method") or [""])[0]
        # The deprecated `token` form field still works [D].
        token = header_token if header_token is not None else next(iter(form.get("token") or []), None)
        with self._lock:
            now = time.monotonic()
            self._total += 1
            n = self._total
            fault = self._take_fault(method)
            if fault is not None and fault.kind == "blocked":
                self.blocked_until = now + self.block_seconds
                fault = None
            delay = 0.0
            if fault is not None and fault.kind == "timeout":
                delay, fault = fault.delay, None  # answered normally, only too late
            if fault is not None:
                self._requests.append(RequestRecord(n, now, time.time(), method, f"fault:{fault.kind}"))
                return _fault_reply(fault.kind)
            error = self._admit(token, now)
            if error is not None:
                self._requests.append(RequestRecord(n, now, time.time(), method, error.code))
                reply = _envelope_error(error)
                reply.delay = delay
                return reply
            record = RequestRecord(n, now, time.time(), method, "pending")
            self._requests.append(record)
        # The account has its own lock: a slow method does not hold up the counting above.
        try:
            try:
                parameters = json.loads((form.get("parameters") or ["{}"])[0] or "{}")
            except ValueError:
                raise ApiFailure("ERROR_BAD_PARAMETERS", "parameters is not valid JSON") from None
            if not isinstance(parameters, dict):
                raise ApiFailure("ERROR_BAD_PARAMETERS", "parameters must be a JSON object")
            result = {"status": "SUCCESS", **self.account.call(method, parameters)}
            reply, outcome = _Reply(body=json.dumps(result, ensure_ascii=False).encode("utf-8")), "SUCCESS"
        except ApiFailure as failure:
            reply, outcome = _envelope_error(failure), failure.code
        except Exception:  # a bug here, or bad seed data: answer as a broken server does
            log.exception("%s failed inside the emulator", method)
            reply, outcome = _fault_reply("500"), "fault:internal"
        with self._lock:
            record.outcome = outcome
        reply.delay = delay
        return reply

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method is None or fault.method == method:
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _admit(self, token: str | None, now: float) -> ApiFailure | None:
        """The token and the rate limit; None when the request may run (it is then counted)."""
        if not token or token != self.token:
            return ApiFailure("ERROR_BAD_TOKEN", "invalid or missing API token")
        if now < self.blocked_until:
            return ApiFailure("ERROR_USER_ACCOUNT_BLOCKED",
                              "account blocked for exceeding the request limit; try again later")
        if self.rate_limit > 0:
            while self._arrivals and self._arrivals[0] <= now - self.rate_window:
                self._arrivals.popleft()
            if len(self._arrivals) >= self.rate_limit:
                self.limit_exceeded += 1
                self.blocked_until = now + self.block_seconds
                log.warning("rate limit exceeded (%d requests in %.0f s): account blocked for %.0f s",
                            len(self._arrivals) + 1, self.rate_window, self.block_seconds)
                return ApiFailure("ERROR_USER_ACCOUNT_BLOCKED",
                                  f"request limit of {self.rate_limit} per minute exceeded; account blocked")
            self._arrivals.append(now)
        return None

    # -- admin endpoints -----------------------------------------------------------------------------------

    def admin(self, verb: str, path: str, body: bytes) -> tuple[int, Any]:
        """GET /_admin/stats; POST /_admin/faults {"kind","count","method","delay"}; POST /_admin/orders [..];
        POST /_admin/block {"seconds"}; POST /_admin/reset-stats; POST /_admin/receipts {"order_id"}."""
        try:
            data = json.loads(body or b"null")
            if verb == "GET" and path == "/_admin/stats":
                return 200, self.stats()
            if verb == "POST" and path == "/_admin/faults":
                self.inject(str(data["kind"]), int(data.get("count", 1)), data.get("method"),
                            float(data.get("delay", 5.0)))
                return 200, {"ok": True}
            if verb == "POST" and path == "/_admin/orders":
                return 200, {"order_ids": self.account.add_orders(data if isinstance(data, list) else [data])}
            if verb == "POST" and path == "/_admin/block":
                self.block(None if not data else float(data.get("seconds", self.block_seconds)))
                return 200, {"ok": True}
            if verb == "POST" and path == "/_admin/reset-stats":
                self.reset_stats()
                return 200, {"ok": True}
            if verb == "POST" and path == "/_admin/receipts":
                return 200, {"receipt_id": self.account.issue_receipt(int(data["order_id"]))}
        except (ValueError, KeyError, TypeError, ApiFailure) as e:
            return 400, {"error": str(e)}
        return 404, {"error": f"no admin endpoint {verb} {path}"}


def _envelope_error(failure: ApiFailure) -> _Reply:
    body = {"status": "ERROR", "error_code": failure.code, "error_message": failure.message}
    return _Reply(body=json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _fault_reply(kind: str) -> _Reply:
    if kind in ("500", "503"):
        title = "500 Internal Server Error" if kind == "500" else "503 Service Unavailable"
        return _Reply(int(kind), f"<html><body><h1>{title}</h1></body></html>".encode(), "text/html")
    if kind == "malformed":
        return _Reply(body=b'{"status":"SUCCESS","orders":[{"order_id":1,"delivery_fu')
    return _Reply(reset=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # stop() joins every handler thread (block_on_close)
    block_on_close = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-request is normal here (timeout tests); never print to stderr.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Wake handler threads blocked reading a kept-alive connection."""
        with self._conn_lock:
            for conn in self._connections:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    timeout = 120  # an idle kept-alive connection is dropped after this
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client gave up (a timeout test): nothing to answer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        if path.startswith("/_admin/"):
            self._admin("POST", path, body)
            return
        if path != "/connector.php":
            self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
            return
        emulator = self.server.emulator
        reply = emulator.handle(body, self.headers.get("X-BLToken"))
        if reply.delay > 0 and emulator._stopping.wait(reply.delay):
            reply.reset = True  # shutting down: drop it
        if reply.reset:
            self.close_connection = True
            return
        self._send(reply.status, reply.body, reply.content_type)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/_admin/"):
            self._admin("GET", path, b"")
        else:
            self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")

    def _admin(self, verb: str, path: str, body: bytes) -> None:
        status, data = self.server.emulator.admin(verb, path, body)
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


# -- the standalone simulator -------------------------------------------------------------------------------

def load_orders(path: Path) -> list[dict[str, Any]]:
    """A JSON list of orders shaped as getOrders returns them; ValueError saying what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ValueError(f"{path}: cannot read: {e.strerror or e}") from None
    except ValueError as e:
        raise ValueError(f"{path}: not valid JSON: {e}") from None
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        raise ValueError(f"{path}: must hold a JSON list of order objects (as getOrders returns them)")
    return data


def main(argv: list[str] | None = None) -> int:
    """`sellintegro sim baselinker`: serve until Ctrl-C or SIGTERM. Exit 0, or 2 for bad options or files."""
    parser = argparse.ArgumentParser(prog="sellintegro sim baselinker",
                                     description="A local BaseLinker API emulator (for the demo and tests).")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--token", default=DEMO_TOKEN, help="the API token it accepts (default: the demo token)")
    parser.add_argument("--orders", type=Path, metavar="FILE.json",
                        help="seed orders: a JSON list shaped as getOrders returns them")
    parser.add_argument("--generate", type=int, default=0, metavar="N",
                        help="seed N generated sample orders (see sellintegro.baselinker.seed)")
    parser.add_argument("--rate-limit", type=int, default=100, metavar="N",
                        help="requests per minute before the account is blocked; 0 = off (default: %(default)s)")
    parser.add_argument("--block-seconds", type=float, default=180.0,
                        help="how long going over the limit blocks the account (default: %(default)s)")
    parser.add_argument("--no-journal", action="store_true", help="answer getJournalList with an empty list, "
                        "as an account without the journal enabled does")
    args = parser.parse_args(argv)
    if args.rate_limit < 0 or not 0 <= args.port <= 65535:
        print("sellintegro sim baselinker: --rate-limit must be >= 0 and --port 0-65535", file=sys.stderr)
        return 2
    orders: list[dict[str, Any]] = []
    try:
        if args.orders is not None:
            orders += load_orders(args.orders)
        if args.generate:
            from .seed import generate_orders

            first = max((int(o.get("order_id", 0) or 0) for o in orders), default=0) + 1
            orders += generate_orders(args.generate, now=time.time(), first_id=max(first, 1))
        emulator = Emulator(args.token, orders, host=args.host, port=args.port, rate_limit=args.rate_limit,
                            block_seconds=args.block_seconds, journal_enabled=not args.no_journal)
    except ValueError as e:
        print(f"sellintegro sim baselinker: {e}", file=sys.stderr)
        return 2
    try:
        emulator.start()
    except OSError as e:
        print(f"sellintegro sim baselinker: cannot listen on {args.host}:{args.port}: {e.strerror or e}",
              file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    token_note = "the demo token" if args.token == DEMO_TOKEN else "the token given with --token"
    print(f"BaseLinker emulator on {emulator.url} ({len(emulator.account.orders)} orders, "
          f"rate limit {args.rate_limit or 'off'}/min, accepting {token_note}); Ctrl-C stops it", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
