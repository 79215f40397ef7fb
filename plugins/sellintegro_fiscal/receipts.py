"""The receipt queue: getNewReceipts for the configured series -> print each once -> setOrderReceipt.

A receipt stays in BaseLinker's queue until setOrderReceipt confirms it (with the printer's number,
or with printer_error for a receipt that cannot be printed), so the queue itself is the cursor:
every cycle walks it from the start. What each receipt needs comes from its record (ledger.py):
- done: it was printed; only confirm it (again) with its number; never print it again;
- held: a person decides (decide.py); it stays in the queue, unconfirmed, untouched;
- failed and unprintable, BaseLinker not told yet: tell it (printer_error); do not print again;
- new, or failed (not fiscalized): print it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sellintegro.baselinker import loose
from sellintegro.baselinker.errors import ApiError, BaseLinkerError, MalformedResponse, ReceiptNotFound
from sellintegro.baselinker.models import Receipt as BlReceipt
from sellintegro.fiscal import DocumentKind

from .documents import Unprintable, receipt_document, receipt_label
from .ledger import Printed, key_for
from .preflight import Stop
from .texts import t

if TYPE_CHECKING:
    from .cycle import Cycle

PAGE = 100  # getNewReceipts answers at most this many; the next page starts after the last id


class ReceiptQueue:
    kind = DocumentKind.RECEIPT

    def __init__(self, cycle: Cycle) -> None:
        self.cycle = cycle
        self.ctx = cycle.ctx
        self.settings = cycle.settings

    def run(self) -> None:
        """Walk the queue; print while the printer can, confirm what was printed before in any case."""
        id_from = 0
        while True:
            items = self._page(id_from)
            self.cycle.baselinker_ok()
            for raw in items:
                if self.ctx.cancelled.is_set():
                    return
                try:
                    self.handle(raw)
                except Stop as stop:
                    self.cycle.stopped(stop)  # the rest of the queue: confirm what was printed before, print nothing
                self.ctx.progress()
            if len(items) < PAGE:
                return
            id_from = max(_receipt_id(raw) or 0 for raw in items) + 1

    def _page(self, id_from: int) -> list[Any]:
        # Read as raw records and parsed one by one: one unreadable receipt must not hide the others.
        data = self.cycle.bl.call("getNewReceipts", {"series_id": self.settings.receipt_series, "id_from": id_from})
        items = data.get("orders") or []  # this method names its list `orders`
        if isinstance(items, dict):
            items = list(items.values())
        if not isinstance(items, list):
            raise MalformedResponse("`orders` is not a list", "getNewReceipts")
        return sorted(items, key=lambda raw: _receipt_id(raw) or 0)

    def handle(self, raw: Any) -> None:
        try:
            receipt = BlReceipt.from_api(raw)
        except MalformedResponse as e:
            receipt_id = _receipt_id(raw)
            if receipt_id is None:
                self.ctx.log.error("getNewReceipts sent a receipt without an id: %s", e)
                return
            key = key_for(self.kind, receipt_id)
            record = self.cycle.ledger.record(key)
            if record is None or record.status == "failed":  # nothing to print: just tell BaseLinker (again)
                self.cycle.ledger.refused(key, f"#{receipt_id}", t("why.malformed", error=e))
                self.cycle.tally.refused += 1
                self.refused(receipt_id, key, f"#{receipt_id}", t("why.malformed", error=e))
            elif record.status == "done":
                self.confirm(receipt_id, key, Printed.from_result(record.result), fresh=False)
            return
        key = key_for(self.kind, receipt.receipt_id)
        label = receipt_label(receipt)
        record = self.cycle.ledger.record(key)
        status = record.status if record is not None else None
        if status == "done":
            assert record is not None
            self.confirm(receipt.receipt_id, key, Printed.from_result(record.result), fresh=False)
            return
        if status == "held":
            self.cycle.tally.held += 1
            self.ctx.log.info("receipt %s is held for a person; skipped", label)
            return
        if status == "pending":  # settled at the start of the cycle, unless that was impossible
            self.ctx.log.warning("receipt %s is still pending; skipped until the printer answers about it", label)
            return
        if self._unprintable_unreported(key):
            assert record is not None
            self.refused(receipt.receipt_id, key, label, str(record.result.get("reason") or ""))
            return
        if not self.cycle.ready() or self.cycle.table is None:
            self.cycle.tally.waiting += 1
            return  # the printer cannot print now: it waits in the queue
        try:
            document, notes = receipt_document(receipt, self.cycle.table, self.settings)
        except Unprintable as e:
            self.cycle.ledger.refused(key, label, str(e))
            self.cycle.tally.refused += 1
            self.refused(receipt.receipt_id, key, label, str(e))
            return
        for note in notes:
            self.ctx.journal.warning(label, note)
        self.cycle.outcome(self, receipt.receipt_id, key, label, self.cycle.fiscalizer.print(key, label, document))

    def _unprintable_unreported(self, key: str) -> bool:
        record = self.cycle.ledger.record(key)
        if record is None or record.status != "failed" or not isinstance(record.result, dict):
            return False
        return bool(record.result.get("unprintable")) and not record.result.get("reported")

    # -- what the cycle calls once a receipt's outcome is known --------------------------------------------
    def fiscalized(self, receipt_id: int, key: str, printed: Printed) -> None:
        self.confirm(receipt_id, key, printed, fresh=True)

    def confirm(self, receipt_id: int, key: str, printed: Printed, *, fresh: bool) -> None:
        """setOrderReceipt with the printer's number; a failure leaves it to the next cycle, never to the printer."""
        if printed.confirmed == "gone":
            return
        label = printed.label or f"#{receipt_id}"
        number = "" if printed.number is None else str(printed.number)
        try:
            self.cycle.bl.set_order_receipt(receipt_id, number, int(printed.printed_at or time.time()),
                                            printer_name=self.settings.printer_name)
        except ReceiptNotFound:
            self.cycle.ledger.confirmed(key, printed, "gone")
            self.ctx.journal.error(label, t("receipt.gone", label=label, number=number or "?", id=receipt_id))
            return
        except BaseLinkerError as e:
            if fresh:
                self.ctx.journal.warning(label, t("receipt.confirm_failed", label=label, number=number or "?",
                                                  reason=e))
            else:
                self.ctx.log.warning("receipt %s: fiscal no. %s still not confirmed in BaseLinker: %s", label,
                                     number or "?", e)
            if isinstance(e, ApiError):
                return  # this receipt's problem: go on with the others
            raise
        already = printed.confirmed is True
        self.cycle.ledger.confirmed(key, printed)
        self.cycle.tally.confirmed += 1
        if not fresh and not already:
            self.ctx.journal.info(label, t("receipt.confirmed_late", label=label, number=number or "?"))

    def refused(self, receipt_id: int, key: str, label: str, reason: str) -> None:
        """Tell BaseLinker that the receipt cannot be printed (printer_error, with the printer's name)."""
        try:
            self.cycle.bl.set_order_receipt(receipt_id, "", int(time.time()), printer_error=True,
                                            printer_name=self.settings.printer_name)
        except ReceiptNotFound:
            pass  # gone from BaseLinker: nobody waits for it any more
        except BaseLinkerError as e:
            self.ctx.journal.error(label, t("receipt.refused_unreported", label=label, reason=reason, error=e))
            if isinstance(e, ApiError):
                return
            raise
        self.cycle.ledger.reported(key)
        self.ctx.journal.error(label, t("receipt.refused", label=label, reason=reason,
                                        printer=self.settings.printer_name))


def _receipt_id(raw: Any) -> int | None:
    try:
        value = loose.as_int(raw.get("receipt_id")) if isinstance(raw, dict) else 0
    except ValueError:
        return None
    return value or None
