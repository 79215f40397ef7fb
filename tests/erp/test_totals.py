"""The rounding rule: lines from gross, document VAT per rate, half up, exact grosze."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellintegro.erp.model import ItemKind, VatRate, find_vat_rate, grosze, normalize_nip
from sellintegro.erp.totals import document_totals, line_amounts

D = Decimal
V23 = VatRate(100001, "23", "23%", D(23))
V8 = VatRate(100002, "8", "8%", D(8))
V5 = VatRate(100003, "5", "5%", D(5))
V0 = VatRate(100004, "0", "0%", D(0))
ZW = VatRate(100005, "zw", "zwolniony", D(0))
NP = VatRate(100006, "np", "nie podlega", D(0))
OO = VatRate(100007, "oo", "odwrotne obciążenie", D(0))
RATES = [V23, V8, V5, V0, ZW, NP, OO]


def test_line_vat_is_extracted_from_the_line_gross_and_rounded_half_up() -> None:
    a = line_amounts(D("19.99"), D(3), V23)
    assert (grosze(a.gross), grosze(a.vat), grosze(a.net)) == (5997, 1121, 4876)


def test_line_gross_is_unit_gross_times_quantity_rounded_to_the_grosz() -> None:
    # 0.3333 x 3 = 0.9999 -> 1.00: the grosz is rounded once, on the line value.
    assert grosze(line_amounts(D("0.3333"), D(3), V23).gross) == 100
    # A fractional quantity (kg): 12.99 x 0.455 = 5.91045 -> 5.91.
    assert grosze(line_amounts(D("12.99"), D("0.455"), V5).gross) == 591


def test_half_a_grosz_rounds_up_not_to_even() -> None:
    # A VAT extracted from a whole-grosz gross at 23, 8 or 5 % never ends in exactly half a grosz;
    # a line gross does: 0.05 x 0.5 = 0.025 -> 0.03 (banker's rounding would give 0.02).
    assert grosze(line_amounts(D("0.05"), D("0.5"), V23).gross) == 3
    assert grosze(line_amounts(D("0.525"), D(1), V5).gross) == 53


@pytest.mark.parametrize("rate", [ZW, NP, OO, V0], ids=lambda r: r.symbol)
def test_zero_rates_carry_no_vat_and_net_equals_gross(rate: VatRate) -> None:
    a = line_amounts(D("100.00"), D(2), rate)
    assert (grosze(a.gross), grosze(a.vat), grosze(a.net)) == (20000, 0, 20000)


def test_document_vat_is_computed_per_rate_from_the_rates_gross_sum() -> None:
    lines = [(line_amounts(D("19.99"), D(3), V23), V23, ItemKind.GOODS),      # 59.97, line VAT 11.21
             (line_amounts(D("14.99"), D(1), V23), V23, ItemKind.SERVICE),    # 14.99, line VAT 2.80
             (line_amounts(D("39.99"), D(1), V5), V5, ItemKind.GOODS),        # 39.99, line VAT 1.90
             (line_amounts(D("64.90"), D(2), V5), V5, ItemKind.GOODS),        # 129.80, line VAT 6.18
             (line_amounts(D("4.49"), D(7), V8), V8, ItemKind.GOODS),         # 31.43, line VAT 2.33
             (line_amounts(D("100.00"), D(1), ZW), ZW, ItemKind.SERVICE)]     # 100.00, no VAT
    t = document_totals(lines)
    by_rate = {r.rate.symbol: (grosze(r.gross), grosze(r.vat), grosze(r.net)) for r in t.by_rate}
    assert by_rate == {"23": (7496, 1402, 6094), "5": (16979, 809, 16170), "8": (3143, 233, 2910),
                       "zw": (10000, 0, 10000)}
    assert (grosze(t.gross), grosze(t.vat), grosze(t.net)) == (37618, 2444, 35174)
    # The lines' own VAT adds up to 24.42: the per-rate rule differs by one grosz at 23 % and at 5 %.
    assert sum(grosze(a.vat) for a, _, _ in lines) == 2442
    assert (grosze(t.goods_gross), grosze(t.services_gross)) == (26119, 11499)
    assert (grosze(t.goods_net), grosze(t.services_net)) == (23957, 11219)


def test_document_gross_is_exactly_the_sum_of_line_grosses() -> None:
    lines = [(line_amounts(D("0.01"), D(1), V23), V23, ItemKind.GOODS)] * 1000
    t = document_totals(lines)
    assert grosze(t.gross) == 1000
    assert grosze(t.vat) == 187    # 10.00 x 23 / 123 = 1.8699 -> 1.87, not 1000 x 0.00


def test_grosze_refuses_a_fraction_of_a_grosz() -> None:
    assert grosze(D("12.34")) == 1234
    with pytest.raises(ValueError):
        grosze(D("0.005"))


@pytest.mark.parametrize(("tax_rate", "symbol"), [(23, "23"), (8, "8"), (5, "5"), (0, "0"), (-1, "zw"),
                                                  (-0.02, "np"), (-0.03, "oo"), ("23.00", "23")])
def test_baselinker_tax_rate_encodings_map_to_rates_by_kind_not_by_id(tax_rate: object, symbol: str) -> None:
    rate = find_vat_rate(RATES, tax_rate)  # type: ignore[arg-type]
    assert rate is not None and rate.symbol == symbol


def test_an_unknown_tax_rate_finds_nothing() -> None:
    assert find_vat_rate(RATES, 7) is None
    assert find_vat_rate([V23], -1) is None


@pytest.mark.parametrize("spelling", ["5260001246", "PL5260001246", "PL 526-000-12-46", "526 000 12 46",
                                      "pl526.000.12.46"])
def test_nip_is_compared_without_separators_and_pl_prefix(spelling: str) -> None:
    assert normalize_nip(spelling) == "5260001246"


def test_a_foreign_vat_id_keeps_its_country_letters() -> None:
    assert normalize_nip("DE 123-456-789") == "DE123456789"
