"""Orders the ERP tests write, built from the sample database's products and rates (never fixed ids)."""

from __future__ import annotations

from decimal import Decimal

from sellintegro.erp import (
    Address,
    ContractorRequest,
    DocType,
    DocumentRequest,
    LineRequest,
    Payment,
    PaymentMethod,
    SqlErp,
    find_vat_rate,
)

D = Decimal


def product_id(erp: SqlErp, symbol: str) -> int:
    product = erp.product_by_symbol(symbol)
    assert product is not None, f"the sample database has no product {symbol}"
    return product.id


def vat_id(erp: SqlErp, tax_rate: float | int) -> int:
    rate = find_vat_rate(erp.vat_rates(), tax_rate)
    assert rate is not None, f"the sample database has no VAT rate for {tax_rate}"
    return rate.id


def buyer(email: str = "jan.kowalski@example.pl", nip: str = "") -> ContractorRequest:
    return ContractorRequest(Address(name="Jan Kowalski", nip=nip, street="ul. Polna", house_no="12", flat_no="3",
                                     postcode="00-001", city="Warszawa", phone="600100200"),
                             email=email, person=True, first_name="Jan", last_name="Kowalski")


def mixed_order(erp: SqlErp, key: str, doc_type: DocType = DocType.ZK, **changes: object) -> DocumentRequest:
    """Six lines at 23 %, 5 %, 8 % and ZW, quantities above one, and delivery as a one-off service.

    Expected, by hand (gross x p / (100 + p), half up):
      KUB-CER-300  3 x 19.99 = 59.97  VAT 11.21  net 48.76   (23 %)
      KS-PAN-TAD   1 x 39.99 = 39.99  VAT  1.90  net 38.09   (5 %)
      MIOD-WIEL-1  2 x 64.90 = 129.80 VAT  6.18  net 123.62  (5 %)
      TERM-ELEK    7 x  4.49 = 31.43  VAT  2.33  net 29.10   (8 %)
      SZKOL-ONL    1 x 100.00 = 100.00 VAT 0     net 100.00  (ZW, a service)
      delivery     1 x 14.99 = 14.99  VAT  2.80  net 12.19   (23 %, a service)
    Document: gross 376.18; VAT per rate 23 %: 74.96 -> 14.02, 5 %: 169.79 -> 8.09, 8 %: 2.33, ZW: 0
    = 24.44 (the lines add up to 24.42); net 351.74.
    """
    lines = (
        LineRequest(D(3), D("19.99"), product_id=product_id(erp, "KUB-CER-300")),
        LineRequest(D(1), D("39.99"), product_id=product_id(erp, "KS-PAN-TAD")),
        LineRequest(D(2), D("64.90"), product_id=product_id(erp, "MIOD-WIEL-1")),
        LineRequest(D(7), D("4.49"), product_id=product_id(erp, "TERM-ELEK")),
        LineRequest(D(1), D("100.00"), product_id=product_id(erp, "SZKOL-ONL")),
        LineRequest.delivery("Kurier InPost", D("14.99"), vat_id(erp, 23)),
    )
    fields: dict[str, object] = {"type": doc_type, "original_number": key, "lines": lines,
                                 "payment": Payment(PaymentMethod.CASH_ON_DELIVERY), "contractor": buyer()}
    fields.update(changes)
    return DocumentRequest(**fields)  # type: ignore[arg-type]


def small_order(erp: SqlErp, key: str, doc_type: DocType = DocType.ZK, **changes: object) -> DocumentRequest:
    """Two lines: a quick document for numbering and concurrency tests."""
    fields: dict[str, object] = {
        "type": doc_type, "original_number": key,
        "lines": (LineRequest(D(2), D("19.99"), product_id=product_id(erp, "KUB-CER-300")),
                  LineRequest.delivery("Kurier", D("9.99"), vat_id(erp, 23))),
        "payment": Payment(PaymentMethod.TRANSFER), "contractor": buyer()}
    fields.update(changes)
    return DocumentRequest(**fields)  # type: ignore[arg-type]
