"""Exactly-once upload of a PDF to a BaseLinker invoice, keyed on (invoice, SHA-256 of the file's bytes).

The record `upload:<invoice_id>:<sha256>` is begun (pending, on disk) before the request leaves, and
done after BaseLinker confirmed it. The request is sent once (never retried blindly by the client);
when its outcome is unknown (the worker was killed, the answer was lost) the record stays pending,
and before anything is sent again BaseLinker is asked whether the invoice already carries exactly
these bytes under this number (getInvoices + getInvoiceFile). The same bytes for the same invoice
are therefore never sent twice after a success, and a corrected file (other bytes) is a new key.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sellintegro.baselinker import ApiError, TransportError
from sellintegro.state import StateStore

if TYPE_CHECKING:  # the client (and httpx) load when the first file is uploaded, not in an idle worker
    from sellintegro.baselinker import BaseLinkerClient

METHOD = "addOrderInvoiceFile"
NUMBER_MAX = 30  # external_invoice_number is varchar(30)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key(invoice_id: int, sha256: str) -> str:
    return f"upload:{invoice_id}:{sha256}"


@dataclass(frozen=True)
class Outcome:
    kind: str              # "uploaded" | "verified" (a pending upload had arrived) | "already" | "held"
    record: dict[str, Any]


def upload_once(client: BaseLinkerClient, state: StateStore, invoice_id: int, pdf: bytes, number: str,
                note: dict[str, Any]) -> Outcome:
    """Attach `pdf` to the invoice under `number`, unless these exact bytes are already there.

    `note` (file, order, ...) is kept with the record. Raises an ApiError when BaseLinker refuses
    (the record is then failed and a later attempt may send it again) and any other BaseLinkerError
    when the outcome is unknown (the record stays pending and is verified first next time).
    """
    if len(number) > NUMBER_MAX:
        raise ValueError(f"external_invoice_number is longer than {NUMBER_MAX} characters: {number!r}")
    sha = digest(pdf)
    k = key(invoice_id, sha)
    record = state.effect(k)
    if record is not None and record.status in ("done", "held"):
        return Outcome("already" if record.status == "done" else "held", _as_dict(record.result))
    note = {**note, "invoice_id": invoice_id, "number": number, "sha256": sha}
    if record is not None and record.status == "pending":
        # An earlier attempt may have reached BaseLinker: find out before sending anything.
        if arrived(client, invoice_id, sha, number):
            done = {**note, "time": time.time(), "verified": True}
            state.finish(k, "done", done)
            return Outcome("verified", done)
    else:
        state.begin(k)
        state.annotate(k, note)
    try:
        # Sent once: a retry after a lost answer could upload it twice. An unknown outcome is
        # settled by arrived() on the next attempt instead.
        client.call(METHOD, {"invoice_id": invoice_id, "file": "data:" + base64.b64encode(pdf).decode("ascii"),
                             "external_invoice_number": number}, retry_safe=False)
    except ApiError as e:
        state.finish(k, "failed", {**note, "error": e.code})
        raise
    except TransportError as e:
        if not e.sent:
            state.finish(k, "failed", {**note, "error": "not sent"})
        raise
    done = {**note, "time": time.time()}
    state.finish(k, "done", done)
    return Outcome("uploaded", done)


def arrived(client: BaseLinkerClient, invoice_id: int, sha256: str, number: str) -> bool:
    """Whether the invoice carries exactly these bytes under `number`."""
    invoices = client.get_invoices(invoice_id=invoice_id)
    if not invoices or invoices[0].external_invoice_number != number:
        return False
    pdf, _ = client.get_invoice_file(invoice_id, get_external=True)
    return digest(pdf) == sha256


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
