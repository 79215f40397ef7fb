"""What the driver prints and what it reports: documents, results, status, reconciliation markers.

Amounts are whole grosze (`int`) everywhere; a line's value is price x quantity rounded half up to
the grosz, the way the printer computes it. VAT rates are percents (`Decimal`); -1 means exempt ("zw").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum
from typing import Any

EXEMPT = Decimal(-1)
LETTERS = "ABCDEFG"
MAX_RECEIPT_LINES = 500
MAX_INVOICE_LINES = 120


def grosze(amount: Decimal | str | int | float) -> int:
    """Whole grosze from an amount in PLN (`"12.34"`, `Decimal("12.34")`), rounded half up."""
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate(value: Decimal | str | int | float) -> Decimal:
    """A VAT rate as the driver keys it: percent, -1 for exempt ("zw" is accepted too)."""
    if isinstance(value, str) and value.strip().lower() in ("zw", "zw.", "exempt"):
        return EXEMPT
    d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return d.normalize() if d != 0 else Decimal(0)


def line_value(price: int, quantity: Decimal) -> int:
    """Price x quantity rounded half up to the grosz."""
    return int((Decimal(price) * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    INVOICE = "invoice"


class PaymentType(IntEnum):
    """`trpayment ty` values."""

    CASH = 0
    CARD = 2
    CHEQUE = 3
    COUPON = 4
    CREDIT = 5
    OTHER = 6
    VOUCHER = 7
    TRANSFER = 8


@dataclass(frozen=True)
class Line:
    """One sale line: unit price in grosze, VAT rate in percent (-1 exempt), quantity."""

    name: str
    price: int
    vat: Decimal
    quantity: Decimal = Decimal(1)
    unit: str = ""
    description: str = ""
    pkwiu: str = ""   # invoices only
    code: str = ""    # invoices only

    def __post_init__(self) -> None:
        _whole_grosze("price", self.price)
        object.__setattr__(self, "vat", rate(self.vat))
        q = self.quantity
        object.__setattr__(self, "quantity", Decimal(str(q)) if isinstance(q, float) else Decimal(q))

    @property
    def total(self) -> int:
        return line_value(self.price, self.quantity)


@dataclass(frozen=True)
class Payment:
    type: PaymentType
    amount: int
    name: str = ""

    def __post_init__(self) -> None:
        _whole_grosze("amount", self.amount)


def _whole_grosze(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} is whole grosze (int), not {value!r}; convert with grosze('12.34')")


def _totals_by_rate(lines: Iterable[Line]) -> dict[Decimal, int]:
    out: dict[Decimal, int] = {}
    for line in lines:
        out[line.vat] = out.get(line.vat, 0) + line.total
    return out


@dataclass(frozen=True)
class Receipt:
    """A fiscal receipt (paragon). `id` is its idempotency key (e.g. BaseLinker receipt_id), used in texts."""

    lines: Sequence[Line]
    payments: Sequence[Payment] = ()
    buyer_nip: str = ""
    id: str = ""

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    def totals_by_rate(self) -> dict[Decimal, int]:
        return _totals_by_rate(self.lines)


@dataclass(frozen=True)
class Invoice:
    """A VAT invoice printed by the fiscal printer (faktura); `number` is the ERP's, e.g. "FS 12/2026"."""

    number: str
    buyer_name: str
    buyer_nip: str
    lines: Sequence[Line]
    buyer_address: str = ""
    copies: int = 0
    id: str = ""

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    def totals_by_rate(self) -> dict[Decimal, int]:
        return _totals_by_rate(self.lines)


@dataclass(frozen=True)
class VatTable:
    """The printer's VAT slots A-G from `vatget`: percent, EXEMPT, or None when inactive."""

    slots: Mapping[str, Decimal | None]

    def letter_for(self, vat: Decimal) -> str | None:
        """The first active slot with this rate (-1 exempt), or None."""
        for letter in LETTERS:
            if self.slots.get(letter) == vat:
                return letter
        return None

    def ptu_map(self) -> dict[Decimal, str]:
        """VAT rate -> PTU letter (first slot wins when two share a rate); EXEMPT (-1) for the exempt slot."""
        out: dict[Decimal, str] = {}
        for letter in LETTERS:
            value = self.slots.get(letter)
            if value is not None and value not in out:
                out[value] = letter
        return out

    def describe(self) -> str:
        parts = []
        for letter in LETTERS:
            value = self.slots.get(letter)
            if value is not None:
                parts.append(f"{letter}=" + ("zw" if value == EXEMPT else f"{value:f}%"))
        return ", ".join(parts) or "-"


@dataclass(frozen=True)
class Counters:
    """`scnt`: finished receipts and invoices, the last receipt's number, cancellations, daily reports."""

    receipts: int
    invoices: int
    last_receipt: int
    cancelled_receipts: int
    cancelled_invoices: int
    daily_reports: int

    def done(self, kind: DocumentKind) -> int:
        return self.receipts if kind is DocumentKind.RECEIPT else self.invoices


@dataclass(frozen=True)
class DocumentMarker:
    """What the printer looked like before a document started: enough to tell later whether it was fiscalized.

    Store it (`to_json`) with the document's pending idempotency record before printing; after a lost
    connection or a crash, `printer.reconcile(DocumentMarker.from_json(...))` asks the printer.
    """

    kind: DocumentKind
    total: int
    totals: Mapping[str, int]
    done_before: int          # finished documents of this kind (scnt bn / fn)
    daily_reports: int        # scnt rd: a daily report in between makes counters incomparable
    label: str = ""

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind.value, "total": self.total, "totals": dict(self.totals),
                           "done_before": self.done_before, "daily_reports": self.daily_reports,
                           "label": self.label}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, data: str | Mapping[str, Any]) -> DocumentMarker:
        raw = json.loads(data) if isinstance(data, str) else data
        return cls(DocumentKind(raw["kind"]), int(raw["total"]), {str(k): int(v) for k, v in raw["totals"].items()},
                   int(raw["done_before"]), int(raw["daily_reports"]), str(raw.get("label", "")))


@dataclass(frozen=True)
class FiscalResult:
    """A fiscalized document: the printer's number for it and its totals per PTU letter as the printer summed them.

    `number` is the receipt's number (`scnt bt`) or the printer's invoice count (`scnt fn`); None only
    when the printer confirmed the document but its number could not be read afterwards
    (`reconcile(marker)` reads it later).
    """

    kind: DocumentKind
    number: int | None
    total: int
    totals: Mapping[str, int]
    invoice_number: str = ""
    marker: DocumentMarker | None = field(default=None, compare=False)


class Outcome(StrEnum):
    FISCALIZED = "fiscalized"
    NOT_FISCALIZED = "not_fiscalized"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reconciliation:
    """The printer's answer about a document with an uncertain outcome. UNKNOWN: hold it for a person."""

    outcome: Outcome
    reason: str
    result: FiscalResult | None = None
    transaction_open: bool = False


@dataclass(frozen=True)
class PrinterStatus:
    """Mechanism (`sprn`), device (`sdev`) and general (`scomm`) status.

    `fiscal`, `read_only` and `transaction` are None when they could not be asked: a command waits in
    the printer's queue for the mechanism (paper out, cover open), so only immediate queries answer.
    """

    mechanism: int
    device: int
    queue_empty: bool
    paper_near_end: bool
    holder: int
    fiscal: bool | None
    read_only: bool | None
    transaction: int | None

    @property
    def paper_out(self) -> bool:
        return self.mechanism == 5

    @property
    def cover_open(self) -> bool:
        return self.mechanism in (1, 3, 10)

    @property
    def transaction_open(self) -> bool | None:
        return None if self.transaction is None else self.transaction != 0

    @property
    def ready(self) -> bool:
        return self.mechanism == 0 and self.device != 3 and not self.read_only


@dataclass(frozen=True)
class LastDocument:
    """The printer's last (or open) transaction (`strns`) with its counters (`scnt`)."""

    open: bool
    type: int                 # 16 receipt, 17 receipt in block mode, 33 invoice, 48 packaging, 0 none/unknown
    totals: Mapping[str, int]
    counters: Counters

    @property
    def kind(self) -> DocumentKind | None:
        if self.type in (16, 17):
            return DocumentKind.RECEIPT
        if self.type == 33:
            return DocumentKind.INVOICE
        return None

    @property
    def total(self) -> int:
        return sum(self.totals.values())
