"""One BaseLinker order -> the Subiekt document to write, or the reason it cannot be written.

The document is priced in gross, as the buyer paid: every line keeps the order's unit gross price,
quantity and VAT rate (mapped to Subiekt's rate), and delivery is a service line. Before anything is
written the order is checked, so a poison order (no products, a zero quantity, a negative price, an
unknown product or rate, a total in fractions of a grosz) is refused with a reason a shop owner reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sellintegro.baselinker import Order, OrderProduct
from sellintegro.baselinker.models import vat_label
from sellintegro.erp import (
    Address,
    ContractorRequest,
    DocType,
    DocumentRequest,
    ItemKind,
    LineRequest,
    Payment,
    PaymentMethod,
    Product,
    VatKind,
    VatRate,
    normalize_nip,
)
from sellintegro.erp.totals import line_amounts

from . import texts
from .catalog import Catalog
from .settings import HIGHEST, OrdersSettings


@dataclass(frozen=True)
class Reason:
    """Why an order is not transferred: a text id and its fields, worded in the user's language when shown."""

    key: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        return texts.t(self.key, **self.fields)


class Rejected(Exception):
    """A poison order: writing it would fail the same way every time."""

    def __init__(self, text_id: str, /, **fields: object) -> None:
        self.reason = Reason(text_id, fields)
        super().__init__(self.reason.text())


@dataclass(frozen=True)
class Plan:
    """The document for one order, and the lines written as one-off services because no product matched."""

    request: DocumentRequest
    services: tuple[str, ...] = ()


def document_type(order: Order, settings: OrdersSettings) -> DocType:
    fixed = settings.fixed_type()
    if fixed is not None:
        return fixed
    return DocType.FS if order.want_invoice else DocType.PA


def plan(order: Order, settings: OrdersSettings, catalog: Catalog, today: date) -> Plan:
    """The document request for `order`; raises Rejected with the reason when it cannot be written."""
    if not order.products:
        raise Rejected("reason.no_products")
    lines: list[LineRequest] = []
    rates: list[VatRate] = []
    services: list[str] = []
    for lp, p in enumerate(order.products, 1):
        name = p.name.strip() or p.sku.strip() or p.ean.strip()
        if p.quantity <= 0:
            raise Rejected("reason.quantity", lp=lp, name=name, quantity=p.quantity)
        if p.price_brutto < 0:
            raise Rejected("reason.price", lp=lp, name=name, price=_money(p.price_brutto))
        rate = catalog.vat(p.tax_rate)
        if rate is None:
            raise Rejected("reason.vat", rate=_rate_text(p.tax_rate), where=texts.t("reason.where_line", lp=lp))
        product, tried = _match(p, lp, name, settings, catalog)
        if product is None:
            if settings.unknown_product != "service":
                if not tried:
                    raise Rejected("reason.no_keys", lp=lp, name=name)
                raise Rejected("reason.unknown_product", keys=", ".join(tried), lp=lp, name=name)
            services.append(f"{', '.join(tried) or name} (\"{name}\")")
            lines.append(LineRequest(Decimal(p.quantity), p.price_brutto, product_id=None, name=name,
                                     vat_id=rate.id, kind=ItemKind.SERVICE))
        else:
            lines.append(LineRequest(Decimal(p.quantity), p.price_brutto, product_id=product.id, vat_id=rate.id))
        rates.append(rate)
    if order.delivery_price < 0:
        raise Rejected("reason.delivery_price", price=_money(order.delivery_price))
    if order.delivery_price > 0:
        rate = _delivery_rate(settings, catalog, rates)
        name = settings.delivery_name or order.delivery_method.strip() or texts.t("doc.delivery")
        product = catalog.delivery_product
        lines.append(LineRequest.delivery(name, order.delivery_price, rate.id,
                                          product_id=product.id if product else None))
        rates.append(rate)
    _check_total(order, lines, rates)
    wanted = buyer(order)
    contractor: int | ContractorRequest = wanted
    if not settings.create_contractors:
        found = catalog.find_contractor(wanted)
        if found is None:
            who = ", ".join(x for x in (wanted.address.nip and f"NIP {wanted.address.nip}",
                                        wanted.email and f"e-mail {wanted.email}") if x)
            raise Rejected("reason.no_buyer", who=who or wanted.address.name)
        contractor = found.id
    request = DocumentRequest(
        type=document_type(order, settings), original_number=str(order.order_id), lines=tuple(lines),
        payment=payment(order, settings, today), contractor=contractor, warehouse_id=catalog.warehouse_id,
        series=settings.series, notes=notes(order), currency=order.currency.strip().upper()[:3] or "PLN")
    return Plan(request, tuple(services))


def _match(p: OrderProduct, lp: int, name: str, settings: OrdersSettings,
           catalog: Catalog) -> tuple[Product | None, list[str]]:
    """The product a line names, by the keys in `match_products` order; and the keys tried."""
    tried: list[str] = []
    for key in settings.match_products:
        found: list[Product] = []
        if key == "sku" and p.sku.strip():
            tried.append(f"SKU {p.sku.strip()}")
            one = catalog.by_symbol(p.sku)
            found = [one] if one is not None else []
        elif key == "ean" and p.ean.strip():
            tried.append(f"EAN {p.ean.strip()}")
            found = catalog.by_ean(p.ean)
        elif key == "name" and p.name.strip():
            tried.append(f"\"{p.name.strip()}\"")
            found = catalog.by_name(p.name)
        if len(found) > 1:
            raise Rejected("reason.ambiguous", key=tried[-1], count=len(found), lp=lp, name=name,
                           symbols=", ".join(f.symbol for f in found))
        if found:
            if found[0].blocked:
                raise Rejected("reason.blocked", symbol=found[0].symbol, lp=lp, name=name)
            return found[0], tried
    return None, tried


def _delivery_rate(settings: OrdersSettings, catalog: Catalog, rates: list[VatRate]) -> VatRate:
    if settings.delivery_vat == HIGHEST:
        # Delivery follows the goods it carries; with only exempt or untaxed lines, the first line's rate.
        taxed = [r for r in rates if r.kind is VatKind.TAXED]
        return max(taxed, key=lambda r: r.percent) if taxed else rates[0]
    label = settings.delivery_vat
    rate = catalog.vat(_label_rate(label))
    if rate is None:
        raise Rejected("reason.vat", rate=label, where=texts.t("reason.where_delivery"))
    return rate


def _check_total(order: Order, lines: list[LineRequest], rates: list[VatRate]) -> None:
    """The document's gross (lines rounded to the grosz, as Subiekt rounds them) must be the order's total."""
    exact = order.total_brutto
    written = sum((line_amounts(ln.unit_gross, ln.quantity, r).gross for ln, r in zip(lines, rates, strict=True)),
                  Decimal("0.00"))
    if exact != written:
        raise Rejected("reason.total", exact=format(exact.normalize(), "f"), rounded=written,
                       currency=order.currency or "PLN")


_HOUSE = re.compile(r"^(?P<street>.*?\S)\s+(?P<house>\d+\s?[A-Za-z]?)(?:\s*/\s*(?P<flat>\w+))?$")


def split_street(text: str) -> tuple[str, str, str]:
    """"ul. Długa 7/3" -> ("ul. Długa", "7", "3"): Subiekt keeps the street, house and flat numbers apart."""
    text = " ".join(text.split())
    m = _HOUSE.match(text)
    if m is None:
        return text, "", ""
    return m["street"], m["house"].replace(" ", ""), m["flat"] or ""


def buyer(order: Order) -> ContractorRequest:
    """The buyer as a contractor: the invoice data when an invoice is wanted, else the delivery address."""
    inv = order.invoice
    use_invoice = order.want_invoice and bool(inv.company.strip() or inv.fullname.strip() or inv.nip.strip())
    a = inv if use_invoice else order.delivery
    company = a.company.strip()
    person_name = a.fullname.strip()
    nip = normalize_nip(inv.nip) if use_invoice else ""
    name = company or person_name or order.email.strip() or f"BaseLinker {order.order_id}"
    street, house, flat = split_street(a.address)
    person = not company and not nip
    first, _, last = person_name.partition(" ") if person else ("", "", "")
    address = Address(name=name, full_name=company or person_name or name, nip=nip, street=street, house_no=house,
                      flat_no=flat, postcode=a.postcode.strip(), city=a.city.strip(), phone=order.phone.strip())
    return ContractorRequest(address, email=order.email.strip(), person=person, first_name=first.strip(),
                             last_name=last.strip())


def payment(order: Order, settings: OrdersSettings, today: date) -> Payment:
    """Cash on delivery; paid (by transfer or online); or due in `payment_days`."""
    if order.payment_method_cod:
        return Payment(PaymentMethod.CASH_ON_DELIVERY)
    if order.payment_done >= order.total_brutto:
        return Payment(PaymentMethod.TRANSFER)
    return Payment(PaymentMethod.DEFERRED, due=today + timedelta(days=settings.payment_days))


def notes(order: Order) -> str:
    """Where the document came from, for a person reading it in Subiekt."""
    text = texts.t("doc.notes", order=order.order_id)
    if order.order_source_info.strip() or order.order_source.strip():
        text += texts.t("doc.notes_source", source=order.order_source_info.strip() or order.order_source)
    if order.shop_order_id.strip() not in ("", "0"):
        text += texts.t("doc.notes_shop", number=order.shop_order_id.strip())
    if order.external_order_id.strip():
        text += texts.t("doc.notes_external", number=order.external_order_id.strip())
    if order.user_login.strip():
        text += texts.t("doc.notes_login", login=order.user_login.strip())
    if order.user_comments.strip():
        text += texts.t("doc.notes_comment", comment=" ".join(order.user_comments.split()))
    return text


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _rate_text(tax_rate: Decimal) -> str:
    label = vat_label(tax_rate)
    return label if not label[0].isdigit() else f"{label} %"


def _label_rate(label: str) -> Decimal:
    return {"ZW": Decimal("-1"), "NP": Decimal("-0.02"), "OO": Decimal("-0.03")}.get(label) or Decimal(label)
