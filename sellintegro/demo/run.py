"""`sellintegro demo`: the simulators, the config, the supervisor, and a watch over the work until it is done."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .. import places
from ..baselinker.emulator import DEMO_TOKEN, Emulator
from ..config import Config, load
from ..erp import DocType, SqlErp, StoredDocument
from ..errors import SellintegroError
from ..init import CODES, toml_value
from ..messages import msg
from ..plugins import load_types
from . import invoices, progress, seeding
from .printer import PrinterProcess

MARKER = "demo.json"   # marks a folder as the demo's: a rerun may clear what it made there
MADE = ("data", "erp.sqlite", "erp.sqlite-wal", "erp.sqlite-shm", "receipts", "pdf", "sellintegro.toml",
        "orders.json", "summary.json", MARKER)
RECEIPT_SERIES, INVOICE_SERIES = 3, 1      # the emulator's receipt and invoice series
WATCH_EVERY = 0.3
MAX_ORDERS = 1000


class DemoRefused(SellintegroError):
    exit_code = 2


def config_text(folder: Path, baselinker_url: str, printer: str) -> str:
    """The demo's config: the orders, fiscal and pdf plugins, all on the local simulators."""
    common = {"token": DEMO_TOKEN, "baselinker_url": baselinker_url}
    erp = str(folder / "erp.sqlite")
    plugins: list[tuple[str, str, float, str, dict[str, Any]]] = [
        (CODES["orders"], "orders", 15, "BaseLinker orders -> ERP documents (FS when the buyer wants an invoice, "
         "PA otherwise) -> status written back",
         {**common, "erp": erp, "document_type": "auto", "status_ok": progress.STATUS_OK,
          "status_error": progress.STATUS_ERROR, "first_run_days_back": 1.0}),
        (CODES["fiscal"], "fiscal", 10, "BaseLinker receipts -> the POSNET printer simulator (PNGs in receipts/) -> "
         "fiscal numbers back to BaseLinker",
         {**common, "printer": printer, "printer_name": "POSNET demo", "receipt_series": RECEIPT_SERIES,
          "payment_methods": {"Za pobraniem": "cash"}, "reply_timeout": 10.0}),
        (CODES["pdf"], "pdf", 1, "invoice PDFs named by their ERP number in pdf/ -> the order's BaseLinker invoice "
         "(issued first in series 1); uploaded files move to pdf/sent",
         {**common, "erp": erp, "folders": [str(folder / "pdf")], "invoice_series": INVOICE_SERIES,
          "settle_seconds": 0.3, "poll_seconds": 1.0, "watch_seconds": 60.0}),
    ]
    lines = ["# Written by `sellintegro demo`: every address below is a simulator on this machine.",
             "[endpoint]", f"name = {toml_value('Sellintegro demo')}",
             f"data_dir = {toml_value(str(folder / 'data'))}", "stop_timeout = 10.0", ""]
    for code, kind, interval, what, settings in plugins:
        lines += [f"# {what}", "[[plugins]]", f"code = {toml_value(code)}", f"type = {toml_value(kind)}",
                  f"interval = {interval}", "hang_timeout = 120", "[plugins.settings]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in settings.items()]
        lines.append("")
    return "\n".join(lines)


def prepare(folder: Path) -> Path:
    """Make `folder` ready for a fresh demo: refuse someone else's folder and a demo that still runs there."""
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise DemoRefused(msg("demo.not_a_folder", dir=folder))
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise DemoRefused(msg("demo.not_ours", dir=folder))
    from ..service.instance import running

    found = running(folder / "data")
    if found is not None:
        raise DemoRefused(msg("demo.running", dir=folder, pid=found.pid, config=folder / "sellintegro.toml"))
    for name in MADE:
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for sub in ("pdf", "receipts"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    places.ensure_private_dir(folder / "data")
    return folder


class Watch:
    """Follows the work from a thread beside the supervisor: draws the backlog, drops invoice PDFs once their
    FS documents exist, prints the summary, and stops the supervisor when done (unless kept running)."""

    def __init__(self, folder: Path, config: Config, emulator: Emulator, printer: PrinterProcess, keep: bool,
                 stop_supervisor: Any, timeout: float) -> None:
        self.folder = folder
        self.config = config
        self.emulator = emulator
        self.printer = printer
        self.keep = keep
        self.stop_supervisor = stop_supervisor
        self.timeout = timeout
        self.started = time.monotonic()
        self.done = threading.Event()
        self.stopping = threading.Event()
        self.outcome: str | None = None  # "complete" | "timeout"
        self.bar = progress.Bar()
        self.dropped: set[int] = set()
        self.documents: list[StoredDocument] = []
        self.last: progress.Tally | None = None
        self.thread = threading.Thread(target=self._run, name="demo-watch", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)
        self.bar.end()

    def _run(self) -> None:
        erp = SqlErp.open(self.folder / "erp.sqlite")
        printer_told = False
        try:
            while not self.stopping.wait(WATCH_EVERY):
                t = self._step(erp)
                if self.outcome is None:
                    self.bar.show(t)
                    if t.complete():
                        self._finish("complete", t)
                    elif time.monotonic() - self.started > self.timeout:
                        self._finish("timeout", t)
                if not self.printer.alive() and not printer_told:
                    printer_told = True
                    self._say(msg("demo.printer_gone", code=self.printer.proc.returncode))
        except Exception as e:  # noqa: BLE001 - the watch must not die silently while the endpoint runs on
            self._say(msg("demo.watch_failed", reason=f"{type(e).__name__}: {e}"))
            if self.outcome is None:
                self.outcome = "failed"
                self.done.set()
                self.stop_supervisor()
        finally:
            erp.close()

    def _step(self, erp: SqlErp) -> progress.Tally:
        self.documents = _documents(erp)
        fs = {int(d.original_number): d for d in self.documents if d.type is DocType.FS
              and d.original_number.isdigit()}
        for order_id, doc in fs.items():
            if doc.id not in self.dropped:
                with self.emulator.account.lock:
                    buyer = dict(self.emulator.account.orders.get(order_id, {}))
                invoices.write_pdf(doc, buyer, self.folder / "pdf")
                self.dropped.add(doc.id)
        self.last = progress.tally(self.emulator, fs)
        return self.last

    def _say(self, line: str) -> None:
        self.bar.end()
        print(line, flush=True)

    def _finish(self, outcome: str, t: progress.Tally) -> None:
        self.outcome = outcome
        self.bar.end()
        seconds = time.monotonic() - self.started
        if outcome == "timeout":
            print(msg("demo.timeout", seconds=f"{self.timeout:.0f}", done=t.orders_done, total=t.orders,
                      receipts=t.receipts_done, receipts_total=t.receipts, pdfs=t.pdfs_done, pdfs_total=t.pdfs,
                      logs=places.logs_dir(self.config.endpoint.data_dir)), file=sys.stderr, flush=True)
        for line in progress.summary(t, self.documents, self.printer.printed, seconds):
            print(line)
        self.write_summary(seconds)
        print(msg("demo.where", receipts=self.folder / "receipts", count=len(list((self.folder / "receipts")
                                                                                 .glob("*.png"))),
                  pdf=self.folder / "pdf", logs=places.logs_dir(self.config.endpoint.data_dir),
                  config=self.config.path))
        if self.keep:
            print(msg("demo.kept", config=self.config.path), flush=True)
        else:
            sys.stdout.flush()
            self.stop_supervisor()
        self.done.set()

    def write_summary(self, seconds: float) -> None:
        data = progress.snapshot(self.emulator, self.documents, self.printer.printed)
        data.update({"complete": self.outcome == "complete", "seconds": round(seconds, 1)})
        path = self.folder / "summary.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


def _documents(erp: SqlErp) -> list[StoredDocument]:
    """Every sales document the orders plugin wrote, oldest first."""
    def ids(tx: Any) -> list[int]:
        return [int(r[0]) for r in tx.query("SELECT dok_Id FROM dok__Dokument WHERE dok_Typ IN (?, ?, ?) "
                                            "ORDER BY dok_Id", int(DocType.FS), int(DocType.PA), int(DocType.ZK))]
    found = []
    for doc_id in erp.db.run(ids, write=False):
        doc = erp.document(doc_id)
        if doc is not None:
            found.append(doc)
    return found


def main(args: argparse.Namespace) -> int:
    from ..runner import Runner

    if not 1 <= args.orders <= MAX_ORDERS:
        print(msg("demo.bad_orders", value=args.orders, max=MAX_ORDERS), file=sys.stderr)
        return 2
    folder = prepare(args.dir)
    print(msg("demo.starting", dir=folder, orders=args.orders), flush=True)
    orders = seeding.demo_orders(args.orders, time.time())
    (folder / "orders.json").write_text(json.dumps(orders, ensure_ascii=False, indent=1), encoding="utf-8")
    seeding.create_erp(folder / "erp.sqlite", orders)
    emulator = Emulator(DEMO_TOKEN, orders).start()  # the real service's limit: 100 requests a minute
    printer: PrinterProcess | None = None
    watch: Watch | None = None
    try:
        printer = PrinterProcess.start(folder / "receipts")
        config_path = folder / "sellintegro.toml"
        config_path.write_text(config_text(folder, emulator.url, printer.address), encoding="utf-8")
        config = load(config_path, load_types())
        (folder / MARKER).write_text(json.dumps({
            "pid": os.getpid(), "baselinker_url": emulator.url, "printer": printer.address, "printer_pid": printer.pid,
            "erp": str(folder / "erp.sqlite"), "config": str(config_path), "orders": args.orders,
        }, indent=1), encoding="utf-8")
        print(msg("demo.simulators", url=emulator.url, printer=printer.address, erp=folder / "erp.sqlite",
                  pdf=folder / "pdf"), flush=True)
        runner = Runner(config, echo=None)
        watch = Watch(folder, config, emulator, printer, args.keep, lambda: runner.events.put(("stop",)),
                      timeout=max(180.0, 3.0 * args.orders))
        front = None
        if not args.headless:
            from ..cli import _tray

            front = _tray(config)
        watch.start()
        runner.run(front)
    finally:
        if watch is not None:
            watch.stop()
        if printer is not None:
            printer.stop()
        emulator.stop()
    assert watch is not None and printer is not None
    if watch.outcome is None:
        # Ctrl-C (or a stop request) before the work was done: say how far it got.
        if watch.last is not None:
            watch.write_summary(time.monotonic() - watch.started)
            for line in progress.summary(watch.last, watch.documents, printer.printed,
                                         time.monotonic() - watch.started):
                print(line)
        print(msg("demo.interrupted", dir=folder), file=sys.stderr)
        return 130
    print(msg("demo.stopped"), flush=True)
    return 0 if watch.outcome == "complete" else 1
