"""The POSNET printer as the fiscal plugin uses it: print a receipt or an invoice, status, reconciliation.

A document goes: preflight (`!sprn`, leftover transaction cancelled), VAT map (`vatget`), counters
snapshot (`scnt`) -> DocumentMarker, then `trinit` [`trnipset`] `trline`... [`trpayment`...] `trend`
(or `trfvinit` `trfvbuyer` `trfvnumber` `trline`... `trend`), then `strns` + `scnt` for the number
and the printer's own totals.

Outcomes (Data safety rule 3: a receipt is never printed twice):
- any failure before `trend` is sent: not fiscalized (`err.fiscalized is False`); a refused command
  is followed by `prncancel`;
- `trend` refused (`?nnnn`): not fiscalized, cancelled;
- `trend` sent and no readable reply (connection lost, timeout, paper out while closing): the driver
  raises UncertainOutcome with the marker. `reconcile(marker)` then asks the printer: its counter
  of finished documents and its last transaction's totals tell FISCALIZED, NOT_FISCALIZED, or
  UNKNOWN (hold the document for a person).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from .errors import (
    DocumentRefused,
    FiscalError,
    GarbledReply,
    MechanismError,
    PrinterError,
    PrinterNotReady,
    PrinterUnavailable,
    UncertainOutcome,
    VatRateMissing,
    not_ready,
)
from .frame import MAX_KWOTA, Frame, clean_text, kwota, num, parse_bool, parse_kwota, parse_num
from .link import PosnetLink, Timeouts
from .model import (
    EXEMPT,
    LETTERS,
    MAX_INVOICE_LINES,
    MAX_RECEIPT_LINES,
    Counters,
    DocumentKind,
    DocumentMarker,
    FiscalResult,
    Invoice,
    LastDocument,
    Line,
    Outcome,
    Payment,
    PrinterStatus,
    Receipt,
    Reconciliation,
    VatTable,
)
from .texts import text
from .transport import DEFAULT_BAUDRATE, DEFAULT_TCP_PORT, SerialTransport, TcpTransport, Transport

log = logging.getLogger("sellintegro.fiscal")

Params = list[tuple[str, str]]
T = TypeVar("T")


class PosnetPrinter:
    """A POSNET ONLINE printer over one transport. Not thread-safe: one document at a time."""

    def __init__(self, transport: Transport, *, timeouts: Timeouts | None = None) -> None:
        self.link = PosnetLink(transport, timeouts)
        self._vat: VatTable | None = None
        self._vat_generation = -1

    @classmethod
    def tcp(cls, host: str, port: int = DEFAULT_TCP_PORT, *, timeouts: Timeouts | None = None) -> PosnetPrinter:
        return cls(TcpTransport(host, port), timeouts=timeouts)

    @classmethod
    def serial(cls, port: str, baudrate: int = DEFAULT_BAUDRATE, *, timeouts: Timeouts | None = None,
               **settings: object) -> PosnetPrinter:
        return cls(SerialTransport(port, baudrate, **settings), timeouts=timeouts)  # type: ignore[arg-type]

    def close(self) -> None:
        self.link.close()

    def __enter__(self) -> PosnetPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries (read-only, so one retry on a fresh connection is safe) --------------------------------------
    def _query(self, command: str) -> Frame:
        try:
            return self.link.call(command)
        except PrinterUnavailable as e:
            log.debug("%s failed (%s); asking once more on a new connection", command, e)
            return self.link.call(command)

    def mechanism(self) -> int:
        """The printing mechanism's status (`!sprn` pr): 0 ok, 1/3/10 cover, 5 no paper..."""
        return _int(self._query("!sprn").get("pr"))

    def status(self) -> PrinterStatus:
        """Mechanism, device and transaction state; `scomm` is asked only when the mechanism can print."""
        sprn = self._query("!sprn")
        sdev = self._query("!sdev")
        mechanism = _int(sprn.get("pr"))
        fiscal = read_only = None
        transaction = None
        device = _int(sdev.get("ds"))
        if mechanism == 0 and device != 3:
            scomm = self._query("scomm")
            fiscal, read_only = _bool(scomm.get("fs")), _bool(scomm.get("td"))
            transaction = _int(scomm.get("ts"))
        return PrinterStatus(mechanism=mechanism, device=device, queue_empty=_bool(sdev.get("qe")),
                             paper_near_end=_bool(sdev.get("pe")), holder=_int(sdev.get("tl")), fiscal=fiscal,
                             read_only=read_only, transaction=transaction)

    def vat_table(self) -> VatTable:
        """The VAT slots A-G (`vatget`); asked once per connection."""
        if self._vat is None or self._vat_generation != self.link.generation:
            reply = self._query("vatget")
            slots: dict[str, Decimal | None] = {}
            for letter in LETTERS:
                value = self._parse(parse_num, reply, "v" + letter.lower(), "101")
                slots[letter] = None if value == 101 else EXEMPT if value == 100 else value.normalize()
            self._vat = VatTable(slots)
            self._vat_generation = self.link.generation
        return self._vat

    def _parse(self, parse: Callable[[str], T], reply: Frame, name: str, default: str) -> T:
        try:
            return parse(reply.get(name) or default)
        except ValueError as e:
            raise GarbledReply(self.link.where, reply.name, reason=f"{name}: {e}") from e

    def ptu_map(self) -> dict[Decimal, str]:
        """VAT rate (percent; -1 exempt) -> PTU letter, from the printer's VAT table."""
        return self.vat_table().ptu_map()

    def counters(self) -> Counters:
        reply = self._query("scnt")
        return Counters(receipts=_int(reply.get("bn")), invoices=_int(reply.get("fn")),
                        last_receipt=_int(reply.get("bt")), cancelled_receipts=_int(reply.get("bc")),
                        cancelled_invoices=_int(reply.get("fc")), daily_reports=_int(reply.get("rd")))

    def last_document(self) -> LastDocument:
        """The open or last transaction (`strns`) and the counters (`scnt`), for reconciliation."""
        reply = self._query("strns")
        totals = {letter: self._parse(parse_kwota, reply, "v" + letter.lower(), "0") for letter in LETTERS}
        return LastDocument(open=_int(reply.get("to")) == 1, type=_int(reply.get("ts")),
                            totals={k: v for k, v in totals.items() if v}, counters=self.counters())

    def cancel_open_transaction(self) -> bool:
        """Cancel a transaction left open on the printer (`prncancel`); True if there was one."""
        ts = _int(self._query("scomm").get("ts"))
        if ts == 0:
            return False
        self.link.call("prncancel")
        log.warning(text("tx.cancelled_leftover", ts=ts))
        return True

    # -- documents ----------------------------------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt, on_marker: Callable[[DocumentMarker], None] | None = None
                      ) -> FiscalResult:
        """Print and fiscalize `receipt`; see the module docstring for what each failure means.

        `on_marker` gets the DocumentMarker before anything is printed: store it with the receipt's
        pending idempotency record, so that a crash can be reconciled too.
        """
        doc = (DocumentKind.RECEIPT.value, receipt.id)
        _check_lines(doc, receipt.lines, MAX_RECEIPT_LINES)
        paid = sum(p.amount for p in receipt.payments)
        if receipt.payments and paid < receipt.total:
            raise DocumentRefused(doc, "doc.payments", paid=_pln(paid), total=_pln(receipt.total))
        opening: list[tuple[str, Params]] = [("trinit", [("bm", "0")])]
        if receipt.buyer_nip.strip():
            opening.append(("trnipset", [("ni", _nip(receipt.buyer_nip))]))
        closing: list[tuple[str, Params]] = [("trpayment", _payment(p)) for p in receipt.payments]
        end: Params = [("to", kwota(receipt.total))]
        if receipt.payments:
            end.append(("fp", kwota(paid)))
        return self._print(DocumentKind.RECEIPT, doc, receipt.lines, opening, closing, end, on_marker, "")

    def print_invoice(self, invoice: Invoice, on_marker: Callable[[DocumentMarker], None] | None = None
                      ) -> FiscalResult:
        """Print and fiscalize `invoice` (no payments on a fiscal invoice); outcomes as for receipts."""
        doc = (DocumentKind.INVOICE.value, invoice.id or invoice.number)
        for name, value in (("number", invoice.number), ("buyer_name", invoice.buyer_name),
                            ("buyer_nip", invoice.buyer_nip)):
            if not value.strip():
                raise DocumentRefused(doc, "doc.invoice_field", field=name)
        _check_lines(doc, invoice.lines, MAX_INVOICE_LINES)
        buyer: Params = [("na", clean_text(invoice.buyer_name, 256, keep_newlines=True)),
                         ("ni", clean_text(invoice.buyer_nip, 20)), ("sc", "0")]
        if invoice.buyer_address.strip():
            buyer.insert(2, ("ad", clean_text(invoice.buyer_address, 256, keep_newlines=True)))
        opening: list[tuple[str, Params]] = [
            ("trfvinit", [("cc", str(max(0, min(9, invoice.copies))))]),
            ("trfvbuyer", buyer),
            ("trfvnumber", [("nb", clean_text(invoice.number, 40)), ("sc", "0")]),
        ]
        end: Params = [("to", kwota(invoice.total))]
        return self._print(DocumentKind.INVOICE, doc, invoice.lines, opening, [], end, on_marker,
                           clean_text(invoice.number, 40))

    def _print(self, kind: DocumentKind, doc: tuple[str, str], lines: Sequence[Line],
               opening: list[tuple[str, Params]], closing: list[tuple[str, Params]], end: Params,
               on_marker: Callable[[DocumentMarker], None] | None, invoice_number: str) -> FiscalResult:
        self._preflight()
        table = self.vat_table()
        slots: list[int] = []
        expected: dict[str, int] = {}
        for line in lines:
            letter = table.letter_for(line.vat)
            if letter is None:
                shown = "zw" if line.vat == EXEMPT else f"{line.vat:f}%"
                raise VatRateMissing(doc, "doc.vat_missing", rate=shown, table=table.describe())
            slots.append(LETTERS.index(letter))
            expected[letter] = expected.get(letter, 0) + line.total
        before = self.counters()
        marker = DocumentMarker(kind, sum(expected.values()), expected, before.done(kind), before.daily_reports,
                                label=doc[1])
        if on_marker is not None:
            on_marker(marker)

        try:
            for command, params in opening:
                self.link.call(command, params)
            for index, (line, slot) in enumerate(zip(lines, slots, strict=True), start=1):
                try:
                    self.link.call("trline", _line_params(line, slot, kind))
                except PrinterError as e:
                    e.line, e.item = index, line.name
                    raise
            for command, params in closing:
                self.link.call(command, params)
        except PrinterError:
            self._abandon()
            raise
        except PrinterNotReady as e:
            # The stalled command still waits in the printer's queue: it opens or extends the transaction
            # once the mechanism is fixed, and the next preflight cancels that transaction.
            e.transaction_open = True
            raise

        try:
            self.link.call("trend", end)
        except PrinterError:
            self._abandon()  # a clean refusal: the printer did not close the document
            raise
        except PrinterNotReady as e:
            e.closing = True
            e.fiscalized = None
            raise UncertainOutcome(doc, marker, e) from e
        except PrinterUnavailable as e:
            raise UncertainOutcome(doc, marker, e) from e
        return self._result(kind, marker, invoice_number)

    def _preflight(self) -> None:
        """Refuse to start while the mechanism cannot print; cancel a transaction a failure left open."""
        mechanism = self.mechanism()
        if mechanism != 0:
            raise not_ready(mechanism)
        device = _int(self._query("!sdev").get("ds"))
        if device == 3:
            raise MechanismError(0, device=device)
        self.cancel_open_transaction()

    def _abandon(self) -> None:
        """`prncancel` after a refusal; a failure here changes nothing (the next preflight cancels)."""
        try:
            self.link.call("prncancel")
        except FiscalError as e:
            log.warning("prncancel after a refused command failed: %s", e)

    def _result(self, kind: DocumentKind, marker: DocumentMarker, invoice_number: str) -> FiscalResult:
        # The printer accepted `trend`: the document is fiscalized whatever happens next.
        try:
            last = self.last_document()
        except FiscalError as e:
            log.warning("the document is fiscalized but its number could not be read: %s", e)
            return FiscalResult(kind, None, marker.total, dict(marker.totals), invoice_number, marker)
        counters = last.counters
        number = counters.last_receipt if kind is DocumentKind.RECEIPT else counters.invoices
        if dict(last.totals) != dict(marker.totals):
            log.warning("the printer's totals %s differ from the driver's %s", last.totals, marker.totals)
        return FiscalResult(kind, number, last.total, dict(last.totals), invoice_number, marker)

    # -- reconciliation -------------------------------------------------------------------------------------------
    def reconcile(self, marker: DocumentMarker) -> Reconciliation:
        """Ask the printer whether the document behind `marker` was fiscalized.

        Raises PrinterUnavailable / PrinterNotReady when the printer cannot be asked now (try again
        later: a document waiting for paper is still finished once paper is loaded). Returns UNKNOWN
        when the printer's answer cannot prove either way: hold the document for a person.
        """
        mechanism = self.mechanism()
        if mechanism != 0:
            # Queued queries would wait behind the stalled command; the printer cannot tell yet.
            raise not_ready(mechanism, closing=True)
        last = self.last_document()
        counters = last.counters
        if counters.daily_reports != marker.daily_reports:
            return Reconciliation(Outcome.UNKNOWN, text("rec.daily_report"), transaction_open=last.open)
        now = counters.done(marker.kind)
        delta = now - marker.done_before
        if delta < 0:
            return Reconciliation(Outcome.UNKNOWN, text("rec.counter_back", before=marker.done_before, now=now),
                                  transaction_open=last.open)
        if delta == 0:
            reason = text("rec.not_fiscalized") + (text("rec.still_open") if last.open else "")
            return Reconciliation(Outcome.NOT_FISCALIZED, reason, transaction_open=last.open)
        found = dict(last.totals)
        if delta == 1 and not last.open and last.kind is marker.kind and found == dict(marker.totals):
            number = counters.last_receipt if marker.kind is DocumentKind.RECEIPT else counters.invoices
            result = FiscalResult(marker.kind, number, last.total, found, "", marker)
            reason = text("rec.fiscalized", kind=text(f"doc.{marker.kind.value}"), number=number,
                          total=_pln(last.total))
            return Reconciliation(Outcome.FISCALIZED, reason, result)
        reason = text("rec.other_document", delta=delta, found=_show_totals(found),
                      expected=_show_totals(marker.totals))
        return Reconciliation(Outcome.UNKNOWN, reason, transaction_open=last.open)


def _check_lines(doc: tuple[str, str], lines: Sequence[Line], limit: int) -> None:
    if not lines:
        raise DocumentRefused(doc, "doc.empty")
    if len(lines) > limit:
        raise DocumentRefused(doc, "doc.too_many", count=len(lines), limit=limit)
    total = 0
    for index, line in enumerate(lines, start=1):
        problem = ""
        if not clean_text(line.name, 80).strip():
            problem = "doc.name"
        elif not 0 < line.price <= MAX_KWOTA:
            problem = "doc.price"
        elif line.quantity <= 0:
            problem = "doc.quantity"
        elif line.total > MAX_KWOTA:
            problem = "doc.total"
        if problem:
            raise DocumentRefused(doc, "doc.bad_line", line=index, item=line.name, why=problem)
        total += line.total
    if total > MAX_KWOTA:
        raise DocumentRefused(doc, "doc.total")


def _line_params(line: Line, slot: int, kind: DocumentKind) -> Params:
    params: Params = [("na", clean_text(line.name, 80)), ("vt", str(slot)), ("pr", kwota(line.price))]
    if line.quantity != 1:
        params.append(("il", num(line.quantity)))
    params.append(("wa", kwota(line.total)))
    optional: Iterable[tuple[str, str, int]] = [("jm", line.unit, 4), ("op", line.description, 50)]
    if kind is DocumentKind.INVOICE:
        optional = [*optional, ("np", line.pkwiu, 49), ("nc", line.code, 51)]
    params += [(name, clean_text(value, limit)) for name, value, limit in optional if value.strip()]
    return params


def _nip(nip: str) -> str:
    """A buyer NIP as the printer takes it (10 digits): spaces, dashes and a "PL" prefix dropped."""
    compact = re.sub(r"[\s-]", "", nip)
    if compact[:2].upper() == "PL" and compact[2:].isdigit():
        compact = compact[2:]
    return clean_text(compact, 30)


def _payment(payment: Payment) -> Params:
    params: Params = [("ty", str(int(payment.type))), ("wa", kwota(payment.amount))]
    if payment.name.strip():
        params.append(("na", clean_text(payment.name, 25)))
    return params


def _int(value: str | None) -> int:
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def _bool(value: str | None) -> bool:
    try:
        return parse_bool(value) if value else False
    except ValueError:
        return False


def _pln(amount: int) -> str:
    return f"{amount // 100},{amount % 100:02d} PLN"


def _show_totals(totals: Mapping[str, int]) -> str:
    return ", ".join(f"{k} {_pln(v)}" for k, v in sorted(totals.items())) or "-"
