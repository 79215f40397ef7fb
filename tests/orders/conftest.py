"""Fixtures of the `orders` tests: the BaseLinker emulator, a sample ERP on each backend stocked with the
seed's products, and a plugin context to run cycles in the test process (the supervisor tests build
their own endpoint)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sellintegro_orders.settings import SETTINGS

from sellintegro.api import PluginContext, PluginJournal
from sellintegro.backoff import Backoff
from sellintegro.baselinker import BaseLinkerClient, RetryPolicy, loose, ratelimit
from sellintegro.baselinker.emulator import Emulator
from sellintegro.erp import SqlErp, StoredDocument, find_vat_rate, sim
from sellintegro.erp.ids import allocate
from sellintegro.errors import Problem
from sellintegro.journal import Entry, Journal
from sellintegro.schema import validate
from sellintegro.state import StateStore
from sellintegro.worker import JournalWriter
from tests.erp.conftest import make_target, pg_database  # noqa: F401 - pg_database is a fixture used by make_target

# Shaped like a real BaseLinker token, so the endpoint's redaction treats it as one.
TOKEN = "4001234-4005678-ORDERSTESTTOKENABCDEFGHI"
CODE = "BLK_CAI_COM_ORD_SGT_100"
FAST_RETRY = RetryPolicy(attempts=6, backoff=Backoff(initial=0.01, cap=0.05, jitter=0.2))


def seed_products(orders: list[dict[str, Any]]) -> dict[str, tuple[str, Decimal]]:
    """The products the orders sell: SKU -> (name, the VAT rate they are sold at most often)."""
    found: dict[str, tuple[str, Decimal]] = {}
    for order in orders:
        for p in order.get("products") or []:
            sku = loose.as_str(p.get("sku"))
            rate = loose.as_decimal(p.get("tax_rate"))
            if sku and (sku not in found or found[sku][1] == 0):
                found[sku] = (loose.as_str(p.get("name")), rate)
    return found


def add_products(erp: SqlErp, products: dict[str, tuple[str, Decimal]], eans: dict[str, str] | None = None) -> None:
    """Product cards in the ERP for `products` (symbol = SKU), as a shop keeps its Subiekt stocked."""
    rates = erp.vat_rates()

    def work(tx: Any) -> None:
        for sku, (name, tax_rate) in products.items():
            rate = find_vat_rate(rates, tax_rate)
            assert rate is not None, tax_rate
            tw_id = allocate(tx, "tw__Towar")
            tx.execute("INSERT INTO tw__Towar (tw_Id, tw_Zablokowany, tw_Rodzaj, tw_Symbol, tw_Nazwa, tw_Opis, "
                       "tw_IdVatSp, tw_JednMiary, tw_PodstKodKresk, tw_Usuniety) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       tw_id, False, 1, sku, name[:50], "", rate.id, "szt.", (eans or {}).get(sku, ""), False)
    erp.db.run(work, write=True)


@pytest.fixture(autouse=True)
def new_worker() -> Iterator[None]:
    """Each test is a new worker process: nothing the plugin keeps per process (the status list, the last
    cycle problem journaled) carries over from another test."""
    from sellintegro_orders import report, statuses

    yield
    statuses._cache.clear()
    report._last_problem.clear()


@pytest.fixture
def emulator() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def make(orders: Any = (), **options: Any) -> Emulator:
        options.setdefault("token", TOKEN)
        options.setdefault("rate_limit", 0)
        options.setdefault("auto_receipts", False)  # receipts belong to the fiscal plugin; a malformed order has none
        emu = Emulator(orders=orders, **options).start()
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()


@pytest.fixture
def erp_on(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str], str]:
    """A sample ERP database on a backend ("sqlite3", "odbc-sqlite", "odbc-postgresql"): its target."""
    def make(backend: str) -> str:
        target = make_target(backend, tmp_path, request)
        sim.create(target)
        return target
    return make


def statuses(emu: Emulator) -> dict[str, int]:
    """The emulator's status ids by name, as getOrderStatusList gives them."""
    with BaseLinkerClient(TOKEN, url=emu.url, per_minute=1000, limiter=None) as client:
        return {s.name: s.id for s in client.get_order_status_list()}


@dataclass
class Harness:
    """The plugin run in the test process: one context, cycles on demand, what they left behind."""

    data_dir: Path
    emu: Emulator
    target: str
    settings: dict[str, Any]
    client: BaseLinkerClient
    progress: list[tuple[int | None, int | None]] = field(default_factory=list)
    cancelled: threading.Event = field(default_factory=threading.Event)
    ctx: PluginContext | None = None

    def context(self) -> PluginContext:
        if self.ctx is None:
            journal = PluginJournal(JournalWriter(self.data_dir, CODE, (TOKEN,)))
            self.ctx = PluginContext(code=CODE, type="orders", settings=self.settings, data_dir=self.data_dir,
                                     log=logging.getLogger("plugin.orders"), cancelled=self.cancelled,
                                     journal=journal, _progress=lambda d, n: self.progress.append((d, n)),
                                     _baselinker=self.client)
        return self.ctx

    def cycle(self) -> Exception | None:
        """One cycle; the exception it ended with (the worker would log it), or None."""
        from sellintegro_orders.cycle import run

        try:
            run(self.context())
        except Exception as e:  # noqa: BLE001 - returned for the test to look at
            return e
        return None

    def journal(self) -> list[Entry]:
        j = Journal(self.data_dir)
        try:
            return j.query(plugin=CODE)
        finally:
            j.close()

    def erp(self) -> SqlErp:
        return self.context().erp()

    def document(self, order_id: int) -> list[StoredDocument]:
        """Every document written for the order, of any type."""
        from sellintegro.erp import DocType

        docs = []
        for t in DocType:
            ids = [int(r[0]) for r in self.erp().db.run(lambda tx, t=t: tx.query(
                "SELECT dok_Id FROM dok__Dokument WHERE dok_Typ = ? AND dok_NrPelnyOryg = ?", int(t),
                str(order_id)), write=False)]
            docs += [d for d in (self.erp().document(i) for i in ids) if d is not None]
        return docs

    def cursor(self) -> Any:
        store = StateStore(self.data_dir, CODE)
        try:
            return store.get_cursor("orders")
        finally:
            store.close()

    def close(self) -> None:
        if self.ctx is not None and self.ctx._erp is not None:
            self.ctx._erp.close()
        if self.ctx is not None and self.ctx._state is not None:
            self.ctx._state.close()
        self.client.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(emu: Emulator, target: str, client: BaseLinkerClient | None = None, **settings: Any) -> Harness:
        table = {"token": TOKEN, "baselinker_url": emu.url, "erp": target, "first_run_days_back": 3.0, **settings}
        problems: list[Problem] = []
        values = validate(table, list(SETTINGS), "test.toml", "plugins.settings", problems)
        assert not problems, problems
        data_dir = tmp_path / f"data{len(made)}"
        data_dir.mkdir()
        if client is None:
            client = BaseLinkerClient(TOKEN, url=emu.url, retry=FAST_RETRY, per_minute=1000,
                                      state_dir=ratelimit.state_dir(data_dir))
        h = Harness(data_dir, emu, target, values, client)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


def line(sku: str, price: Any, tax_rate: Any = 23, quantity: Any = 1, name: str = "", ean: str = "") -> dict[str, Any]:
    """One product line shaped as getOrders sends it."""
    return {"storage": "db", "storage_id": "0", "order_product_id": "0", "product_id": "0", "variant_id": "0",
            "name": name or f"Towar {sku}", "attributes": "", "sku": sku, "ean": ean, "location": "",
            "warehouse_id": 0, "auction_id": "0", "price_brutto": price, "tax_rate": tax_rate,
            "quantity": quantity, "weight": 1, "bundle_id": 0}


def order(order_id: int, *products: dict[str, Any], confirmed_at: int | None = None, status: int = 1001,
          delivery: str = "16.90", **fields: Any) -> dict[str, Any]:
    """A confirmed order shaped as getOrders sends it (a sample database's products: KUB-CER-300, ...)."""
    import time

    when = confirmed_at if confirmed_at is not None else int(time.time()) - 3600 + order_id
    items = list(products) or [line("KUB-CER-300", "19.99", 23, 2)]
    try:
        total = sum(loose.as_decimal(p["price_brutto"]) * loose.as_int(p["quantity"]) for p in items)
        total += loose.as_decimal(delivery)
    except ValueError:
        total = Decimal(0)
    raw = {"order_id": order_id, "shop_order_id": str(50000 + order_id), "external_order_id": "",
           "order_source": "shop", "order_source_id": 8235, "order_source_info": "Sklep Demo",
           "order_status_id": status, "date_add": when - 60, "date_confirmed": when, "date_in_status": when,
           "confirmed": True, "user_login": "", "currency": "PLN", "payment_method": "Przelewy24",
           "payment_method_cod": "0", "payment_done": str(total), "delivery_method": "Kurier DPD",
           "delivery_price": delivery, "delivery_fullname": "Józef Żółkiewski", "delivery_company": "",
           "delivery_address": "ul. Źródlana 7/3", "delivery_postcode": "90-001", "delivery_city": "Łódź",
           "delivery_country_code": "PL", "email": f"klient{order_id}@poczta.example.pl", "phone": "+48 600 100 200",
           "want_invoice": "0", "invoice_fullname": "", "invoice_company": "", "invoice_nip": "",
           "invoice_address": "", "invoice_postcode": "", "invoice_city": "", "user_comments": "",
           "admin_comments": "", "products": items}
    raw.update(fields)
    return raw
