"""BaseLinker receipts and invoices as the printer's documents: VAT rates to PTU slots, grosze, payment, NIP.

A VAT rate is mapped through the printer's own table (`vatget`): 23 -> the slot holding 23 %, -1 (ZW,
exempt) -> the exempt slot. NP (-0.02) and OO (-0.03) never belong on a fiscal document. A rate the
printer lacks, a price or quantity of 0, an empty document: Unprintable, a poison input said in words.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sellintegro.baselinker.models import VAT_NP, VAT_OO, vat_label
from sellintegro.baselinker.models import Invoice as BlInvoice
from sellintegro.baselinker.models import Receipt as BlReceipt
from sellintegro.fiscal import EXEMPT, Invoice, Line, Payment, Receipt, grosze
from sellintegro.fiscal.model import VatTable, rate

from .settings import FiscalSettings
from .texts import money, t

_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


class Unprintable(Exception):
    """The document cannot be printed as it is (a poison input); the message says why, in words."""


def receipt_label(receipt: BlReceipt) -> str:
    return receipt.receipt_full_nr or f"#{receipt.receipt_id}"


def invoice_label(invoice: BlInvoice) -> str:
    return invoice.number or f"#{invoice.invoice_id}"


def receipt_document(receipt: BlReceipt, table: VatTable, settings: FiscalSettings) -> tuple[Receipt, list[str]]:
    """The printer's receipt for a BaseLinker receipt, and warnings worth a journal line."""
    label = receipt_label(receipt)
    if not receipt.products:
        raise Unprintable(t("why.no_lines"))
    doc = t("kind.receipt")
    lines = [_line(i, p.name or p.sku or p.ean, p.price_brutto, p.tax_rate, p.quantity, table, doc)
             for i, p in enumerate(receipt.products, start=1)]
    notes: list[str] = []
    nip = ""
    if settings.buyer_nip and receipt.nip.strip():
        nip = polish_nip(receipt.nip) or ""
        if not nip:
            notes.append(t("note.nip_dropped", label=label, nip=receipt.nip.strip()))
    document = Receipt(lines, buyer_nip=nip, id=label)
    kind = settings.payment_for(receipt.payment_method)
    if kind is not None:
        document = Receipt(lines, payments=[Payment(kind, document.total, receipt.payment_method[:25])],
                           buyer_nip=nip, id=label)
    _compare(notes, doc, label, document.total, grosze(receipt.total_brutto))
    return document, notes


def invoice_document(invoice: BlInvoice, table: VatTable) -> tuple[Invoice, list[str]]:
    """The printer's invoice (trfv*) for a BaseLinker invoice, and warnings worth a journal line."""
    if invoice.type == "correcting":
        raise Unprintable(t("why.correcting"))
    if invoice.currency and invoice.currency.upper() != "PLN":
        raise Unprintable(t("why.currency", currency=invoice.currency))
    if not invoice.items:
        raise Unprintable(t("why.no_lines"))
    buyer = invoice.buyer
    nip = re.sub(r"\s", "", buyer.nip)
    if not nip:
        raise Unprintable(t("why.no_nip"))
    name = (buyer.company or buyer.fullname).strip()
    if not name:
        raise Unprintable(t("why.no_buyer"))
    doc = t("kind.invoice")
    lines = [_line(i, item.name or item.sku or item.ean, item.price_brutto, item.tax_rate, item.quantity, table, doc)
             for i, item in enumerate(invoice.items, start=1)]
    city = f"{buyer.postcode} {buyer.city}".strip()
    address = ", ".join(part for part in (buyer.address.strip(), city) if part)
    label = invoice_label(invoice)
    document = Invoice(number=label, buyer_name=name, buyer_nip=nip, lines=lines, buyer_address=address,
                       id=str(invoice.invoice_id))
    notes: list[str] = []
    _compare(notes, doc, label, document.total, grosze(invoice.total_price_brutto))
    return document, notes


def _line(index: int, name: str, price: Decimal, tax_rate: Decimal, quantity: int, table: VatTable,
          doc: str) -> Line:
    item = name.strip() or f"#{index}"
    if tax_rate in (VAT_NP, VAT_OO):
        raise Unprintable(t("why.vat_code", line=index, item=item, vat=vat_label(tax_rate), doc=doc))
    vat = rate(tax_rate)
    if table.letter_for(vat) is None:
        shown = "zw" if vat == EXEMPT else f"{vat:f}%"
        raise Unprintable(t("why.vat_missing", line=index, item=item, vat=shown, table=table.describe()))
    unit = grosze(price)
    if unit <= 0:
        raise Unprintable(t("why.price", line=index, item=item, price=money(unit)))
    if quantity <= 0:
        raise Unprintable(t("why.quantity", line=index, item=item, quantity=quantity))
    return Line(item, unit, vat, Decimal(quantity))


def _compare(notes: list[str], doc: str, label: str, printed: int, expected: int) -> None:
    if printed != expected:
        notes.append(t("note.total_differs", kind=doc, label=label, printed=money(printed), expected=money(expected)))


def polish_nip(text: str) -> str | None:
    """The 10 digits of a valid Polish NIP ("PL 526-000-12-46" -> "5260001246"), or None."""
    compact = re.sub(r"[\s.-]", "", text)
    if compact[:2].upper() == "PL":
        compact = compact[2:]
    if len(compact) != 10 or not compact.isascii() or not compact.isdigit():
        return None
    check = sum(int(d) * w for d, w in zip(compact, _NIP_WEIGHTS, strict=False)) % 11
    return compact if check == int(compact[9]) else None
