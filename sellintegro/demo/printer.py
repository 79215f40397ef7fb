"""The demo's POSNET printer simulator, in a process of its own: it can be stopped alone, as a real printer is
switched off (`sellintegro doctor` then says so), and it draws every fiscalized document into a folder.

Child: `python -m sellintegro.demo.printer --out DIR` listens on a free loopback port, writes one JSON line
on stdout when it listens and one per printed document, and exits when its stdin closes (the demo ended,
or died: it never outlives the demo) or on SIGTERM/SIGINT.
Parent: `PrinterProcess.start(out_dir)` starts it, reads its lines, and `stop()` ends it.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..fiscal.device import PrintedDocument


@dataclass(frozen=True)
class Printed:
    """One document the simulator printed, as the child reported it."""

    kind: str
    number: int
    fiscal: bool
    total: int      # grosze
    image: str


class PrinterProcess:
    """The parent's handle on the printer simulator process."""

    def __init__(self, proc: subprocess.Popen[bytes], host: str, port: int) -> None:
        self.proc = proc
        self.host, self.port = host, port
        self._lock = threading.Lock()
        self._printed: list[Printed] = []
        self._reader = threading.Thread(target=self._read, name="demo-printer-out", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, out_dir: Path, timeout: float = 30.0) -> PrinterProcess:
        proc = subprocess.Popen([sys.executable, "-m", "sellintegro.demo.printer", "--out", str(out_dir)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                # Its own session: a Ctrl-C reaches the demo, which stops the workers before
                                # the printer they may be printing on.
                                start_new_session=sys.platform != "win32",
                                creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
        assert proc.stdout is not None
        first = _first_line(proc.stdout, timeout)
        if first is None or first.get("event") != "listening":
            proc.kill()
            proc.wait()
            raise OSError(f"the printer simulator did not start (exit code {proc.poll()})")
        return cls(proc, str(first["host"]), int(first["port"]))

    @property
    def address(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def printed(self) -> list[Printed]:
        with self._lock:
            return list(self._printed)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if data.get("event") == "document":
                with self._lock:
                    self._printed.append(Printed(data["kind"], int(data["number"]), bool(data["fiscal"]),
                                                 int(data["total"]), str(data.get("image") or "")))

    def stop(self, timeout: float = 10.0) -> None:
        """Close its stdin (it exits by itself), then make sure it is gone."""
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _first_line(stream: IO[bytes], timeout: float) -> dict[str, Any] | None:
    result: list[dict[str, Any]] = []

    def read() -> None:
        line = stream.readline()
        try:
            result.append(json.loads(line))
        except ValueError:
            pass

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(timeout)
    return result[0] if result else None


# -- the child --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    from ..fiscal.simulator import PrinterSimulator

    parser = argparse.ArgumentParser(prog="python -m sellintegro.demo.printer")
    parser.add_argument("--out", type=Path, required=True, help="draw each printed document as a PNG here")
    args = parser.parse_args(argv)
    out_lock = threading.Lock()

    def say(data: dict[str, Any]) -> None:
        with out_lock:
            sys.stdout.write(json.dumps(data) + "\n")
            sys.stdout.flush()

    def printed(doc: PrintedDocument) -> None:
        say({"event": "document", "kind": doc.kind, "number": doc.number, "fiscal": doc.fiscal, "total": doc.total,
             "image": str(doc.image or ""), "time": time.time()})

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())

    def parent_gone() -> None:
        sys.stdin.buffer.read()  # returns at EOF: the demo closed it, or is gone
        stop.set()

    sim = PrinterSimulator(out_dir=args.out, on_document=printed).start()
    try:
        host, port = sim.address
        say({"event": "listening", "host": host, "port": port})
        threading.Thread(target=parent_gone, name="stdin", daemon=True).start()
        while not stop.wait(0.5):  # a timed wait: signals are handled between waits
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
