"""What the mapping needs from Subiekt, read once per cycle: VAT rates, the warehouse, products, buyers.

Products are looked up on first use and remembered for the cycle (a shop sells the same few hundred
products over and over), so a page of orders costs a handful of lookups, not one per line.
"""

from __future__ import annotations

from decimal import Decimal

from sellintegro.baselinker.models import vat_label
from sellintegro.erp import Contractor, ContractorRequest, Erp, Product, VatRate, find_vat_rate

from . import texts
from .settings import OrdersSettings


class SetupProblem(Exception):
    """A setting that does not fit Subiekt's data (a warehouse, a VAT rate, a delivery card): nothing is done."""


class Catalog:
    def __init__(self, erp: Erp, settings: OrdersSettings) -> None:
        self.erp = erp
        self.rates = erp.vat_rates()
        self._by_label: dict[str, VatRate | None] = {}
        for label, target in settings.vat_map.items():
            rate = self._rate_for(target)
            if rate is None:
                known = ", ".join(f"{r.symbol} (id {r.id})" for r in self.rates)
                raise SetupProblem(texts.t("cycle.vat_map", target=target, rate=label, known=known))
            self._by_label[label] = rate
        self.warehouse_id = self._warehouse(settings.warehouse)
        self.delivery_product: Product | None = None
        if settings.delivery_symbol:
            self.delivery_product = erp.product_by_symbol(settings.delivery_symbol)
            if self.delivery_product is None:
                raise SetupProblem(texts.t("cycle.delivery_symbol", symbol=settings.delivery_symbol))
        self._symbols: dict[str, Product | None] = {}
        self._eans: dict[str, list[Product]] = {}
        self._names: dict[str, list[Product]] = {}

    def _rate_for(self, target: str | int) -> VatRate | None:
        if isinstance(target, int):
            return next((r for r in self.rates if r.id == target), None)
        wanted = target.strip().lower()
        return next((r for r in self.rates if r.symbol.strip().lower() == wanted), None) or next(
            (r for r in self.rates if r.name.strip().lower() == wanted), None)

    def _warehouse(self, wanted: str) -> int | None:
        if not wanted:
            return None  # the ERP takes its main warehouse
        found = self.erp.warehouses()
        for w in found:
            if w.symbol.strip().lower() == wanted.lower():
                return w.id
        if wanted.isdigit() and any(w.id == int(wanted) for w in found):
            return int(wanted)
        known = ", ".join(f"{w.symbol} ({w.name})" for w in found)
        raise SetupProblem(texts.t("cycle.warehouse", warehouse=wanted, known=known))

    def vat(self, tax_rate: Decimal) -> VatRate | None:
        """Subiekt's rate for a BaseLinker tax_rate (0-100, or -1 ZW, -0.02 NP, -0.03 OO); None if it has none."""
        label = vat_label(tax_rate)
        if label not in self._by_label:
            self._by_label[label] = find_vat_rate(self.rates, tax_rate)
        return self._by_label[label]

    def by_symbol(self, symbol: str) -> Product | None:
        key = symbol.strip()
        if key not in self._symbols:
            self._symbols[key] = self.erp.product_by_symbol(key)
        return self._symbols[key]

    def by_ean(self, ean: str) -> list[Product]:
        key = ean.strip()
        if key not in self._eans:
            self._eans[key] = self.erp.products_by_ean(key)
        return self._eans[key]

    def by_name(self, name: str) -> list[Product]:
        key = name.strip()
        if key not in self._names:
            self._names[key] = self.erp.products_by_name(key)
        return self._names[key]

    def find_contractor(self, request: ContractorRequest) -> Contractor | None:
        """The buyer's card by NIP, or by e-mail for a buyer without one (the ERP's own find-or-create rule)."""
        if request.address.nip:
            return self.erp.contractor_by_nip(request.address.nip)
        if request.email:
            matches = self.erp.contractors_by_email(request.email)
            if matches:
                return matches[0]
        return None
