"""A POSNET ONLINE printer simulator: a real TCP server (and optionally a pty) speaking the printer's protocol.

    sellintegro sim printer --port 6666 [--serial [LINK]] [--out DIR] [--vat 23,8,5,0,-,-,zw]

Like the device, it checks every frame (CRC, token, two-letter ids, conversions) and answers frame
errors with `ERR ?n`; it runs queued commands one at a time in arrival order, answering each after it
ran, while `!sprn` and `!sdev` are answered at once. A command that moves paper waits while the
mechanism cannot print (paper out, cover open) and runs when the fault is cleared. The state machine
(VAT table, transaction, totals, counters, fiscalized documents) is `device.py`; each printed
document is drawn as a PNG into the output folder (`render.py`).

In tests: `with PrinterSimulator(out_dir=tmp) as sim:` listens on a free port (`sim.address`),
`sim.documents` lists what it fiscalized, and faults are injected with `error_reply`, `drop_before`,
`drop_after`, `silent`, `paper_out_at`, `cover_open_at`, `paper_out` / `load_paper`,
`open_cover` / `close_cover`.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import selectors
import signal
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .device import DEFAULT_VAT, IMMEDIATE, PRINTING, Device, DeviceError, PrintedDocument
from .frame import Frame, FrameDecodeError, FrameReader, decode, encode
from .render import Letterhead, money, render

log = logging.getLogger("sellintegro.fiscal.simulator")

INPUT_BUFFER = 4096      # bytes of one frame before `ERR ?11` [U]
QUEUE_LIMIT = 32         # commands waiting before `ERR ?14` [U]


@dataclass
class Fault:
    """A one-shot fault, armed for the `nth` `command` (optionally with these parameter values) from now on.

    kinds: "error" (answer `?code` instead of running), "drop_before" (close the connection instead of
    running), "drop_after" (run, then close without answering), "silent" (run, never answer),
    "paper_out" / "cover_open" (the mechanism fails just before the command prints).
    """

    kind: str
    command: str
    nth: int = 1
    code: int = 0
    params: Mapping[str, str] | None = None
    seen: int = 0


class _Conn:
    """One client: a TCP socket, or the master side of a pty."""

    def __init__(self, sock: socket.socket | None = None, fd: int | None = None) -> None:
        self.sock = sock
        self.fd = fd
        self.reader = FrameReader(INPUT_BUFFER)
        self.lock = threading.Lock()
        self.closed = False

    def fileobj(self) -> socket.socket | int:
        return self.sock if self.sock is not None else self.fd  # type: ignore[return-value]

    def read(self) -> bytes:
        if self.sock is not None:
            return self.sock.recv(4096)
        assert self.fd is not None
        return os.read(self.fd, 4096)

    def send(self, data: bytes) -> None:
        with self.lock:
            if self.closed:
                return
            try:
                if self.sock is not None:
                    self.sock.sendall(data)
                else:
                    assert self.fd is not None
                    view = memoryview(data)
                    while view:
                        view = view[os.write(self.fd, view):]
            except OSError:
                pass  # the client went away; a real printer's answer is lost the same way

    def drop(self) -> None:
        """End the connection as a cable pulled out would: the client sees EOF (a pty can only go quiet)."""
        with self.lock:
            if self.sock is not None and not self.closed:
                try:
                    self.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            if self.sock is not None:
                self.sock.close()
            elif self.fd is not None:
                os.close(self.fd)


class PrinterSimulator:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, out_dir: Path | None = None,
                 vat: Sequence[str] = DEFAULT_VAT, read_only: bool = False, fiscal: bool = True,
                 on_document: Callable[[PrintedDocument], None] | None = None) -> None:
        self.device = Device(vat, read_only=read_only, fiscal=fiscal)
        self.device.on_print = self._printed
        self.letterhead = Letterhead(self.device.header, self.device.nip, self.device.unique)
        self.out_dir = out_dir
        self.on_document = on_document
        self._host, self._port = host, port
        self._lock = threading.Condition()
        self._faults: list[Fault] = []
        self._log: list[tuple[str, dict[str, str]]] = []
        self._jobs: queue.Queue[tuple[_Conn, Frame] | None] = queue.Queue()
        self._selector = selectors.DefaultSelector()
        self._server: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()
        self._new: list[_Conn] = []
        self._conns: list[_Conn] = []
        self._slaves: list[int] = []
        self._threads: list[threading.Thread] = []
        self._stopping = False

    # -- life cycle ------------------------------------------------------------------------------------------
    def start(self) -> PrinterSimulator:
        try:
            self._server = socket.create_server((self._host, self._port))
        except OSError:
            self.stop()
            raise
        self._port = self._server.getsockname()[1]
        self._selector.register(self._server, selectors.EVENT_READ, "listen")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        for target, name in ((self._io_loop, "posnet-sim-io"), (self._run_loop, "posnet-sim-run")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._jobs.put(None)
        self._wake()
        for thread in self._threads:
            thread.join(timeout=10)
        for conn in self._conns + self._new:
            conn.close()
        for fd in self._slaves:
            os.close(fd)
        self._conns, self._new, self._slaves = [], [], []
        if self._server is not None:
            self._server.close()
            self._server = None
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> PrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        return self._host, self._port

    def serve_pty(self) -> str:
        """Serve the protocol on a new pseudo-terminal too (POSIX); returns the path a serial driver opens."""
        if not hasattr(os, "openpty"):
            raise OSError("pseudo-terminals are POSIX only; on Windows pair two COM ports with com0com")
        import tty

        master, slave = os.openpty()
        tty.setraw(slave)   # no echo, no line discipline: bytes pass as on a serial cable
        tty.setraw(master)
        # Holding the slave open keeps the master readable while the driver closes and reopens its side.
        self._slaves.append(slave)
        self._add(_Conn(fd=master))
        return os.ttyname(slave)

    # -- inspection ------------------------------------------------------------------------------------------
    @property
    def documents(self) -> list[PrintedDocument]:
        """Fiscalized documents, oldest first."""
        with self._lock:
            return list(self.device.documents)

    @property
    def cancelled(self) -> list[PrintedDocument]:
        with self._lock:
            return list(self.device.cancelled)

    @property
    def counters(self) -> dict[str, int]:
        with self._lock:
            return dict(self.device.counters)

    @property
    def transaction_open(self) -> bool:
        with self._lock:
            return self.device.tx is not None

    @property
    def commands(self) -> list[str]:
        """The queued commands received, in order (immediate `!sprn`/`!sdev` are not listed)."""
        with self._lock:
            return [name for name, _ in self._log]

    def received(self, command: str) -> list[dict[str, str]]:
        """The parameters of every `command` received."""
        with self._lock:
            return [dict(p) for name, p in self._log if name == command]

    # -- faults ----------------------------------------------------------------------------------------------
    def inject(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def error_reply(self, command: str, code: int, nth: int = 1, params: Mapping[str, str] | None = None) -> Fault:
        return self.inject(Fault("error", command, nth, code, params))

    def drop_before(self, command: str, nth: int = 1) -> Fault:
        return self.inject(Fault("drop_before", command, nth))

    def drop_after(self, command: str, nth: int = 1) -> Fault:
        return self.inject(Fault("drop_after", command, nth))

    def silent(self, command: str, nth: int = 1) -> Fault:
        return self.inject(Fault("silent", command, nth))

    def paper_out_at(self, command: str, nth: int = 1) -> Fault:
        return self.inject(Fault("paper_out", command, nth))

    def cover_open_at(self, command: str, nth: int = 1) -> Fault:
        return self.inject(Fault("cover_open", command, nth))

    def _mechanism(self, value: int) -> None:
        with self._lock:
            self.device.mechanism = value
            self._lock.notify_all()

    def paper_out(self) -> None:
        self._mechanism(5)

    def load_paper(self) -> None:
        self._mechanism(0)

    def open_cover(self) -> None:
        self._mechanism(1)

    def close_cover(self) -> None:
        self._mechanism(0)

    def _take_fault(self, name: str, params: Mapping[str, str]) -> Fault | None:
        for fault in self._faults:
            if fault.command != name or any(params.get(k) != v for k, v in (fault.params or {}).items()):
                continue
            fault.seen += 1
            if fault.seen == fault.nth:
                self._faults.remove(fault)
                return fault
        return None

    # -- I/O: accept, read, answer immediate commands, queue the rest --------------------------------------------
    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _add(self, conn: _Conn) -> None:
        with self._lock:
            self._new.append(conn)
        self._wake()

    def _io_loop(self) -> None:
        while not self._stopping:
            with self._lock:
                fresh, self._new = self._new, []
            for conn in fresh:
                self._conns.append(conn)
                self._selector.register(conn.fileobj(), selectors.EVENT_READ, conn)
            for key, _mask in self._selector.select():
                if key.data == "wake":
                    self._wake_r.recv(4096)
                elif key.data == "listen":
                    assert self._server is not None
                    try:
                        sock, _addr = self._server.accept()
                    except OSError:
                        continue
                    conn = _Conn(sock=sock)
                    self._conns.append(conn)
                    self._selector.register(sock, selectors.EVENT_READ, conn)
                else:
                    self._read(key.data)

    def _read(self, conn: _Conn) -> None:
        try:
            data = conn.read()
        except OSError:
            data = b""
        if not data:
            self._selector.unregister(conn.fileobj())
            self._conns.remove(conn)
            conn.close()
            return
        for inner in conn.reader.feed(data):
            self._frame(conn, inner)

    def _frame(self, conn: _Conn, inner: bytes | None) -> None:
        if inner is None:
            conn.send(encode(Frame("ERR", (), None, 11)))
            return
        try:
            frame = decode(inner)
        except FrameDecodeError as e:
            params = (("cm", e.command),) if e.command else ()
            conn.send(encode(Frame("ERR", params, None, e.code)))
            return
        if frame.immediate:
            if frame.name not in IMMEDIATE:
                conn.send(encode(Frame("ERR", (("cm", frame.name),), frame.token, 12)))
                return
            with self._lock:
                result = self.device.execute(frame.name, frame.as_dict())
            conn.send(encode(Frame(frame.name, tuple(result), frame.token)))
            return
        if self._jobs.qsize() >= QUEUE_LIMIT:
            conn.send(encode(Frame("ERR", (("cm", frame.name),), frame.token, 14)))
            return
        with self._lock:
            self.device.queue_empty = False
        self._jobs.put((conn, frame))

    # -- the command queue -------------------------------------------------------------------------------------
    def _run_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._run(*job)
            with self._lock:
                self.device.queue_empty = self._jobs.empty()

    def _run(self, conn: _Conn, frame: Frame) -> None:
        name, params = frame.name, frame.as_dict()
        with self._lock:
            self._log.append((name, params))
            fault = self._take_fault(name, params)
            kind = fault.kind if fault else ""
            if kind == "paper_out":
                self.device.mechanism = 5
            elif kind == "cover_open":
                self.device.mechanism = 1
        if kind == "drop_before":
            conn.drop()
            return
        with self._lock:
            while name in PRINTING and self.device.mechanism != 0 and not self._stopping:
                self._lock.wait()
            if self._stopping:
                return
            if fault is not None and kind == "error":
                reply = Frame(name, (), frame.token, fault.code)
            else:
                try:
                    reply = Frame(name, tuple(self.device.execute(name, params)), frame.token)
                except DeviceError as e:
                    reply = _error_reply(name, frame.token, e)
                except Exception:  # a simulator bug must not kill the queue: answer as the device's ERR_UNKN
                    log.exception("the simulator failed on %s %s", name, params)
                    reply = Frame(name, (), frame.token, 50)
        if kind == "drop_after":
            conn.drop()
        elif kind != "silent":
            conn.send(encode(reply))

    def _printed(self, doc: PrintedDocument) -> PrintedDocument:
        # Runs inside Device.execute, under the lock: the document and its image exist before the answer.
        if self.out_dir is not None:
            state = "" if doc.fiscal else "cancelled-"
            path = self.out_dir / f"{state}{doc.kind}-{doc.number:06d}.png"
            doc = replace(doc, image=render(doc, path, self.letterhead))
        if self.on_document is not None:
            self.on_document(doc)
        return doc


def _error_reply(name: str, token: str | None, error: DeviceError) -> Frame:
    if not error.frame:
        return Frame(name, (), token, error.code)
    params = [("cm", name)]
    if error.field:
        params.append(("fd", error.field))
    return Frame("ERR", tuple(params), token, error.code)


def _vat_slots(text: str) -> tuple[str, ...]:
    slots = []
    for item in text.split(","):
        item = item.strip().lower()
        slots.append("100" if item in ("zw", "exempt") else "101" if item in ("-", "") else item)
    if len(slots) != 7 or not all(s.replace(".", "", 1).isdigit() for s in slots):
        raise argparse.ArgumentTypeError("7 VAT slots A-G: percent, zw (exempt) or - (inactive)")
    return tuple(slots)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sellintegro sim printer",
                                     description="A POSNET ONLINE fiscal printer simulator (TCP, optionally a pty).")
    parser.add_argument("--port", type=int, default=6666, help="TCP port (default %(default)s; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--serial", nargs="?", const="", default=None, metavar="LINK",
                        help="also serve a pseudo-terminal (POSIX); with LINK, make LINK a symlink to it")
    parser.add_argument("--out", type=Path, metavar="DIR", help="draw each printed document as a PNG into DIR")
    parser.add_argument("--vat", type=_vat_slots, default=DEFAULT_VAT, metavar="A,B,C,D,E,F,G",
                        help="VAT slots: percent, zw (exempt) or - (inactive); default 23,8,5,0,-,-,zw")
    args = parser.parse_args(argv)

    def announce(doc: PrintedDocument) -> None:
        what = "fiscalized" if doc.fiscal else "cancelled"
        image = f" -> {doc.image}" if doc.image else ""
        print(f"{doc.kind} {doc.number} {what}: {money(doc.total)} PLN{image}", flush=True)

    sim = PrinterSimulator(host=args.host, port=args.port, out_dir=args.out, vat=args.vat, on_document=announce)
    try:
        sim.start()
    except OSError as e:
        print(f"sellintegro sim printer: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr)
        return 1
    link: Path | None = None
    try:
        host, port = sim.address
        print(f"POSNET printer simulator listening on tcp://{host}:{port}", flush=True)
        if args.serial is not None:
            try:
                path = sim.serve_pty()
            except OSError as e:
                print(f"sellintegro sim printer: --serial: {e}", file=sys.stderr)
                return 2
            if args.serial:
                link = Path(args.serial)
                link.unlink(missing_ok=True)
                link.symlink_to(path)
            print(f"serial (pty): {link or path}", flush=True)
        stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, lambda *_: stop.set())
        try:
            while not stop.wait(0.5):  # a timed wait: Ctrl-C on Windows cannot break a plain wait
                pass
        finally:
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)
    finally:
        sim.stop()
        if link is not None:
            link.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
