"""What the ERP's print engine does in the demo: an invoice PDF for each FS document, named by its number.

In a shop, Subiekt prints an invoice to PDF into the folder the `pdf` plugin watches; the file name is the
document's number with "/" written as "_" (a file name cannot hold "/"). Here Pillow draws a one-page
invoice and saves it as a PDF; the file appears at once, complete (written under a hidden name, then
renamed), as a careful print engine does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from ..erp import StoredDocument

SELLER = ("Sklep Demo Sp. z o.o.", "ul. Przykładowa 1, 00-001 Warszawa", "NIP 526-000-12-46")
_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans{bold}.ttf", "/usr/share/fonts/dejavu/DejaVuSans{bold}.ttf",
          "C:/Windows/Fonts/arial{boldw}.ttf", "/System/Library/Fonts/Supplemental/Arial{boldm}.ttf")
WIDTH, HEIGHT, MARGIN = 1240, 1754, 90  # A4 at 150 dpi


def file_name(number: str) -> str:
    """The PDF's name for ERP document `number` ("FS 12/2026" -> "FS 12_2026.pdf")."""
    return number.replace("/", "_") + ".pdf"


@lru_cache(maxsize=4)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for pattern in _FONTS:
        path = pattern.format(bold="-Bold" if bold else "", boldw="bd" if bold else "", boldm=" Bold" if bold else "")
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def draw(doc: StoredDocument, buyer: Mapping[str, Any]) -> Image.Image:
    """A one-page invoice for `doc`; `buyer` is the BaseLinker order (invoice_* fields)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    d = ImageDraw.Draw(image)
    y = MARGIN
    d.text((MARGIN, y), f"Faktura VAT {doc.number}", font=_font(40, True), fill="black")
    y += 70
    d.text((MARGIN, y), f"Data wystawienia: {doc.issue_date:%Y-%m-%d}    Zamówienie BaseLinker: {doc.original_number}",
           font=_font(22), fill="black")
    y += 60
    d.text((MARGIN, y), "Sprzedawca", font=_font(24, True), fill="black")
    d.text((WIDTH // 2, y), "Nabywca", font=_font(24, True), fill="black")
    y += 36
    company = str(buyer.get("invoice_company") or buyer.get("invoice_fullname") or buyer.get("delivery_fullname") or "")
    place = f"{buyer.get('invoice_postcode') or ''} {buyer.get('invoice_city') or ''}".strip()
    lines = [company, str(buyer.get("invoice_address") or ""), place,
             f"NIP {buyer['invoice_nip']}" if buyer.get("invoice_nip") else ""]
    for i in range(max(len(SELLER), len(lines))):
        if i < len(SELLER):
            d.text((MARGIN, y), SELLER[i], font=_font(22), fill="black")
        if i < len(lines):
            d.text((WIDTH // 2, y), lines[i][:45], font=_font(22), fill="black")
        y += 32
    y += 40
    columns = (MARGIN, MARGIN + 60, WIDTH - MARGIN - 500, WIDTH - MARGIN - 360, WIDTH - MARGIN - 190)
    for x, head in zip(columns, ("Lp.", "Nazwa", "Ilość", "Cena brutto", "Wartość brutto"), strict=True):
        d.text((x, y), head, font=_font(20, True), fill="black")
    y += 34
    d.line((MARGIN, y, WIDTH - MARGIN, y), fill="black", width=2)
    y += 12
    for line in doc.lines:
        cells = (str(line.lp), line.name[:48], f"{line.quantity.normalize():f} {line.unit}", _money(line.unit_gross),
                 _money(line.gross))
        for x, cell in zip(columns, cells, strict=True):
            d.text((x, y), cell, font=_font(20), fill="black")
        y += 32
        if y > HEIGHT - 300:
            break
    y += 10
    d.line((MARGIN, y, WIDTH - MARGIN, y), fill="black", width=2)
    y += 24
    d.text((WIDTH - MARGIN - 520, y), f"Netto {_money(doc.net)}   VAT {_money(doc.vat)}", font=_font(22), fill="black")
    y += 40
    d.text((WIDTH - MARGIN - 520, y), f"Razem do zapłaty: {_money(doc.gross)} PLN", font=_font(28, True),
           fill="black")
    d.text((MARGIN, HEIGHT - MARGIN - 30), "Dokument wygenerowany przez `sellintegro demo` (nie jest fakturą).",
           font=_font(18), fill="gray")
    return image


def write_pdf(doc: StoredDocument, buyer: Mapping[str, Any], folder: Path) -> Path:
    """Draw the invoice and put it into `folder` complete, under its document number; returns the path."""
    target = folder / file_name(doc.number)
    hidden = folder / f".{target.name}.tmp"  # a dot name ending in .tmp: never taken for a PDF
    draw(doc, buyer).save(hidden, format="PDF", resolution=150.0)
    os.replace(hidden, target)
    return target
