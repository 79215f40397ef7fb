"""Receipts and invoices printed over TCP against the simulator: totals to the grosz, numbers, VAT map, status."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from sellintegro.fiscal import DocumentKind, DocumentRefused, Invoice, Line, PosnetPrinter, Receipt, grosze
from sellintegro.fiscal.errors import BadBuyerNip, TotalMismatch, VatRateMissing
from sellintegro.fiscal.model import EXEMPT
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import FAST, MIXED_TOTAL, MIXED_TOTALS, mixed_receipt


def test_receipt_with_mixed_vat_and_quantities_matches_to_the_grosz(sim: PrinterSimulator,
                                                                    printer: PosnetPrinter) -> None:
    result = printer.print_receipt(mixed_receipt())

    assert result.kind is DocumentKind.RECEIPT
    assert result.total == MIXED_TOTAL and dict(result.totals) == MIXED_TOTALS
    [doc] = sim.documents
    assert doc.fiscal and doc.kind == "receipt"
    assert result.number == doc.number == sim.counters["bt"] == 1
    assert dict(doc.totals) == MIXED_TOTALS and doc.total == MIXED_TOTAL
    assert doc.change == 11000 - MIXED_TOTAL
    # What went over the wire: amounts in grosze, quantities as Num, each line's own value.
    lines = sim.received("trline")
    assert [line["wa"] for line in lines] == ["7497", "450", "1603", "198", "1000"]
    assert [line.get("il") for line in lines] == ["3", "0.5", "1.234", "2", None]
    assert [line["vt"] for line in lines] == ["0", "1", "2", "3", "6"]
    assert sim.received("trend") == [{"to": str(MIXED_TOTAL), "fp": "11000"}]


def test_each_receipt_is_drawn_as_a_png_for_a_person(sim: PrinterSimulator, printer: PosnetPrinter,
                                                     printouts: Path) -> None:
    printer.print_receipt(mixed_receipt())
    [doc] = sim.documents
    assert doc.image == printouts / "receipt-000001.png"
    with Image.open(doc.image) as image:
        assert image.format == "PNG" and image.height > image.width > 300


def test_consecutive_receipts_get_consecutive_numbers(sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    numbers = [printer.print_receipt(Receipt([Line("Długopis", 350, 23)], id=f"R-{i}")).number for i in range(3)]
    assert numbers == [1, 2, 3] == [d.number for d in sim.documents]
    assert printer.counters().receipts == 3


def test_invoice_prints_buyer_and_erp_number_and_counts_as_an_invoice(sim: PrinterSimulator,
                                                                      printer: PosnetPrinter) -> None:
    invoice = Invoice("FS 12/2026", "Hurtownia Łódź Sp. z o.o.", "725-000-00-00",
                      [Line("Kubek", 2500, 23, 2, pkwiu="23.41.11"), Line("Szkolenie", 10000, -1)],
                      buyer_address="ul. Piotrkowska 1\n90-001 Łódź")
    result = printer.print_invoice(invoice)

    [doc] = sim.documents
    assert doc.kind == "invoice" and doc.invoice_number == "FS 12/2026"
    assert doc.buyer_name == "Hurtownia Łódź Sp. z o.o." and doc.buyer_address == "ul. Piotrkowska 1\n90-001 Łódź"
    assert result.kind is DocumentKind.INVOICE and result.invoice_number == "FS 12/2026"
    assert result.number == doc.number == sim.counters["fn"] == 1
    assert dict(result.totals) == {"A": 5000, "G": 10000} == dict(doc.totals)
    assert "trpayment" not in sim.commands and sim.counters["bn"] == 0


def test_ptu_map_comes_from_vatget_with_minus_one_for_exempt(printer: PosnetPrinter) -> None:
    assert printer.ptu_map() == {Decimal(23): "A", Decimal(8): "B", Decimal(5): "C", Decimal(0): "D", EXEMPT: "G"}


def test_ptu_map_follows_the_printers_own_table(tmp_path: Path) -> None:
    with PrinterSimulator(vat=("8", "23", "101", "100", "5", "101", "0")) as other:
        with PosnetPrinter.tcp(*other.address, timeouts=FAST) as driver:
            assert driver.ptu_map() == {Decimal(8): "A", Decimal(23): "B", EXEMPT: "D", Decimal(5): "E",
                                        Decimal(0): "G"}
            driver.print_receipt(Receipt([Line("Mleko", 399, 8), Line("Woda", 199, 23)]))
            assert [line["vt"] for line in other.received("trline")] == ["0", "1"]


def test_a_vat_rate_the_printer_lacks_refuses_the_receipt_before_anything_prints(sim: PrinterSimulator,
                                                                               printer: PosnetPrinter) -> None:
    with pytest.raises(VatRateMissing) as caught:
        printer.print_receipt(Receipt([Line("Chleb", 450, 5), Line("Gazeta", 300, 7)], id="R-7"))
    assert caught.value.fiscalized is False
    assert "7%" in caught.value.message("en") and "A=23%" in caught.value.message("en")
    assert "trinit" not in sim.commands and not sim.transaction_open


@pytest.mark.parametrize(("receipt", "words"), [
    (Receipt([]), "no lines"),
    (Receipt([Line("Gratis", 0, 23)]), "price must be above 0"),
    (Receipt([Line("Kubek", 100, 23, 0)]), "quantity must be above 0"),
    (Receipt([Line("\t", 100, 23)]), "name is empty"),
    (Receipt([Line("Kubek", 100, 23)] * 501), "at most 500"),
])
def test_bad_receipts_are_refused_before_anything_is_sent(sim: PrinterSimulator, printer: PosnetPrinter,
                                                          receipt: Receipt, words: str) -> None:
    with pytest.raises(DocumentRefused) as caught:
        printer.print_receipt(receipt)
    assert words in caught.value.message("en") and caught.value.fiscalized is False
    assert sim.commands == []


def test_the_simulator_checks_totals_against_its_own_line_sum(sim: PrinterSimulator,
                                                              printer: PosnetPrinter) -> None:
    link = printer.link
    link.call("trinit", [("bm", "0")])
    with pytest.raises(TotalMismatch):  # a line whose value is not price x quantity
        link.call("trline", [("na", "Kubek"), ("vt", "0"), ("pr", "250"), ("il", "3"), ("wa", "749")])
    link.call("trline", [("na", "Kubek"), ("vt", "0"), ("pr", "250"), ("il", "3"), ("wa", "750")])
    with pytest.raises(TotalMismatch):  # a closing total that is not the device's sum
        link.call("trend", [("to", "751")])
    assert sim.documents == [] and sim.transaction_open
    link.call("trend", [("to", "750")])
    assert [d.total for d in sim.documents] == [750]


def test_status_reports_fiscal_mode_paper_and_open_transaction(sim: PrinterSimulator,
                                                               printer: PosnetPrinter) -> None:
    status = printer.status()
    assert status.ready and status.fiscal and status.read_only is False and status.transaction_open is False
    printer.link.call("trinit", [("bm", "0")])
    assert printer.status().transaction == 16
    sim.paper_out()
    status = printer.status()
    assert status.paper_out and not status.ready and status.device == 3
    assert status.transaction is None  # not asked: a queued command would wait for the paper


def test_cancel_open_transaction_cancels_only_when_one_is_open(sim: PrinterSimulator,
                                                               printer: PosnetPrinter) -> None:
    assert printer.cancel_open_transaction() is False
    printer.link.call("trinit", [("bm", "0")])
    printer.link.call("trline", [("na", "Kubek"), ("vt", "0"), ("pr", "250")])
    assert printer.cancel_open_transaction() is True
    assert not sim.transaction_open and [d.fiscal for d in sim.cancelled] == [False]
    assert sim.documents == [] and printer.counters().cancelled_receipts == 1


def test_buyer_nip_goes_to_the_printer_as_ten_digits(sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    printer.print_receipt(Receipt([Line("Kubek", 2500, 23)], buyer_nip="PL 111-222-33-44"))
    assert sim.received("trnipset") == [{"ni": "1112223344"}] and sim.documents[0].buyer_nip == "1112223344"


def test_a_nip_the_printer_refuses_cancels_the_receipt(sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    with pytest.raises(BadBuyerNip) as caught:
        printer.print_receipt(Receipt([Line("Kubek", 2500, 23)], buyer_nip="DE123456789"))
    assert caught.value.fiscalized is False and "10 cyfr" in caught.value.message("pl")
    assert sim.commands[-1] == "prncancel" and sim.documents == []


def test_amounts_are_whole_grosze_and_pln_converts_half_up() -> None:
    assert grosze("12.345") == 1235 and grosze(Decimal("0.1")) == 10 and grosze(19.99) == 1999
    with pytest.raises(TypeError, match="whole grosze"):
        Line("Kubek", 12.5, 23)  # type: ignore[arg-type]
    assert Line("Ser", 1299, "5", Decimal("1.234")).total == 1603 and Line("Usługa", 100, "zw").vat == EXEMPT
