"""Loosely typed fields are read as what they mean: numbers as strings, flags as "0"/"1", "" for nothing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from sellintegro.baselinker import errors, loose
from sellintegro.baselinker.client import BaseLinkerClient
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.models import VAT_NP, VAT_OO, VAT_ZW, Order, vat_label
from sellintegro.baselinker.seed import generate_orders


def _loose_order(**changes: Any) -> dict[str, Any]:
    order = generate_orders(1, seed=2, unconfirmed_rate=0.0)[0]
    order.update({
        "order_id": "501", "shop_order_id": 73001, "order_source_id": "", "date_confirmed": "1767000000",
        "confirmed": "1", "payment_method_cod": "1", "want_invoice": "0", "payment_done": "50",
        "delivery_price": "12,30", "invoice_nip": "PL 526-104-08-28",
        "products": [
            {"order_product_id": 9001, "product_id": 123, "name": "Kubek „Żubr”", "price_brutto": 0.1,
             "tax_rate": "23", "quantity": "3"},
            {"order_product_id": "9002", "product_id": "", "name": "Szkolenie", "price_brutto": "199.00",
             "tax_rate": -1, "quantity": 1},
            {"order_product_id": "9003", "name": "Bon", "price_brutto": "100", "tax_rate": "-0.02", "quantity": 2.0},
        ],
    })
    order.update(changes)
    return order


def test_loose_fields_arrive_over_http_and_are_read_as_decimals_ints_and_flags(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator([_loose_order()], rate_limit=0)
    (order,) = client(emu, per_minute=0).get_orders()
    assert order.raw["payment_done"] == "50" and order.raw["shop_order_id"] == 73001, "the emulator kept the types"
    assert (order.order_id, order.shop_order_id, order.order_source_id) == (501, "73001", 0)
    assert order.date_confirmed == 1767000000 and order.confirmed is True
    assert order.payment_method_cod is True and order.want_invoice is False
    assert order.payment_done == Decimal("50") and isinstance(order.payment_done, Decimal)
    assert order.delivery_price == Decimal("12.30")
    assert order.invoice.nip == "PL 526-104-08-28", "the NIP is kept as the buyer typed it"
    first, second, third = order.products
    assert (first.order_product_id, first.product_id, first.quantity) == ("9001", "123", 3)
    assert first.total_brutto == Decimal("0.3"), "0.1 * 3 in floats would be 0.30000000000000004"
    assert (first.vat, second.vat, third.vat) == ("23", "ZW", "NP")
    assert second.product_id == "" and third.quantity == 2
    assert order.total_brutto == Decimal("0.3") + Decimal("199.00") + Decimal("200") + Decimal("12.30")


@pytest.mark.parametrize("field,value", [("price_brutto", "12.5zł"), ("quantity", "1.5"), ("tax_rate", "150")])
def test_an_unreadable_product_value_is_a_malformed_response_naming_order_and_field(field: str, value: str) -> None:
    raw = _loose_order()
    raw["products"][1][field] = value
    with pytest.raises(errors.MalformedResponse) as caught:
        Order.from_api(raw)
    assert "order 501" in str(caught.value) and field in str(caught.value)


@pytest.mark.parametrize("value,expected", [
    (12, Decimal(12)), (12.3, Decimal("12.3")), ("12.30", Decimal("12.30")), ("12,30", Decimal("12.30")),
    ("", Decimal(0)), (None, Decimal(0)), (" 1 000.5 ", Decimal("1000.5")), ("-0.02", Decimal("-0.02")),
])
def test_as_decimal_reads_every_spelling_of_an_amount(value: Any, expected: Decimal) -> None:
    assert loose.as_decimal(value) == expected


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", True, [1]])
def test_as_decimal_refuses_what_is_not_an_amount(value: Any) -> None:
    with pytest.raises(ValueError):
        loose.as_decimal(value)


@pytest.mark.parametrize("value,expected", [(7, 7), ("7", 7), ("7.0", 7), (7.0, 7), ("", 0), (None, 0), (True, 1)])
def test_as_int_reads_whole_numbers_in_any_spelling(value: Any, expected: int) -> None:
    assert loose.as_int(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("1", True), ("0", False), (1, True), (0, False), (True, True), ("true", True), ("false", False),
    ("", False), (None, False),
])
def test_as_bool_reads_flags_in_any_spelling(value: Any, expected: bool) -> None:
    assert loose.as_bool(value) is expected


def test_as_str_keeps_ids_as_text() -> None:
    assert [loose.as_str(v) for v in (123, 123.0, "123", None, False)] == ["123", "123", "123", "", "0"]


@pytest.mark.parametrize("rate,label", [(Decimal(23), "23"), (Decimal("8.00"), "8"), (Decimal(5), "5"),
                                        (Decimal(0), "0"), (VAT_ZW, "ZW"), (VAT_NP, "NP"), (VAT_OO, "OO")])
def test_vat_codes_follow_the_reference(rate: Decimal, label: str) -> None:
    assert vat_label(rate) == label
