"""BaseLinker receipts and invoices as printer documents: VAT rates to PTU slots, grosze, payment, NIP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sellintegro_fiscal.documents import Unprintable, invoice_document, polish_nip, receipt_document
from sellintegro_fiscal.settings import FiscalSettings

from sellintegro.baselinker.models import Invoice as BlInvoice
from sellintegro.baselinker.models import Receipt as BlReceipt
from sellintegro.fiscal import EXEMPT, PaymentType
from sellintegro.fiscal.model import VatTable

# The simulator's default table: A 23, B 8, C 5, D 0, G exempt; E and F inactive.
TABLE = VatTable({"A": Decimal(23), "B": Decimal(8), "C": Decimal(5), "D": Decimal(0), "E": None, "F": None,
                  "G": EXEMPT})


def settings(**extra: Any) -> FiscalSettings:
    return FiscalSettings.from_settings({"printer": "tcp://127.0.0.1", "receipt_series": 3, **extra})


def bl_receipt(*products: tuple[str, Any, Any, Any], nip: str = "", payment: str = "Przelewy24") -> BlReceipt:
    return BlReceipt.from_api({
        "receipt_id": 7, "series_id": 3, "receipt_full_nr": "7/1/2026/P", "order_id": 70, "date_add": 0,
        "payment_method": payment, "nip": nip,
        "products": [{"name": n, "price_brutto": p, "tax_rate": r, "quantity": q, "sku": "", "ean": ""}
                     for n, p, r, q in products]})


def test_each_tax_rate_maps_to_the_printers_slot_and_minus_one_to_the_exempt_slot() -> None:
    doc, notes = receipt_document(bl_receipt(("A", "10.00", 23, 1), ("B", "10.00", "8", 1), ("C", "10", 5.0, 1),
                                             ("D", "10", 0, 1), ("ZW", "10", -1, 1)), TABLE, settings())
    assert [TABLE.letter_for(line.vat) for line in doc.lines] == ["A", "B", "C", "D", "G"]
    assert notes == []


def test_amounts_are_whole_grosze_and_the_total_matches_baselinker_to_the_grosz() -> None:
    doc, notes = receipt_document(bl_receipt(("Kubek", "24.99", 23, 3), ("Ser", 12.35, 5, 2)), TABLE, settings())
    assert [(line.price, line.quantity, line.total) for line in doc.lines] == [(2499, 3, 7497), (1235, 2, 2470)]
    assert doc.total == 9967 and notes == []
    [payment] = doc.payments
    assert payment.type is PaymentType.TRANSFER and payment.amount == 9967


def test_a_unit_price_finer_than_a_grosz_is_rounded_and_the_difference_is_noted() -> None:
    doc, notes = receipt_document(bl_receipt(("Śruba", "0.125", 23, 10)), TABLE, settings())
    assert doc.lines[0].price == 13 and doc.total == 130
    [note] = notes
    assert "1,30 PLN" in note and "1,25 PLN" in note


@pytest.mark.parametrize(("rate", "word"), [("-0.02", "NP"), ("-0.03", "OO")])
def test_not_subject_and_reverse_charge_never_go_on_a_fiscal_receipt(rate: str, word: str) -> None:
    with pytest.raises(Unprintable, match=f"line 2 .*{word}"):
        receipt_document(bl_receipt(("A", "1.00", 23, 1), ("Usługa", "1.00", rate, 1)), TABLE, settings())


def test_a_rate_the_printer_lacks_is_refused_naming_the_line_and_the_printers_table() -> None:
    with pytest.raises(Unprintable) as caught:
        receipt_document(bl_receipt(("Leki", "10.00", 7, 1)), TABLE, settings())
    assert "line 1 (Leki)" in str(caught.value) and "A=23%" in str(caught.value) and "G=zw" in str(caught.value)


def test_an_exempt_line_is_refused_when_the_printer_has_no_exempt_slot() -> None:
    table = VatTable({**TABLE.slots, "G": None})
    with pytest.raises(Unprintable, match="zw"):
        receipt_document(bl_receipt(("Szkolenie", "100", -1, 1)), table, settings())


@pytest.mark.parametrize(("price", "quantity", "why"), [("0", 1, "price"), ("-5.00", 1, "price"), ("1", 0, "quantity")])
def test_a_line_without_a_positive_price_or_quantity_is_refused(price: str, quantity: int, why: str) -> None:
    with pytest.raises(Unprintable, match=why):
        receipt_document(bl_receipt(("Rabat", price, 23, quantity)), TABLE, settings())


def test_a_receipt_without_lines_is_refused() -> None:
    with pytest.raises(Unprintable, match="no lines"):
        receipt_document(bl_receipt(), TABLE, settings())


def test_a_valid_polish_nip_is_printed_in_any_spelling_and_an_invalid_one_is_left_out_with_a_note() -> None:
    doc, notes = receipt_document(bl_receipt(("A", "1", 23, 1), nip="PL 526-000-12-46"), TABLE, settings())
    assert doc.buyer_nip == "5260001246" and notes == []
    doc, notes = receipt_document(bl_receipt(("A", "1", 23, 1), nip="DE123456789"), TABLE, settings())
    assert doc.buyer_nip == "" and "DE123456789" in notes[0]
    doc, notes = receipt_document(bl_receipt(("A", "1", 23, 1), nip="5260001246"), TABLE, settings(buyer_nip=False))
    assert doc.buyer_nip == ""
    assert polish_nip("526-000-12-47") is None  # bad check digit


def test_the_payment_form_follows_the_payment_method_map_or_the_default() -> None:
    mapped = settings(payment="card", payment_methods={"Pobranie": "cash", "Przelew": "none"})
    cod, _ = receipt_document(bl_receipt(("A", "1", 23, 1), payment="POBRANIE"), TABLE, mapped)
    card, _ = receipt_document(bl_receipt(("A", "1", 23, 1), payment="BLIK"), TABLE, mapped)
    none, _ = receipt_document(bl_receipt(("A", "1", 23, 1), payment="przelew"), TABLE, mapped)
    assert cod.payments[0].type is PaymentType.CASH and card.payments[0].type is PaymentType.CARD
    assert none.payments == ()


def bl_invoice(**extra: Any) -> BlInvoice:
    raw = {"invoice_id": 5, "order_id": 9, "series_id": 1, "type": "normal", "number": "FV 5/1/2026",
           "currency": "PLN", "total_price_brutto": "61.48", "invoice_fullname": "Jan Kowalski",
           "invoice_company": "Piekarnia Złoty Kłos s.c.", "invoice_nip": "526-000-12-46",
           "invoice_address": "ul. Długa 1", "invoice_postcode": "00-001", "invoice_city": "Warszawa",
           "items": [{"name": "Chleb", "price_brutto": "12.30", "tax_rate": 5, "quantity": 4},
                     {"name": "Dostawa", "price_brutto": "12.28", "tax_rate": 23, "quantity": 1}], **extra}
    return BlInvoice.from_api(raw)


def test_an_invoice_becomes_a_printer_invoice_with_its_number_buyer_and_lines() -> None:
    doc, notes = invoice_document(bl_invoice(), TABLE)
    assert doc.number == "FV 5/1/2026" and doc.buyer_name == "Piekarnia Złoty Kłos s.c."
    assert doc.buyer_nip == "526-000-12-46" and doc.buyer_address == "ul. Długa 1, 00-001 Warszawa"
    assert doc.total == 6148 and notes == []


@pytest.mark.parametrize(("extra", "why"), [({"invoice_nip": ""}, "NIP"), ({"type": "correcting"}, "correcting"),
                                            ({"currency": "EUR"}, "EUR")])
def test_an_invoice_the_printer_cannot_issue_is_refused_with_the_reason(extra: dict[str, Any], why: str) -> None:
    with pytest.raises(Unprintable, match=why):
        invoice_document(bl_invoice(**extra), TABLE)
