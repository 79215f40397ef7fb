"""Typed views of BaseLinker's records: orders, invoices, receipts, journal entries, statuses, series.

Each record is parsed tolerantly (sellintegro.baselinker.loose) and keeps the API's own dict in `raw`
for fields it does not model. Amounts are Decimal. A value that cannot be read raises
MalformedResponse naming the record and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from . import loose
from .errors import MalformedResponse

# tax_rate is 0-100, or one of these codes (reference: "VAT encoding").
VAT_ZW = Decimal("-1")  # zwolniony (exempt, EXPT)
VAT_NP = Decimal("-0.02")  # nie podlega (not subject)
VAT_OO = Decimal("-0.03")  # odwrotne obciążenie (reverse charge)
_VAT_CODES = {VAT_ZW: "ZW", VAT_NP: "NP", VAT_OO: "OO"}

T = TypeVar("T")


def vat_label(tax_rate: Decimal) -> str:
    """"23", "8", "5", "0", "ZW", "NP" or "OO" for a tax_rate as the API sends it."""
    if tax_rate in _VAT_CODES:
        return _VAT_CODES[tax_rate]
    if tax_rate < 0 or tax_rate > 100:
        raise ValueError(f"tax_rate {tax_rate} is neither 0-100 nor a VAT code")
    return format(tax_rate.normalize(), "f")


class _Fields:
    """Reads one record's fields, naming the record and the field when a value is wrong."""

    def __init__(self, raw: Any, what: str) -> None:
        if not isinstance(raw, Mapping):
            raise MalformedResponse(f"{what} is not an object: {type(raw).__name__}")
        self.raw = raw
        self.what = what

    def _read(self, key: str, reader: Callable[[Any], T]) -> T:
        try:
            return reader(self.raw.get(key))
        except ValueError as e:
            raise MalformedResponse(f"{self.what}: field {key}: {e}") from None

    def whole(self, key: str) -> int:
        return self._read(key, loose.as_int)

    def amount(self, key: str) -> Decimal:
        return self._read(key, loose.as_decimal)

    def text(self, key: str) -> str:
        return self._read(key, loose.as_str)

    def flag(self, key: str) -> bool:
        return self._read(key, loose.as_bool)

    def vat(self, key: str) -> Decimal:
        rate = self.amount(key)
        try:
            vat_label(rate)
        except ValueError as e:
            raise MalformedResponse(f"{self.what}: field {key}: {e}") from None
        return rate

    def items(self, key: str) -> list[Any]:
        value = self.raw.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, Mapping):  # PHP sends a list with gaps as an object
            return list(value.values())
        if not isinstance(value, list):
            raise MalformedResponse(f"{self.what}: field {key} is not a list")
        return value


@dataclass(frozen=True)
class Address:
    fullname: str
    company: str
    address: str
    postcode: str
    city: str
    state: str
    country: str
    country_code: str
    nip: str = ""  # invoice address only: as typed by the buyer (may hold "PL", hyphens, spaces)

    @classmethod
    def read(cls, f: _Fields, prefix: str) -> Address:
        def text(k: str) -> str:
            return f.text(f"{prefix}_{k}")
        return cls(fullname=text("fullname"), company=text("company"), address=text("address"),
                   postcode=text("postcode"), city=text("city"), state=text("state"), country=text("country"),
                   country_code=text("country_code"), nip=f.text("invoice_nip") if prefix == "invoice" else "")


@dataclass(frozen=True)
class PickupPoint:
    id: str
    name: str
    address: str
    postcode: str
    city: str


@dataclass(frozen=True)
class OrderProduct:
    order_product_id: str
    product_id: str
    variant_id: str
    name: str
    sku: str
    ean: str
    attributes: str
    price_brutto: Decimal  # unit price, gross
    tax_rate: Decimal  # 0-100 or VAT_ZW / VAT_NP / VAT_OO
    quantity: int
    storage: str
    storage_id: str
    bundle_id: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def vat(self) -> str:
        return vat_label(self.tax_rate)

    @property
    def total_brutto(self) -> Decimal:
        return self.price_brutto * self.quantity

    @classmethod
    def from_api(cls, raw: Any, order_id: int) -> OrderProduct:
        f = _Fields(raw, f"order {order_id} product")
        return cls(order_product_id=f.text("order_product_id"), product_id=f.text("product_id"),
                   variant_id=f.text("variant_id"), name=f.text("name"), sku=f.text("sku"), ean=f.text("ean"),
                   attributes=f.text("attributes"), price_brutto=f.amount("price_brutto"), tax_rate=f.vat("tax_rate"),
                   quantity=f.whole("quantity"), storage=f.text("storage"), storage_id=f.text("storage_id"),
                   bundle_id=f.text("bundle_id"), raw=raw)


@dataclass(frozen=True)
class Order:
    """One getOrders record. There is no total in the API: `total_brutto` adds lines and delivery."""

    order_id: int
    shop_order_id: str
    external_order_id: str
    order_source: str
    order_source_id: int
    order_source_info: str
    order_status_id: int
    date_add: int
    date_confirmed: int
    date_in_status: int
    confirmed: bool
    user_login: str
    currency: str
    payment_method: str
    payment_method_cod: bool
    payment_done: Decimal
    delivery_method_id: int
    delivery_method: str
    delivery_price: Decimal
    delivery_package_module: str
    delivery_package_nr: str
    delivery: Address
    delivery_point: PickupPoint | None
    invoice: Address
    want_invoice: bool
    email: str
    phone: str
    user_comments: str
    admin_comments: str
    extra_field_1: str
    extra_field_2: str
    products: tuple[OrderProduct, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def products_brutto(self) -> Decimal:
        return sum((p.total_brutto for p in self.products), Decimal(0))

    @property
    def total_brutto(self) -> Decimal:
        return self.products_brutto + self.delivery_price

    @classmethod
    def from_api(cls, raw: Any) -> Order:
        order_id = _Fields(raw, "order").whole("order_id")
        f = _Fields(raw, f"order {order_id}")
        point_id = f.text("delivery_point_id")
        point = (PickupPoint(point_id, f.text("delivery_point_name"), f.text("delivery_point_address"),
                             f.text("delivery_point_postcode"), f.text("delivery_point_city")) if point_id else None)
        return cls(
            order_id=order_id, shop_order_id=f.text("shop_order_id"), external_order_id=f.text("external_order_id"),
            order_source=f.text("order_source"), order_source_id=f.whole("order_source_id"),
            order_source_info=f.text("order_source_info"), order_status_id=f.whole("order_status_id"),
            date_add=f.whole("date_add"), date_confirmed=f.whole("date_confirmed"),
            date_in_status=f.whole("date_in_status"), confirmed=f.flag("confirmed"), user_login=f.text("user_login"),
            currency=f.text("currency"), payment_method=f.text("payment_method"),
            payment_method_cod=f.flag("payment_method_cod"), payment_done=f.amount("payment_done"),
            delivery_method_id=f.whole("delivery_method_id"), delivery_method=f.text("delivery_method"),
            delivery_price=f.amount("delivery_price"), delivery_package_module=f.text("delivery_package_module"),
            delivery_package_nr=f.text("delivery_package_nr"), delivery=Address.read(f, "delivery"),
            delivery_point=point, invoice=Address.read(f, "invoice"), want_invoice=f.flag("want_invoice"),
            email=f.text("email"), phone=f.text("phone"), user_comments=f.text("user_comments"),
            admin_comments=f.text("admin_comments"), extra_field_1=f.text("extra_field_1"),
            extra_field_2=f.text("extra_field_2"),
            products=tuple(OrderProduct.from_api(p, order_id) for p in f.items("products")), raw=raw)


@dataclass(frozen=True)
class OrderStatus:
    id: int
    name: str
    name_for_customer: str
    color: str

    @classmethod
    def from_api(cls, raw: Any) -> OrderStatus:
        f = _Fields(raw, "order status")
        return cls(f.whole("id"), f.text("name"), f.text("name_for_customer"), f.text("color"))


@dataclass(frozen=True)
class JournalEntry:
    """One getJournalList event; `log_type` numbers are listed in the reference (18 = status changed, ...)."""

    id: int
    order_id: int
    log_type: int
    object_id: int
    date: int

    @classmethod
    def from_api(cls, raw: Any) -> JournalEntry:
        f = _Fields(raw, "journal entry")
        return cls(f.whole("id"), f.whole("order_id"), f.whole("log_type"), f.whole("object_id"), f.whole("date"))


@dataclass(frozen=True)
class Series:
    id: int
    type: str  # INVOICE | CORRECTION | RECEIPT
    name: str
    format: str

    @classmethod
    def from_api(cls, raw: Any) -> Series:
        f = _Fields(raw, "series")
        return cls(f.whole("id"), f.text("type"), f.text("name"), f.text("format"))


@dataclass(frozen=True)
class InvoiceItem:
    name: str
    sku: str
    ean: str
    price_brutto: Decimal
    price_netto: Decimal
    tax_rate: Decimal
    quantity: int
    is_shipment: bool
    order_product_id: str

    @classmethod
    def from_api(cls, raw: Any, invoice_id: int) -> InvoiceItem:
        f = _Fields(raw, f"invoice {invoice_id} item")
        return cls(f.text("name"), f.text("sku"), f.text("ean"), f.amount("price_brutto"), f.amount("price_netto"),
                   f.vat("tax_rate"), f.whole("quantity"), f.flag("is_shipment"), f.text("order_product_id"))


@dataclass(frozen=True)
class Invoice:
    invoice_id: int
    order_id: int
    series_id: int
    type: str  # normal | correcting
    number: str
    date_add: int
    date_sell: int
    date_pay_to: int  # 0 = not set
    currency: str
    total_price_brutto: Decimal
    total_price_netto: Decimal
    external_invoice_number: str
    buyer: Address
    items: tuple[InvoiceItem, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, raw: Any) -> Invoice:
        invoice_id = _Fields(raw, "invoice").whole("invoice_id")
        f = _Fields(raw, f"invoice {invoice_id}")
        return cls(invoice_id=invoice_id, order_id=f.whole("order_id"), series_id=f.whole("series_id"),
                   type=f.text("type"), number=f.text("number"), date_add=f.whole("date_add"),
                   date_sell=f.whole("date_sell"), date_pay_to=f.whole("date_pay_to"), currency=f.text("currency"),
                   total_price_brutto=f.amount("total_price_brutto"), total_price_netto=f.amount("total_price_netto"),
                   external_invoice_number=f.text("external_invoice_number"), buyer=Address.read(f, "invoice"),
                   items=tuple(InvoiceItem.from_api(i, invoice_id) for i in f.items("items")), raw=raw)


@dataclass(frozen=True)
class ReceiptItem:
    name: str
    sku: str
    ean: str
    price_brutto: Decimal  # unit price, gross
    tax_rate: Decimal
    quantity: int

    @property
    def vat(self) -> str:
        return vat_label(self.tax_rate)

    @classmethod
    def from_api(cls, raw: Any, receipt_id: int) -> ReceiptItem:
        f = _Fields(raw, f"receipt {receipt_id} item")
        return cls(f.text("name"), f.text("sku"), f.text("ean"), f.amount("price_brutto"), f.vat("tax_rate"),
                   f.whole("quantity"))


@dataclass(frozen=True)
class Receipt:
    """A receipt waiting to be printed (getNewReceipts, whose list is oddly named `orders`)."""

    receipt_id: int
    series_id: int
    receipt_full_nr: str
    order_id: int
    date_add: int
    payment_method: str
    nip: str
    products: tuple[ReceiptItem, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def total_brutto(self) -> Decimal:
        return sum((p.price_brutto * p.quantity for p in self.products), Decimal(0))

    @classmethod
    def from_api(cls, raw: Any) -> Receipt:
        receipt_id = _Fields(raw, "receipt").whole("receipt_id")
        f = _Fields(raw, f"receipt {receipt_id}")
        items = f.items("products") or f.items("items")  # getReceipts/getReceipt name the lines `items`
        return cls(receipt_id=receipt_id, series_id=f.whole("series_id"), receipt_full_nr=f.text("receipt_full_nr"),
                   order_id=f.whole("order_id"), date_add=f.whole("date_add"), payment_method=f.text("payment_method"),
                   nip=f.text("nip"), products=tuple(ReceiptItem.from_api(p, receipt_id) for p in items), raw=raw)
