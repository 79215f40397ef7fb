"""FS invoices of one BaseLinker series, printed as the printer's own VAT invoices (trfvinit ... trend).

Invoices do not wait in a queue the way receipts do, so a cursor (`invoices`: {"id_from", "date_from"})
says where the series goes on. It advances past an invoice only once that invoice's record is final
(done, held, or unprintable and journaled): after a crash the invoice is met again and its record says
what happened. On the first run the cursor starts at "now" minus `invoices_days_back` days, so
turning the option on never prints the series' whole history.

BaseLinker has no call that takes a printer's invoice number, so the journal is where the number goes.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sellintegro.baselinker import loose
from sellintegro.baselinker.errors import MalformedResponse
from sellintegro.baselinker.models import Invoice as BlInvoice
from sellintegro.fiscal import DocumentKind

from .documents import Unprintable, invoice_document, invoice_label
from .ledger import Printed, key_for
from .texts import DECIDE, t

if TYPE_CHECKING:
    from .cycle import Cycle

CURSOR = "invoices"
PAGE = 100


class InvoiceSeries:
    kind = DocumentKind.INVOICE

    def __init__(self, cycle: Cycle) -> None:
        self.cycle = cycle
        self.ctx = cycle.ctx
        self.settings = cycle.settings

    def cursor(self) -> dict[str, int]:
        cursor = self.ctx.state.get_cursor(CURSOR)
        if not isinstance(cursor, dict):
            since = int(time.time()) - self.settings.invoices_days_back * 86400
            cursor = {"id_from": 0, "date_from": since}
            self.ctx.state.set_cursor(CURSOR, cursor)
        return cursor

    def run(self) -> None:
        cursor = self.cursor()
        while True:
            params = {"series_id": self.settings.invoice_series, "id_from": cursor["id_from"],
                      "date_from": cursor["date_from"]}
            items = self.cycle.bl.call("getInvoices", params).get("invoices") or []
            if isinstance(items, dict):
                items = list(items.values())
            if not isinstance(items, list):
                raise MalformedResponse("`invoices` is not a list", "getInvoices")
            ids = sorted((i, raw) for raw in items if (i := _invoice_id(raw)) is not None)
            for invoice_id, raw in ids:
                if self.ctx.cancelled.is_set():
                    return
                if not self.handle(invoice_id, raw):  # (so does a Stop raised inside)
                    return  # the cursor stays at this invoice
                cursor = {**cursor, "id_from": invoice_id + 1}
                self.ctx.state.set_cursor(CURSOR, cursor)
                self.ctx.progress()
            if len(items) < PAGE:
                return

    def handle(self, invoice_id: int, raw: Any) -> bool:
        """Deal with one invoice; True when its record is final and the cursor may pass it."""
        key = key_for(self.kind, invoice_id)
        record = self.cycle.ledger.record(key)
        if record is not None and record.status == "pending":
            return False  # settled first thing in a cycle; still pending means the printer could not tell yet
        if record is not None and record.status in ("done", "held"):
            return True  # printed, or left to a person
        if record is not None and isinstance(record.result, dict) and record.result.get("unprintable"):
            return True  # journaled when it was refused
        if not self.cycle.ready() or self.cycle.table is None:
            return False  # the printer cannot print now: the cursor waits here
        try:
            invoice = BlInvoice.from_api(raw)
            label = invoice_label(invoice)
            document, notes = invoice_document(invoice, self.cycle.table)
        except (MalformedResponse, Unprintable) as e:
            label = str(raw.get("number") or f"#{invoice_id}") if isinstance(raw, dict) else f"#{invoice_id}"
            reason = t("why.malformed", error=e) if isinstance(e, MalformedResponse) else str(e)
            self.cycle.ledger.refused(key, label, reason)
            self.cycle.tally.refused += 1
            self.refused(invoice_id, key, label, reason)
            return True
        for note in notes:
            self.ctx.journal.warning(label, note)
        self.cycle.outcome(self, invoice_id, key, label, self.cycle.fiscalizer.print(key, label, document))
        return self.cycle.ledger.record(key) is not None and self.cycle.ledger.is_final(key)

    # -- what the cycle calls once an invoice's outcome is known -------------------------------------------
    def fiscalized(self, invoice_id: int, key: str, printed: Printed) -> None:
        pass  # nothing to tell BaseLinker (see the module docstring); the journal has the number

    def refused(self, invoice_id: int, key: str, label: str, reason: str) -> None:
        self.ctx.journal.error(label, t("invoice.refused", label=label, reason=reason, decide=DECIDE,
                                        code=self.ctx.code, id=invoice_id))


def _invoice_id(raw: Any) -> int | None:
    try:
        value = loose.as_int(raw.get("invoice_id")) if isinstance(raw, dict) else 0
    except ValueError:
        return None
    return value or None
