"""Which BaseLinker invoice a PDF goes to: the order's own, or one issued now in the configured series.

addOrderInvoiceFile needs a BaseLinker invoice, and addInvoice is not idempotent, so issuing one is
an effect with its own record, `invoice:<order>:<ERP number>`:
- begun (pending) before getInvoices, so that a crash anywhere after an addInvoice was sent leaves a
  pending record; the next attempt asks getInvoices first and finds the invoice that was issued;
- done with the invoice id once the order's invoice is known, found or issued. Later files of the
  same document then need no request at all to learn it (the rate limit is shared);
- failed when the invoice turns out to be gone (ERROR_INVOICE_NOT_FOUND on upload), so the next
  attempt looks again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sellintegro.baselinker import ApiError, Invoice
from sellintegro.state import StateStore

if TYPE_CHECKING:  # the client (and httpx) load when the first file is uploaded, not in an idle worker
    from sellintegro.baselinker import BaseLinkerClient


class NoInvoice(Exception):
    """The order has no BaseLinker invoice and no series is configured to issue one."""


class OtherDocument(Exception):
    """Every invoice of the order already carries another ERP document's file."""

    def __init__(self, invoice_id: int, other: str) -> None:
        super().__init__(f"invoice {invoice_id} carries {other}")
        self.invoice_id = invoice_id
        self.other = other


@dataclass(frozen=True)
class Target:
    invoice_id: int
    issued: bool  # True when the plugin issued it now


def key(order_id: int, number: str) -> str:
    return f"invoice:{order_id}:{number}"


def choose(invoices: Iterable[Invoice], number: str) -> Invoice | None:
    """The invoice `number`'s file goes to: the one already carrying it, else the oldest normal one without
    a file; None when the order has no normal invoice at all. Raises OtherDocument when each one carries
    another document (its file is not overwritten by a guess)."""
    normal = sorted((i for i in invoices if i.type != "correcting"), key=lambda i: i.invoice_id)
    for inv in normal:
        if inv.external_invoice_number == number:
            return inv
    for inv in normal:
        if not inv.external_invoice_number:
            return inv
    if normal:
        raise OtherDocument(normal[0].invoice_id, normal[0].external_invoice_number)
    return None


def known(state: StateStore, order_id: int, number: str) -> int | None:
    """The invoice already found for this order and document, without asking BaseLinker."""
    record = state.effect(key(order_id, number))
    if record is not None and record.status == "done" and isinstance(record.result, dict):
        return int(record.result["invoice_id"])
    return None


def forget(state: StateStore, order_id: int, number: str) -> None:
    """The known invoice is gone: look it up again next time."""
    if state.effect(key(order_id, number)) is not None:
        state.finish(key(order_id, number), "failed", {"reason": "invoice not found in BaseLinker"})


def ensure(client: BaseLinkerClient, state: StateStore, order_id: int, number: str,
           series: int | None) -> Target:
    """The invoice for the order's document `number`, issuing one in `series` when the order has none.

    Raises NoInvoice, OtherDocument, or a BaseLinkerError (an ApiError such as OrderNotFound or
    SeriesNotFound is final for this attempt; anything else is transient).
    """
    invoice_id = known(state, order_id, number)
    if invoice_id is not None:
        return Target(invoice_id, False)
    k = key(order_id, number)
    state.begin(k)  # new or failed -> pending; a pending one (addInvoice outcome unknown) stays pending
    try:
        found = choose(client.get_invoices(order_id=order_id), number)
    except (OtherDocument, ApiError):
        state.finish(k, "failed")
        raise
    # Any other error propagates and leaves the record pending, which only means: look it up first.
    if found is not None:
        state.finish(k, "done", {"invoice_id": found.invoice_id, "issued": False})
        return Target(found.invoice_id, False)
    if series is None:
        state.finish(k, "failed", {"reason": "no invoice and no series"})
        raise NoInvoice(str(order_id))
    try:
        invoice_id = client.add_invoice(order_id, series)
    except ApiError:
        state.finish(k, "failed", {"series": series})  # refused: nothing was issued
        raise
    # Any other error: the invoice may have been issued; the record stays pending, and the next
    # attempt finds it with getInvoices before it would issue another.
    state.finish(k, "done", {"invoice_id": invoice_id, "issued": True, "series": series})
    return Target(invoice_id, True)
