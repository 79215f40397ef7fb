"""Draw a printed receipt or invoice as a PNG (Pillow), laid out like the POSNET printouts in the specification.

`layout()` gives the 40-column text lines (testable without images); `render()` draws them on a
paper-coloured strip with a monospace font (DejaVu Sans Mono, Consolas or Menlo when present).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .device import EXEMPT_VALUE, PrintedDocument, SoldLine

WIDTH = 40
SEPARATOR = "- " * (WIDTH // 2)
PAYMENT_NAMES = {0: "GOTÓWKA", 2: "KARTA", 3: "CZEK", 4: "BON", 5: "KREDYT", 6: "INNA", 7: "VOUCHER", 8: "PRZELEW"}
_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono{bold}.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono{bold}.ttf",
    "C:/Windows/Fonts/consola{boldw}.ttf",
    "/System/Library/Fonts/Menlo.ttc",
)


@dataclass(frozen=True)
class Letterhead:
    lines: Sequence[str]
    nip: str
    unique: str
    cashier: str = "#001 SELLINTEGRO"


@dataclass(frozen=True)
class Row:
    text: str
    bold: bool = False


def money(grosze: int) -> str:
    sign = "-" if grosze < 0 else ""
    grosze = abs(grosze)
    return f"{sign}{grosze // 100},{grosze % 100:02d}"


def _qty(quantity: Decimal) -> str:
    return format(quantity.normalize(), "f").replace(".", ",")


def _pct(rate: Decimal) -> str:
    return f"{rate:.2f}".replace(".", ",")


def vat_of(gross: int, rate: Decimal) -> int:
    """The VAT inside a gross amount, rounded half up to the grosz."""
    if rate == EXEMPT_VALUE:
        return 0
    return int((Decimal(gross) * rate / (100 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _lr(left: str, right: str) -> list[str]:
    """`left` and `right` on one line when they fit, else `right` aligned on a line of its own."""
    if len(left) + 1 + len(right) <= WIDTH:
        return [left + " " * (WIDTH - len(left) - len(right)) + right]
    return [left[i:i + WIDTH] for i in range(0, len(left), WIDTH)] + [right.rjust(WIDTH)]


def _center(text: str) -> str:
    return text[:WIDTH].center(WIDTH).rstrip()


def _item_rows(line: SoldLine, letter: str) -> list[Row]:
    unit = f" {line.unit}" if line.unit else ""
    sign = "-" if line.void else ""
    rows = [Row(r) for r in _lr(line.name, f"{_qty(line.quantity)}{unit} x{money(line.price)} "
                                           f"{sign}{money(line.total)}{letter}")]
    if line.description:
        rows.append(Row("  " + line.description[:WIDTH - 2]))
    if line.void:
        rows.append(Row(_center("#STORNO#")))
    return rows


def _footer(doc: PrintedDocument, head: Letterhead) -> list[Row]:
    stamp = doc.time.strftime("%Y-%m-%d %H:%M")
    rows = [Row(r) for r in _lr(f"{doc.number:05d} {head.cashier}", stamp)]
    digest = hashlib.sha1(f"{doc.kind}{doc.number}{doc.total}{stamp}{head.unique}".encode()).hexdigest().upper()
    rows += [Row(digest), Row(_center(f"{{PL}} {head.unique}"), bold=True)]
    return rows


def _header(doc: PrintedDocument, head: Letterhead) -> list[Row]:
    rows = [Row(_center(line)) for line in head.lines]
    rows += [Row(r) for r in _lr(f"NIP {head.nip}", f"nr:{doc.number}")]
    return rows


def _tax_summary(totals: Mapping[str, int], rates: Mapping[str, Decimal]) -> tuple[list[Row], int]:
    rows: list[Row] = []
    vat_sum = 0
    for letter in sorted(totals):
        label = "SPRZEDAŻ ZWOLNIONA" if rates[letter] == EXEMPT_VALUE else "SPRZEDAŻ OPODATKOWANA"
        rows += [Row(r) for r in _lr(f"{label} {letter}", money(totals[letter]))]
    for letter in sorted(totals):
        if rates[letter] != EXEMPT_VALUE:
            vat = vat_of(totals[letter], rates[letter])
            vat_sum += vat
            rows += [Row(r) for r in _lr(f"PTU {letter} {_pct(rates[letter])} %", money(vat))]
    return rows, vat_sum


def layout(doc: PrintedDocument, head: Letterhead) -> list[Row]:
    """The printout's lines, 40 columns wide."""
    if doc.kind == "invoice":
        return _invoice(doc, head)
    rows = _header(doc, head) + [Row(_center("PARAGON FISKALNY"), bold=True)]
    for line in doc.lines:
        rows += _item_rows(line, _letter(doc, line))
    if not doc.fiscal:
        return rows + [Row(_center("TRANSAKCJA ANULOWANA"), bold=True)] + _footer(doc, head)
    taxes, vat_sum = _tax_summary(doc.totals, doc.rates)
    rows += [Row(SEPARATOR)] + taxes
    rows += [Row(r) for r in _lr("SUMA PTU", money(vat_sum))]
    rows += [Row(r, bold=True) for r in _lr("SUMA PLN", money(doc.total))]
    rows += [Row(SEPARATOR), Row("ROZLICZENIE PŁATNOŚCI")]
    payments = doc.payments or ((0, doc.total, ""),)
    for kind, amount, name in payments:
        rows += [Row(r) for r in _lr(name.upper() or PAYMENT_NAMES.get(kind, "INNA"), f"{money(amount)} PLN")]
    if doc.change:
        rows += [Row(r) for r in _lr("RESZTA GOTÓWKA", f"{money(doc.change)} PLN")]
    if doc.buyer_nip:
        rows += [Row(r) for r in _lr("NIP NABYWCY:", doc.buyer_nip)]
    return rows + _footer(doc, head)


def _letter(doc: PrintedDocument, line: SoldLine) -> str:
    return "ABCDEFG"[line.slot]


def _invoice(doc: PrintedDocument, head: Letterhead) -> list[Row]:
    rows = [Row(_center(line)) for line in head.lines]
    rows += [Row(f"FAKTURA {doc.invoice_number}"[:WIDTH], bold=True), Row(_center("ORYGINAŁ"))]
    rows += [Row(f"nr: {doc.invoice_number}"[:WIDTH]), Row("Nabywca:")]
    rows += [Row(" " + part[:WIDTH - 1]) for part in doc.buyer_name.split("\n")]
    rows += [Row(" " + part[:WIDTH - 1]) for part in doc.buyer_address.split("\n") if part]
    rows += [Row(f"NIP: {doc.buyer_nip}"), Row("Sprzedawca:")]
    rows += [Row(" " + line[:WIDTH - 1]) for line in head.lines] + [Row(f" NIP: {head.nip}"), Row(SEPARATOR)]
    if not doc.fiscal:
        for line in doc.lines:
            rows += _item_rows(line, _letter(doc, line))
        return rows + [Row(_center("TRANSAKCJA ANULOWANA"), bold=True)] + _footer(doc, head)
    for line in doc.lines:
        letter = _letter(doc, line)
        rate = doc.rates[letter]
        rows.append(Row(line.name[:WIDTH]))
        if line.description:
            rows.append(Row("  " + line.description[:WIDTH - 2]))
        rows += [Row(r) for r in _lr("", f"{_qty(line.quantity)} x {money(line.price)} {money(line.total)}")]
        if rate != EXEMPT_VALUE:
            vat = vat_of(line.total, rate)
            rows += [Row(r) for r in _lr(f" PTU {letter} {_pct(rate)} %", money(vat))]
            rows += [Row(r) for r in _lr(" Wartość netto:", money(line.total - vat))]
    rows += [Row(SEPARATOR), Row(f"{'VAT%':<8}{'w.netto':>11}{'w.VAT':>9}{'w.brutto':>11}"), Row(SEPARATOR)]
    net_sum = vat_sum = 0
    for letter in sorted(doc.totals):
        rate = doc.rates[letter]
        gross = doc.totals[letter]
        vat = vat_of(gross, rate)
        net_sum, vat_sum = net_sum + gross - vat, vat_sum + vat
        label = "zw" if rate == EXEMPT_VALUE else format(rate.normalize(), "f")
        rows.append(Row(f"{letter} {label:<6}{money(gross - vat):>11}{money(vat):>9}{money(gross):>11}"[:WIDTH]))
    rows.append(Row(f"RAZEM   {money(net_sum):>11}{money(vat_sum):>9}{money(doc.total):>11}"[:WIDTH], bold=True))
    rows += [Row(SEPARATOR), Row(f"Do zapłaty PLN {money(doc.total)}", bold=True)]
    return rows + _footer(doc, head)


@lru_cache(maxsize=4)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for pattern in _FONTS:
        path = pattern.format(bold="-Bold" if bold else "", boldw="b" if bold else "")
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def render(doc: PrintedDocument, path: Path, head: Letterhead, size: int = 18) -> Path:
    """Draw `doc` into the PNG file `path`; returns `path`."""
    rows = layout(doc, head)
    regular, bold = _font(size, False), _font(size, True)
    char = regular.getlength("M")
    step = int(size * 1.35)
    margin = size
    width = int(char * WIDTH) + 2 * margin
    height = step * len(rows) + 2 * margin
    image = Image.new("RGB", (width, height), (252, 250, 243))
    draw = ImageDraw.Draw(image)
    for i, row in enumerate(rows):
        draw.text((margin, margin + i * step), row.text, fill=(20, 20, 20), font=bold if row.bold else regular)
    if not doc.fiscal:
        draw.line((margin, margin, width - margin, height - margin), fill=(190, 40, 40), width=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")
    return path
