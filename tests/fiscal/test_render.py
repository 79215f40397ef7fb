"""The simulator's printouts: the text a person reads on the PNG, laid out like the specification's examples."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PIL import Image

from sellintegro.fiscal.device import PrintedDocument, SoldLine
from sellintegro.fiscal.render import WIDTH, Letterhead, layout, render, vat_of

HEAD = Letterhead(["SKLEP TESTOWY"], "5222628262", "ZBF 0000000001")
RATES = {"A": Decimal(23), "B": Decimal(8), "G": Decimal(100)}


def receipt(fiscal: bool = True) -> PrintedDocument:
    lines = (SoldLine("Kubek", 0, 2499, Decimal(3), 7497), SoldLine("Masło", 1, 899, Decimal("0.5"), 450, "szt"),
             SoldLine("Usługa", 6, 1000, Decimal(1), 1000))
    return PrintedDocument("receipt", 7, fiscal, lines, {"A": 7497, "B": 450, "G": 1000}, RATES, 8947,
                           ((2, 10000, ""),), 1053, "1112223344")


def text_of(doc: PrintedDocument) -> str:
    return "\n".join(row.text for row in layout(doc, HEAD))


def test_vat_inside_a_gross_amount_rounds_half_up() -> None:
    assert vat_of(1000, Decimal(23)) == 187 and vat_of(200, Decimal(8)) == 15 and vat_of(1000, Decimal(100)) == 0


def test_a_receipt_shows_lines_tax_summary_payments_and_its_number() -> None:
    printed = text_of(receipt())
    assert "PARAGON FISKALNY" in printed and "nr:7" in printed
    assert "Kubek" in printed and "3 x24,99 74,97A" in printed and "0,5 szt x8,99 4,50B" in printed
    assert "SPRZEDAŻ ZWOLNIONA G" in printed and "PTU A 23,00 %" in printed
    assert "14,02" in printed and "0,33" in printed  # PTU A and B
    assert "SUMA PLN" in printed and "89,47" in printed
    assert "KARTA" in printed and "RESZTA GOTÓWKA" in printed and "10,53 PLN" in printed
    assert "1112223344" in printed and "{PL} ZBF 0000000001" in printed
    assert all(len(row.text) <= WIDTH for row in layout(receipt(), HEAD))


def test_a_cancelled_receipt_says_so_and_has_no_tax_summary() -> None:
    printed = text_of(receipt(fiscal=False))
    assert "TRANSAKCJA ANULOWANA" in printed and "SUMA PLN" not in printed


def test_an_invoice_shows_buyer_number_and_vat_table() -> None:
    doc = PrintedDocument("invoice", 3, True, (SoldLine("Kubek", 0, 2500, Decimal(2), 5000),), {"A": 5000},
                          {"A": Decimal(23)}, 5000, buyer_nip="7250000000", invoice_number="FS 1/2026",
                          buyer_name="Hurtownia\nDział B", buyer_address="ul. Długa 1")
    printed = text_of(doc)
    assert "FAKTURA FS 1/2026" in printed and " Hurtownia" in printed and " Dział B" in printed
    assert "NIP: 7250000000" in printed and "RAZEM" in printed and "Do zapłaty PLN 50,00" in printed


def test_render_writes_a_png_as_tall_as_the_printout(tmp_path: Path) -> None:
    path = render(receipt(), tmp_path / "r.png", HEAD)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.height > image.width > 300
