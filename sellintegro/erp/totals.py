"""Net, VAT and gross of lines and documents, from gross prices, in exact grosze.

The rule (one place, used by every backend):

- Prices are gross, as BaseLinker sends them and as Subiekt computes a document with
  `LiczonyOdCenBrutto = true`. The gross is what the buyer paid, so it is never derived.
- A line: gross = round(unit gross x quantity); VAT = round(gross x p / (100 + p)); net = gross - VAT.
- A document: gross = sum of line grosses; its VAT is computed **per rate** from the sum of the
  gross values at that rate, VAT = round(sum x p / (100 + p)), then added up; net = gross - VAT.
  This is the formula of art. 106e ust. 7-8 of the Polish VAT act for invoices priced in gross,
  and it is how a fiscal printer totals a receipt (per PTU letter), so an ERP receipt (PA) agrees
  with the printer's daily report. The price: the sum of the lines' VAT may differ from the
  document's VAT by up to one grosz per rate; the lines keep their own rounding, as on a printed
  invoice, and the document's `dok_WartVat` is the per-rate figure.
- ZW, NP, OO and 0 % carry no VAT: net = gross.
- Rounding is half up to the grosz (ROUND_HALF_UP), the commercial rule the tax office uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .model import GROSZ, ItemKind, VatKind, VatRate

ZERO = Decimal("0.00")
_UNIT = Decimal("0.0001")   # `money` keeps four decimal places: unit prices and quantities


def round_grosz(value: Decimal) -> Decimal:
    """`value` rounded half up to the grosz."""
    return value.quantize(GROSZ, rounding=ROUND_HALF_UP)


def vat_from_gross(gross: Decimal, rate: VatRate) -> Decimal:
    """The VAT contained in `gross` at `rate` (zero for ZW, NP, OO and 0 %)."""
    if rate.kind is not VatKind.TAXED or rate.percent == 0:
        return ZERO
    return round_grosz(gross * rate.percent / (100 + rate.percent))


@dataclass(frozen=True)
class LineAmounts:
    """A line's unit prices and values."""

    unit_net: Decimal
    unit_gross: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_amounts(unit_gross: Decimal, quantity: Decimal, rate: VatRate) -> LineAmounts:
    """A line priced in gross: its gross, the VAT it contains, its net, and an informational unit net."""
    unit_gross = unit_gross.quantize(_UNIT, rounding=ROUND_HALF_UP)
    gross = round_grosz(unit_gross * quantity)
    vat = vat_from_gross(gross, rate)
    return LineAmounts(unit_net=unit_gross - vat_from_gross(unit_gross, rate), unit_gross=unit_gross,
                       net=gross - vat, vat=vat, gross=gross)


@dataclass(frozen=True)
class RateTotal:
    """One row of the VAT summary: a rate and its gross, VAT and net."""

    rate: VatRate
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class DocumentTotals:
    """A document's totals, the goods/services split of `dok_WartTw*`/`dok_WartUs*`, and the VAT summary."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    goods_net: Decimal
    goods_gross: Decimal
    services_net: Decimal
    services_gross: Decimal
    by_rate: tuple[RateTotal, ...]


def document_totals(lines: Iterable[tuple[LineAmounts, VatRate, ItemKind]]) -> DocumentTotals:
    """Totals of a document whose lines are priced in gross: VAT per rate from the rate's gross sum."""
    per_rate: dict[int, tuple[VatRate, Decimal]] = {}
    goods_net = goods_gross = services_net = services_gross = ZERO
    for amounts, rate, kind in lines:
        _, sum_gross = per_rate.get(rate.id, (rate, ZERO))
        per_rate[rate.id] = (rate, sum_gross + amounts.gross)
        if kind is ItemKind.SERVICE:
            services_net += amounts.net
            services_gross += amounts.gross
        else:
            goods_net += amounts.net
            goods_gross += amounts.gross
    by_rate = []
    for rate, sum_gross in sorted(per_rate.values(), key=lambda item: item[0].id):
        vat = vat_from_gross(sum_gross, rate)
        by_rate.append(RateTotal(rate=rate, net=sum_gross - vat, vat=vat, gross=sum_gross))
    gross = sum((r.gross for r in by_rate), ZERO)
    vat = sum((r.vat for r in by_rate), ZERO)
    return DocumentTotals(net=gross - vat, vat=vat, gross=gross, goods_net=goods_net, goods_gross=goods_gross,
                          services_net=services_net, services_gross=services_gross, by_rate=tuple(by_rate))
