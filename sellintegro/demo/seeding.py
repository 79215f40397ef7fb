"""The demo's data: seeded BaseLinker orders a shop could really have, and a sample ERP that sells what they sell.

Two adjustments to `seed.generate_orders`, both what a real shop's data looks like:
- an order with a line that cannot go on a fiscal receipt (NP: not subject, OO: reverse charge) is a
  business sale on an invoice, so it wants an invoice (with the buyer's company and NIP);
- the sample ERP gets a product card for every SKU the orders sell (symbol = SKU), as a shop keeps its
  Subiekt stocked; the seed's products and `erp.sim`'s sample products are different lists.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..baselinker import loose
from ..baselinker.models import VAT_NP, VAT_OO
from ..baselinker.seed import generate_orders, random_nip
from ..erp import SqlErp, find_vat_rate, sim
from ..erp.connection import Tx
from ..erp.ids import allocate
from ..erp.totals import round_grosz

_NOT_ON_RECEIPTS = (VAT_NP, VAT_OO)
_COMPANIES = ("Hurtownia Budowlana Dąbek Sp. z o.o.", "Instalacje Grzewcze Żurek s.c.",
              "Fundacja Miejski Ogród", "Pracownia Stolarska Wiór Sp. j.")
SPAN = 6 * 3600  # the orders were added over the last six hours


def demo_orders(count: int, now: float, seed: int = 2026) -> list[dict[str, Any]]:
    """`count` realistic orders added over the hours before `now` (see the module docstring)."""
    orders = generate_orders(count, seed=seed, now=now, span=SPAN)
    rng = random.Random(seed)
    for order in orders:
        rates = [loose.as_decimal(p.get("tax_rate")) for p in order["products"]]
        if order.get("want_invoice") != "1" and any(r in _NOT_ON_RECEIPTS for r in rates):
            _wants_invoice(order, rng)
    return orders


def _wants_invoice(order: dict[str, Any], rng: random.Random) -> None:
    order["want_invoice"] = "1"
    order["invoice_company"] = order["delivery_company"] = rng.choice(_COMPANIES)
    order["invoice_nip"] = random_nip(rng)
    for key in ("fullname", "address", "postcode", "city", "country", "country_code"):
        order[f"invoice_{key}"] = order.get(f"delivery_{key}", "")


def products(orders: list[dict[str, Any]]) -> dict[str, tuple[str, Decimal, Decimal]]:
    """SKU -> (name, VAT rate, gross price) of everything the orders sell; the rate is the one it sells at at
    home (an exported line is at 0 %)."""
    found: dict[str, tuple[str, Decimal, Decimal]] = {}
    for order in orders:
        for p in order.get("products") or []:
            sku = loose.as_str(p.get("sku"))
            rate = loose.as_decimal(p.get("tax_rate"))
            if sku and (sku not in found or found[sku][1] == 0):
                found[sku] = (loose.as_str(p.get("name")), rate, loose.as_decimal(p.get("price_brutto")))
    return found


def create_erp(target: Path, orders: list[dict[str, Any]]) -> None:
    """The sample ERP (`erp.sim`, embedded sqlite3), with a product card for every SKU the orders sell."""
    sim.create(target, replace=True)
    wanted = products(orders)
    with SqlErp.open(target) as erp:
        rates = erp.vat_rates()

        def work(tx: Tx) -> None:
            for sku, (name, tax_rate, gross) in sorted(wanted.items()):
                rate = find_vat_rate(rates, tax_rate)
                if rate is None:  # pragma: no cover - the sample ERP has every rate the seed uses
                    raise ValueError(f"the sample ERP has no VAT rate {tax_rate}")
                tw_id = allocate(tx, "tw__Towar")
                tx.execute("INSERT INTO tw__Towar (tw_Id, tw_Zablokowany, tw_Rodzaj, tw_Symbol, tw_Nazwa, tw_Opis, "
                           "tw_IdVatSp, tw_JednMiary, tw_PodstKodKresk, tw_Usuniety) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           tw_id, False, 1, sku, name[:50], "", rate.id, "szt.", "", False)
                net = gross if rate.percent <= 0 else round_grosz(gross * 100 / (100 + rate.percent))
                tx.execute("INSERT INTO tw_Cena (tc_Id, tc_IdTowar, tc_CenaNetto1, tc_CenaBrutto1) VALUES (?, ?, ?, ?)",
                           allocate(tx, "tw_Cena"), tw_id, net, gross)

        erp.db.run(work, write=True)
