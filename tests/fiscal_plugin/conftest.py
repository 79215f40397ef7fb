"""The fiscal plugin against the real BaseLinker emulator and the real POSNET simulator, both on loopback.

`Harness` runs the plugin's cycle in-process with a real PluginContext (state, journal, BaseLinker
client); the endpoint tests (test_flow.py, test_crash.py) run it in a real worker under a supervisor.
Every order carries its id in its first line's name ("... [17]"), so each printed document can be
tied to its BaseLinker receipt and "printed once" is checked per receipt, not by counting.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sellintegro_fiscal import cycle
from sellintegro_fiscal.settings import SETTINGS

from sellintegro.api import PluginContext, PluginJournal
from sellintegro.backoff import Backoff
from sellintegro.baselinker.client import BaseLinkerClient, RetryPolicy
from sellintegro.baselinker.emulator import Emulator
from sellintegro.errors import Problem
from sellintegro.fiscal import PosnetPrinter, Timeouts
from sellintegro.fiscal.device import PrintedDocument
from sellintegro.fiscal.simulator import PrinterSimulator
from sellintegro.schema import validate
from sellintegro.state import Effect, StateStore

# Shaped like a real BaseLinker token, so the endpoint's redaction treats it as one.
TOKEN = "3001234-3005678-FISCALTOKENABCDEFGHIJK"
CODE = "FISCAL_TEST"
RECEIPT_SERIES = 3   # the emulator's receipt series ("%N/%M/%Y/P")
INVOICE_SERIES = 1   # the emulator's invoice series ("FV %N/%M/%Y")
PRINTER_NAME = "POSNET Kasa 1"
# Short probes and replies (stalls show fast); two connect attempts.
FAST = Timeouts(connect=5.0, reply=5.0, probe=0.3, status=10.0, connect_attempts=2, retry_delay=0.1)
QUICK_RETRY = RetryPolicy(attempts=2, backoff=Backoff(initial=0.01, cap=0.05, jitter=0.2))
RATES = ("23", "8", "5", "0", "-1")
_TAG = re.compile(r"\[(\d+)\]")


def order(order_id: int, products: list[tuple[str, str, str | int, int]], *, delivery: str = "0",
          nip: str = "", want_invoice: bool = False, payment: str = "Przelewy24", company: str = "") -> dict[str, Any]:
    """A confirmed order shaped as getOrders returns it; the first product's name is tagged with the order id."""
    now = int(time.time())
    lines = []
    for i, (name, price, rate, quantity) in enumerate(products):
        lines.append({"name": f"{name} [{order_id}]" if i == 0 else name, "sku": f"SKU-{order_id}-{i}", "ean": "",
                      "price_brutto": price, "tax_rate": rate, "quantity": quantity, "order_product_id": str(i + 1)})
    return {"order_id": order_id, "date_add": now, "date_confirmed": now, "confirmed": True, "currency": "PLN",
            "payment_method": payment, "delivery_method": "Kurier DPD", "delivery_price": delivery,
            "invoice_nip": nip, "invoice_fullname": "Jan Kowalski", "invoice_company": company,
            "invoice_address": "ul. Długa 1", "invoice_postcode": "00-001", "invoice_city": "Warszawa",
            "want_invoice": "1" if want_invoice else "0", "products": lines}


def mixed_orders(count: int, first_id: int = 1, seed: int = 8) -> list[dict[str, Any]]:
    """Orders with 1-5 lines at 23/8/5/0 % and exempt, quantities 1-7, odd grosze, some with delivery."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        products: list[tuple[str, str, str | int, int]] = [
            (f"Towar {n}-{i} „Żółć”", f"{rng.randint(1, 60000) / 100:.2f}", rng.choice(RATES), rng.randint(1, 7))
            for i in range(rng.randint(1, 5))]
        out.append(order(first_id + n, products, delivery=rng.choice(["0", "0", "13.99", "16.90"])))
    return out


def simple_orders(count: int, first_id: int = 1) -> list[dict[str, Any]]:
    """Orders of three lines each (23 %, 8 %, exempt)."""
    return [order(first_id + n, [("Kubek", "24.99", 23, 2), ("Masło", "8.99", 8, 1), ("Usługa", "10.00", -1, 1)])
            for n in range(count)]


def grosze(amount: Any) -> int:
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def receipts(bl: Emulator) -> dict[int, dict[str, Any]]:
    with bl.account.lock:
        return {rid: dict(r) for rid, r in bl.account.receipts.items()}


def documents_by_order(sim: PrinterSimulator) -> dict[int, list[PrintedDocument]]:
    """Fiscalized documents per order id (from the tag in their first line's name)."""
    found: dict[int, list[PrintedDocument]] = defaultdict(list)
    for doc in sim.documents:
        match = _TAG.search(doc.lines[0].name) if doc.lines else None
        found[int(match.group(1)) if match else 0].append(doc)
    return found


def assert_each_receipt_fiscalized_once(sim: PrinterSimulator, bl: Emulator, ids: set[int] | None = None) -> None:
    """Every receipt (or those of orders `ids`): one fiscal document, its number in BaseLinker, totals to the grosz."""
    docs = documents_by_order(sim)
    checked = 0
    for rid, r in receipts(bl).items():
        if ids is not None and r["order_id"] not in ids:
            continue
        printed = docs.get(r["order_id"], [])
        assert len(printed) == 1, f"receipt {rid} (order {r['order_id']}) fiscalized {len(printed)} times"
        doc = printed[0]
        assert not r["_pending"] and not r["_printer_error"], f"receipt {rid} not confirmed: {r}"
        assert r["_receipt_nr"] == str(doc.number), f"receipt {rid}: BaseLinker has {r['_receipt_nr']!r}"
        assert r["_printer_name"] == PRINTER_NAME
        expected: dict[Decimal, int] = defaultdict(int)
        for p in r["products"]:
            rate = Decimal(str(p["tax_rate"]))
            expected[Decimal(100) if rate == -1 else rate] += grosze(p["price_brutto"]) * int(p["quantity"])
        assert doc.total == grosze(r["total_price_brutto"]), f"receipt {rid}: total differs"
        assert {doc.rates[k]: v for k, v in doc.totals.items()} == dict(expected), f"receipt {rid}: VAT totals"
        checked += 1
    assert checked == (len(ids) if ids is not None else len(receipts(bl)))


def settings_for(sim_address: tuple[str, int] | str, bl: Emulator, **extra: Any) -> dict[str, Any]:
    printer = sim_address if isinstance(sim_address, str) else f"tcp://{sim_address[0]}:{sim_address[1]}"
    table = {"token": TOKEN, "baselinker_url": bl.url, "rate_limit": 1000, "printer": printer,
             "printer_name": PRINTER_NAME, "receipt_series": RECEIPT_SERIES, **extra}
    problems: list[Problem] = []
    values = validate(table, list(SETTINGS), "test.toml", "plugins[FISCAL].settings", problems)
    assert problems == []
    return values


def fiscal_toml(code: str, settings: dict[str, Any], interval: float = 1, hang_timeout: float = 60) -> str:
    lines = ["[[plugins]]", f'code = "{code}"', 'type = "fiscal"', f"interval = {interval}",
             f"hang_timeout = {hang_timeout}", "[plugins.settings]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items() if v is not None and k != "payment_methods"]
    return "\n".join(lines) + "\n"


class Harness:
    """The plugin's cycle in-process, with a real context; the journal is kept in `entries`."""

    def __init__(self, data_dir: Path, sim: PrinterSimulator, bl: Emulator, **settings: Any) -> None:
        self.sim = sim
        self.bl = bl
        self.data_dir = data_dir
        self.entries: list[tuple[str, str | None, str]] = []
        self.ctx = PluginContext(
            code=CODE, type="fiscal", settings=settings_for(sim.address, bl, **settings), data_dir=data_dir,
            log=logging.getLogger("plugin.fiscal"), cancelled=threading.Event(),
            journal=PluginJournal(lambda level, subject, message: self.entries.append((level, subject, message))),
            _progress=lambda done, total: None)
        self.ctx._baselinker = BaseLinkerClient(TOKEN, url=bl.url, retry=QUICK_RETRY, per_minute=1000,
                                                state_dir=data_dir / "ratelimit")

    def cycle(self, timeouts: Timeouts = FAST) -> None:
        host, port = self.sim.address
        with PosnetPrinter.tcp(host, port, timeouts=timeouts) as printer:
            cycle.run(self.ctx, printer=printer)

    def record(self, key: str) -> Effect | None:
        return self.ctx.state.effect(key)

    def journal(self, level: str | None = None, containing: str = "") -> list[str]:
        return [m for lv, _s, m in self.entries if (level is None or lv == level) and containing in m]

    def close(self) -> None:
        if self.ctx._baselinker is not None:
            self.ctx._baselinker.close()
        self.ctx.state.close()


@pytest.fixture
def sim() -> Iterator[PrinterSimulator]:
    with PrinterSimulator() as simulator:
        yield simulator


@pytest.fixture
def bl() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, rate_limit=0) as emulator:
        yield emulator


@pytest.fixture
def harness(tmp_path: Path, sim: PrinterSimulator, bl: Emulator) -> Iterator[Harness]:
    h = Harness(tmp_path / "data", sim, bl)
    yield h
    h.close()


def state_of(data_dir: Path, code: str) -> StateStore:
    """The plugin's state store, opened from the test (SQLite WAL: safe beside a running worker)."""
    return StateStore(data_dir, code)
