"""How far the demo's seeded work is, read from the simulators themselves, and the words that say it.

The BaseLinker emulator's account is the truth the plugins work towards: an order is handled once its
status says so (the orders plugin writes it after the ERP document is committed), a receipt once
setOrderReceipt took it off the queue, a PDF once its invoice carries the file under the ERP number.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..baselinker import loose
from ..baselinker.emulator import Emulator
from ..erp import StoredDocument
from ..messages import msg
from .printer import Printed

STATUS_OK = "Przeniesione do ERP"
STATUS_ERROR = "Błąd integracji"
BAR = 24


@dataclass
class Tally:
    orders: int = 0            # confirmed orders (the unconfirmed ones stay hidden, as in BaseLinker)
    unconfirmed: int = 0
    orders_done: int = 0       # in the success or the error status
    orders_failed: int = 0     # in the error status
    receipts: int = 0
    receipts_done: int = 0     # confirmed in BaseLinker (with a fiscal number, or as a printer error)
    receipts_failed: int = 0
    pdfs: int = 0              # invoice PDFs expected: confirmed orders that want an invoice and went in
    pdfs_done: int = 0
    numbers: list[str] = field(default_factory=list)           # fiscal numbers sent to BaseLinker
    uploads: list[tuple[str, str]] = field(default_factory=list)  # (ERP number, BaseLinker invoice number)

    def complete(self) -> bool:
        return (self.orders_done == self.orders and self.receipts_done == self.receipts
                and self.pdfs_done == self.pdfs)

    def key(self) -> tuple[int, ...]:
        return (self.orders_done, self.receipts_done, self.pdfs_done, self.pdfs)


def status_ids(emulator: Emulator) -> tuple[int, int]:
    by_name = {s["name"]: int(s["id"]) for s in emulator.account.statuses}
    return by_name[STATUS_OK], by_name[STATUS_ERROR]


def tally(emulator: Emulator, invoices: dict[int, StoredDocument]) -> Tally:
    """The state of the work; `invoices`: order id -> its FS document in the ERP."""
    ok, error = status_ids(emulator)
    account = emulator.account
    t = Tally()
    with account.lock:
        for o in account.orders.values():
            if not loose.as_bool(o.get("confirmed")):
                t.unconfirmed += 1
                continue
            t.orders += 1
            status = loose.as_int(o.get("order_status_id"))
            t.orders_done += status in (ok, error)
            t.orders_failed += status == error
            if loose.as_bool(o.get("want_invoice")) and status != error:
                t.pdfs += 1
        for r in account.receipts.values():
            t.receipts += 1
            if not r["_pending"]:
                t.receipts_done += 1
                if r["_printer_error"]:
                    t.receipts_failed += 1
                else:
                    t.numbers.append(str(r["_receipt_nr"]))
        for inv in sorted(account.invoices.values(), key=lambda i: i["invoice_id"]):
            doc = invoices.get(int(inv["order_id"]))
            if (doc is not None and inv["external_invoice_number"] == doc.number
                    and inv["invoice_id"] in account.invoice_files):
                t.pdfs_done += 1
                t.uploads.append((doc.number, str(inv["number"])))
    return t


def snapshot(emulator: Emulator, documents: list[StoredDocument], printed: list[Printed]) -> dict[str, Any]:
    """What the demo left behind, for summary.json (tests and tools read it)."""
    account = emulator.account
    with account.lock:
        orders = [{"order_id": oid, "confirmed": loose.as_bool(o.get("confirmed")),
                   "want_invoice": loose.as_bool(o.get("want_invoice")),
                   "status_id": loose.as_int(o.get("order_status_id"))} for oid, o in sorted(account.orders.items())]
        receipts = [{"receipt_id": r["receipt_id"], "order_id": r["order_id"], "pending": r["_pending"],
                     "receipt_nr": r["_receipt_nr"], "printer_error": r["_printer_error"]}
                    for r in sorted(account.receipts.values(), key=lambda r: r["receipt_id"])]
        invoices = [{"invoice_id": i["invoice_id"], "order_id": i["order_id"], "number": i["number"],
                     "external_invoice_number": i["external_invoice_number"],
                     "has_file": i["invoice_id"] in account.invoice_files}
                    for i in sorted(account.invoices.values(), key=lambda i: i["invoice_id"])]
    return {"orders": orders, "receipts": receipts, "invoices": invoices,
            "documents": [{"order_id": d.original_number, "type": d.type.name, "number": d.number} for d in documents],
            "printed": [{"kind": p.kind, "number": p.number, "fiscal": p.fiscal, "total": p.total, "image": p.image}
                        for p in printed]}


class Bar:
    """The order backlog as a bar on a terminal (redrawn in place), or as a line per change elsewhere."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        try:
            "█░".encode(getattr(self.out, "encoding", None) or "ascii")
            self.full, self.empty = "█", "░"
        except (UnicodeEncodeError, LookupError):
            self.full, self.empty = "#", "-"
        self.last: tuple[int, ...] | None = None
        self.width = 0

    def show(self, t: Tally) -> None:
        if not self.tty and t.key() == self.last:
            return
        self.last = t.key()
        filled = BAR * t.orders_done // max(t.orders, 1)
        line = msg("demo.progress", bar=self.full * filled + self.empty * (BAR - filled), done=t.orders_done,
                   total=t.orders, receipts=t.receipts_done, receipts_total=t.receipts, pdfs=t.pdfs_done,
                   pdfs_total=t.pdfs)
        if self.tty:
            self.out.write("\r" + line.ljust(self.width))
            self.width = len(line)
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def end(self) -> None:
        if self.tty and self.width:
            self.out.write("\n")
            self.out.flush()
            self.width = 0


def summary(t: Tally, documents: list[StoredDocument], printed: list[Printed], seconds: float) -> list[str]:
    """The lines of the summary: orders -> documents, receipts with their numbers, PDFs, in words."""
    kinds: dict[str, int] = {}
    for d in documents:
        kinds[d.type.name] = kinds.get(d.type.name, 0) + 1
    shown = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "0"
    lines = [msg("demo.summary.orders", done=t.orders_done - t.orders_failed, total=t.orders, docs=len(documents),
                 kinds=shown, status=STATUS_OK)]
    if t.orders_failed:
        lines.append(msg("demo.summary.orders_failed", count=t.orders_failed, status=STATUS_ERROR))
    if t.unconfirmed:
        lines.append(msg("demo.summary.unconfirmed", count=t.unconfirmed))
    # One document of each type the orders got, as the journal says it: "order 9 -> FS 1/2026".
    firsts = {d.type: d for d in reversed(documents)}
    examples = [f"{d.original_number} -> {d.number}" for d in sorted(firsts.values(), key=lambda d: d.id)]
    if examples:
        lines.append(msg("demo.summary.examples", examples=", ".join(examples)))
    fiscal = [p for p in printed if p.fiscal and p.kind == "receipt"]
    numbers = sorted(int(n) for n in t.numbers if n.isdigit())
    span = f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else (str(numbers[0]) if numbers else "-")
    lines.append(msg("demo.summary.receipts", done=t.receipts_done - t.receipts_failed, total=t.receipts,
                     printed=len(fiscal), numbers=span))
    if t.receipts_failed:
        lines.append(msg("demo.summary.receipts_failed", count=t.receipts_failed))
    uploads = ", ".join(f"{erp} -> {bl}" for erp, bl in t.uploads[:3]) + (", …" if len(t.uploads) > 3 else "")
    lines.append(msg("demo.summary.pdfs", done=t.pdfs_done, total=t.pdfs, uploads=uploads or "-"))
    return [msg("demo.summary.head", seconds=f"{seconds:.0f}")] + ["  " + line for line in lines]
