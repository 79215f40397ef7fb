"""An order -> its document request: VAT rates, type, buyer, delivery, payment, and the refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sellintegro_orders.catalog import Catalog, SetupProblem
from sellintegro_orders.mapping import Plan, Rejected, plan, split_street
from sellintegro_orders.settings import OrdersSettings

from sellintegro.baselinker import Order
from sellintegro.erp import ContractorRequest, DocType, ItemKind, PaymentMethod, SqlErp, sim

from .conftest import add_products, line, order

TODAY = date(2026, 3, 2)
D = Decimal


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[SqlErp]:
    target = tmp_path / "erp.sqlite"
    sim.create(target)
    with SqlErp.open(target) as e:
        add_products(e, {"EAN-ONLY": ("Karta po EAN", D(23)), "TWIN-A": ("Bliźniak", D(23)),
                         "TWIN-B": ("Bliźniak", D(23))},
                     eans={"EAN-ONLY": "5900000000017", "TWIN-A": "5900000000024", "TWIN-B": "5900000000024"})
        yield e


def mapped(erp: SqlErp, raw: dict[str, Any], **settings: Any) -> Plan:
    s = OrdersSettings.from_settings(settings)
    return plan(Order.from_api(raw), s, Catalog(erp, s), TODAY)


def refusal(erp: SqlErp, raw: dict[str, Any], **settings: Any) -> str:
    with pytest.raises(Rejected) as caught:
        mapped(erp, raw, **settings)
    return caught.value.reason.text()


def vat_symbols(erp: SqlErp, p: Plan) -> list[str]:
    rates = {r.id: r.symbol for r in erp.vat_rates()}
    return [rates[ln.vat_id] for ln in p.request.lines if ln.vat_id is not None]


def test_baselinker_vat_codes_map_to_subiekts_exempt_not_subject_and_reverse_charge_rates(erp: SqlErp) -> None:
    p = mapped(erp, order(1, line("KUB-CER-300", "19.99", "23"), line("SZKOL-ONL", "100", -1),
                          line("KS-PAN-TAD", "39.99", "-0.02"), line("TERM-ELEK", 24.99, -0.03),
                          line("CHLEB-ZYT", "6.49", 5.0), line("MIOD-WIEL-1", "54", "8")))
    assert vat_symbols(erp, p) == ["23", "zw", "np", "oo", "5", "8", "23"]   # the last: delivery at 23 %


def test_vat_map_sends_a_baselinker_rate_to_the_subiekt_rate_named(erp: SqlErp) -> None:
    p = mapped(erp, order(1, line("KUB-CER-300", "19.99", 0), delivery="0"), vat_map={"0": "np"})
    assert vat_symbols(erp, p) == ["np"]
    with pytest.raises(SetupProblem, match="vat_map: Subiekt has no VAT rate 7,5"):
        mapped(erp, order(1), vat_map={"ZW": "7,5"})


def test_document_type_auto_is_an_invoice_when_one_is_wanted_and_a_receipt_otherwise(erp: SqlErp) -> None:
    assert mapped(erp, order(1, want_invoice="1"), document_type="auto").request.type is DocType.FS
    assert mapped(erp, order(1, want_invoice="0"), document_type="auto").request.type is DocType.PA
    assert mapped(erp, order(1, want_invoice="1"), document_type="ZK").request.type is DocType.ZK
    assert mapped(erp, order(1)).request.original_number == "1"


def test_the_buyer_is_the_invoice_company_with_its_nip_when_an_invoice_is_wanted(erp: SqlErp) -> None:
    raw = order(7, want_invoice="1", invoice_company="Zakład Stolarski Dąb Sp. j.", invoice_fullname="Jan Sęk",
                invoice_nip="PL 526-000-12-46", invoice_address="ul. Żwirki i Wigury 12A/4", invoice_postcode="02-092",
                invoice_city="Warszawa")
    buyer = mapped(erp, raw).request.contractor
    assert isinstance(buyer, ContractorRequest)
    a = buyer.address
    assert (a.name, a.nip, a.street, a.house_no, a.flat_no, a.postcode, a.city) == (
        "Zakład Stolarski Dąb Sp. j.", "5260001246", "ul. Żwirki i Wigury", "12A", "4", "02-092", "Warszawa")
    assert not buyer.person and buyer.email == "klient7@poczta.example.pl"


def test_the_buyer_is_the_delivery_person_without_an_invoice(erp: SqlErp) -> None:
    buyer = mapped(erp, order(7)).request.contractor
    assert isinstance(buyer, ContractorRequest)
    assert (buyer.person, buyer.first_name, buyer.last_name, buyer.address.nip, buyer.address.city) == (
        True, "Józef", "Żółkiewski", "", "Łódź")


def test_delivery_is_a_service_line_named_after_the_method_at_the_configured_rate(erp: SqlErp) -> None:
    p = mapped(erp, order(1, line("KS-PAN-TAD", "39.99", 5), delivery="12.99"))
    last = p.request.lines[-1]
    assert (last.name, last.unit_gross, last.quantity, last.kind, last.product_id) == (
        "Kurier DPD", D("12.99"), D(1), ItemKind.SERVICE, None)
    assert vat_symbols(erp, p)[-1] == "23"
    assert vat_symbols(erp, mapped(erp, order(1, line("KS-PAN-TAD", "39.99", 5), line("TERM-ELEK", "4.49", 8)),
                                   delivery_vat="highest"))[-1] == "8"
    carded = mapped(erp, order(1), delivery_symbol="TRANSPORT", delivery_name="Przesyłka")
    assert carded.request.lines[-1].product_id == erp.product_by_symbol("TRANSPORT").id  # type: ignore[union-attr]
    assert carded.request.lines[-1].name == "Przesyłka"
    assert len(mapped(erp, order(1, delivery="0")).request.lines) == 1, "free delivery adds no line"


def test_payment_is_cash_on_delivery_paid_or_due_in_payment_days(erp: SqlErp) -> None:
    assert mapped(erp, order(1, payment_method_cod="1", payment_done="0")).request.payment.method is (
        PaymentMethod.CASH_ON_DELIVERY)
    assert mapped(erp, order(1)).request.payment.method is PaymentMethod.TRANSFER
    unpaid = mapped(erp, order(1, payment_done="0"), payment_days=14).request.payment
    assert (unpaid.method, unpaid.due) == (PaymentMethod.DEFERRED, date(2026, 3, 16))


@pytest.mark.parametrize(("raw", "reason"), [
    (order(1, line("ABC-1", "10", 23, 1, name="Kubek")), 'SKU ABC-1 not found in Subiekt (line 1: "Kubek")'),
    (order(1, line("ABC-1", "10", 23, 1, name="Kubek", ean="5901111111111")),
     'SKU ABC-1, EAN 5901111111111 not found in Subiekt (line 1: "Kubek")'),
    (order(1, line("", "10", 23, 1, name="Bez kodów")),
     'line 1 "Bez kodów" has no SKU or EAN to find it in Subiekt by'),
    (order(1, line("KUB-CER-300", "19.99", 23, 0, name="Kubek")),
     'line 1 "Kubek" has quantity 0; it must be at least 1'),
    (order(1, line("KUB-CER-300", "19.99"), line("KUB-CER-300", "-0.01", 23, 1, name="Rabat")),
     'line 2 "Rabat" has a negative price (-0.01)'),
    (order(1, delivery="-5"), "the delivery cost is negative (-5.00)"),
    (order(1, line("KUB-CER-300", "0.333", 23, 3), delivery="0"),
     "the total does not add up: the lines and delivery come to 0.999 PLN, which is not a whole number of grosze "
     "(a document would show 1.00)"),
    (order(1, line("KUB-CER-300", "19.99", 12)), "VAT rate 12 % (line 1) has no match in Subiekt"),
    (order(1, line("", "10", 23, 1, name="x", ean="5900000000024")),
     'EAN 5900000000024 matches 2 products in Subiekt (TWIN-A, TWIN-B)'),
])
def test_an_order_that_cannot_be_written_is_refused_with_a_reason_a_shop_owner_reads(
        erp: SqlErp, raw: dict[str, Any], reason: str) -> None:
    assert reason in refusal(erp, raw)


def test_a_product_is_found_by_ean_then_by_name_when_its_sku_is_unknown(erp: SqlErp) -> None:
    by_ean = mapped(erp, order(1, line("NIEZNANY", "10", 23, 1, ean="5900000000017")))
    assert by_ean.request.lines[0].product_id == erp.product_by_symbol("EAN-ONLY").id  # type: ignore[union-attr]
    by_name = mapped(erp, order(1, line("NIEZNANY", "10", 23, 1, name="Karta po EAN")),
                     match_products=["sku", "name"])
    assert by_name.request.lines[0].product_id == by_ean.request.lines[0].product_id
    assert "SKU NIEZNANY not found" in refusal(erp, order(1, line("NIEZNANY", "10", 23, 1, ean="5900000000017")),
                                               match_products=["sku"])


def test_an_unknown_product_becomes_a_one_off_service_with_the_lines_name_price_and_rate(erp: SqlErp) -> None:
    p = mapped(erp, order(1, line("ABC-1", "12.50", 8, 3, name="Usługa grawerowania")), unknown_product="service")
    first = p.request.lines[0]
    assert (first.product_id, first.name, first.unit_gross, first.quantity, first.kind) == (
        None, "Usługa grawerowania", D("12.50"), D(3), ItemKind.SERVICE)
    assert vat_symbols(erp, p)[0] == "8"
    assert p.services == ('SKU ABC-1 ("Usługa grawerowania")',)


@pytest.mark.parametrize(("text", "parts"), [
    ("ul. Długa 7/3", ("ul. Długa", "7", "3")),
    ("al. Jerozolimskie 123A", ("al. Jerozolimskie", "123A", "")),
    ("Berliner Straße 5", ("Berliner Straße", "5", "")),
    ("os. Kościuszkowskie 5 / 12", ("os. Kościuszkowskie", "5", "12")),
    ("Rynek", ("Rynek", "", "")),
])
def test_split_street_separates_house_and_flat_numbers(text: str, parts: tuple[str, str, str]) -> None:
    assert split_street(text) == parts
