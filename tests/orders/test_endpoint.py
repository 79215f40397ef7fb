"""Acceptance through the real endpoint: `sellintegro run --headless` spawns the orders worker, which reads the
BaseLinker emulator (in this process) and writes the sample ERP over the embedded sqlite3, the {SQLite3}
ODBC driver and psqlODBC on PostgreSQL; and exactly once while workers and the supervisor are killed."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sellintegro.baselinker import loose
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.seed import generate_orders
from sellintegro.erp import DocType, ItemKind, SqlErp, normalize_nip, sim
from sellintegro.erp.totals import round_grosz
from sellintegro.journal import Journal
from tests.conftest import Endpoint, wait_for

from .conftest import CODE, TOKEN, add_products, seed_products, statuses

Make = Callable[..., Any]
# Restart at once after each kill: these tests kill on purpose, and fast, so no backoff or FATAL.
FAST_RESTARTS = ("startsecs = 0.0\nstartretries = 1000\nbackoff_initial = 0.05\nbackoff_max = 0.2\n"
                 "restart_budget = 10000\n")


def orders_toml(settings: dict[str, Any], interval: float = 60, hang_timeout: float = 60) -> str:
    lines = ["[[plugins]]", f'code = "{CODE}"', 'type = "orders"', f"interval = {interval}",
             f"hang_timeout = {hang_timeout}", "[plugins.settings]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    return "\n".join(lines) + "\n"


def stocked_erp(target: str, orders: list[dict[str, Any]]) -> None:
    with SqlErp.open(target) as erp:
        add_products(erp, seed_products(orders))


def confirmed(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in orders if loose.as_bool(o["confirmed"])]


def documents_by_key(target: str) -> dict[str, list[tuple[int, int]]]:
    """dok_NrPelnyOryg -> [(dok_Id, dok_Typ)] of every sales document in the ERP."""
    with SqlErp.open(target) as erp:
        rows = erp.db.run(lambda tx: tx.query("SELECT dok_Id, dok_Typ, dok_NrPelnyOryg FROM dok__Dokument "
                                              "WHERE dok_Typ IN (2, 16, 21)"), write=False)
    found: dict[str, list[tuple[int, int]]] = {}
    for dok_id, typ, key in rows:
        found.setdefault(str(key).strip(), []).append((int(dok_id), int(typ)))
    return found


def settings_for(emu: Emulator, target: str, **extra: Any) -> dict[str, Any]:
    ids = statuses(emu)
    return {"token": TOKEN, "baselinker_url": emu.url, "erp": target, "rate_limit": 1000,
            "status_ok": ids["Przeniesione do ERP"], "status_error": ids["Błąd integracji"],
            "first_run_days_back": 3.0, **extra}


def journal_of(data: Path) -> list[Any]:
    j = Journal(data)
    try:
        return j.query(plugin=CODE)
    finally:
        j.close()


def test_the_seed_has_every_kind_of_order_the_acceptance_names() -> None:
    """The 500-order acceptance relies on the seed: if it stopped mixing these in, that test would prove less."""
    orders = confirmed(generate_orders(500, seed=6, now=time.time()))
    lines = [p for o in orders for p in o["products"]]
    rates = Counter(str(loose.as_decimal(p["tax_rate"]).normalize()) for p in lines)
    assert {"23", "8", "5", "0", "-1", "-0.02", "-0.03"} <= set(rates)
    assert sum(isinstance(p["price_brutto"], str) for p in lines) > 100   # string-typed fields
    assert sum(isinstance(p["price_brutto"], float) for p in lines) > 100
    assert sum(o["payment_method_cod"] == "1" for o in orders) > 50
    assert sum(o["want_invoice"] == "1" for o in orders) > 100
    assert sum(loose.as_decimal(o["delivery_price"]) > 0 for o in orders) > 300
    assert sum(loose.as_int(p["quantity"]) > 1 for p in lines) > 100
    assert sum(any(c in o["delivery_fullname"] for c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ") for o in orders) > 100


@pytest.mark.parametrize("backend", ["sqlite3", "odbc-sqlite", "odbc-postgresql"])
def test_500_seeded_orders_each_yield_one_document_of_the_orders_total_and_the_success_status(
        backend: str, emulator: Make, erp_on: Make, endpoint: Make) -> None:
    orders = generate_orders(500, seed=6, now=time.time())
    emu = emulator(orders)
    target = erp_on(backend)
    stocked_erp(target, orders)
    settings = settings_for(emu, target, document_type="auto")
    ep: Endpoint = endpoint(orders_toml(settings))
    taken = confirmed(orders)
    ok = settings["status_ok"]
    seen: list[Any] = []

    def finished() -> bool:
        seen.append(ep.worker(CODE).get("progress"))
        return all(emu.account.orders[o["order_id"]]["order_status_id"] == ok for o in taken)

    wait_for("every confirmed order in the success status", finished, timeout=150, every=0.1)
    assert all(o["order_status_id"] == 1001 for o in emu.account.orders.values() if not loose.as_bool(o["confirmed"]))
    final = wait_for("the backlog reported done", lambda: (p := ep.worker(CODE).get("progress")) and
                     p["done"] == p["total"] == len(taken) and p)
    assert final == {"done": len(taken), "total": len(taken)}
    # The total grows a page (100 orders) at a time, as getOrders has no count, and a fast ERP empties a
    # page within one or two heartbeats: what must show is progress short of the end while orders went in.
    assert any(p and 0 < p["done"] < len(taken) for p in seen), "the backlog was shown while the orders went in"

    by_key = documents_by_key(target)
    assert sorted(by_key) == sorted(str(o["order_id"]) for o in taken)
    with SqlErp.open(target) as erp:
        rates = {r.id: r.symbol for r in erp.vat_rates()}
        symbols = {int(r[0]): str(r[1]) for r in erp.db.run(
            lambda tx: tx.query("SELECT tw_Id, tw_Symbol FROM tw__Towar"), write=False)}
        cards = {int(r[0]): (str(r[1] or ""), str(r[2] or "")) for r in erp.db.run(lambda tx: tx.query(
            "SELECT kh_Id, kh_EMail, adr_NIP FROM kh__Kontrahent LEFT JOIN adr__Ewid ON adr_IdObiektu = kh_Id "
            "AND adr_TypAdresu = 1"), write=False)}
        for o in taken:
            [(dok_id, typ)] = by_key[str(o["order_id"])]
            doc = erp.document(dok_id)
            assert doc is not None
            want_invoice = o["want_invoice"] == "1"
            assert typ == (DocType.FS if want_invoice else DocType.PA), o["order_id"]
            products = o["products"]
            total = sum(loose.as_decimal(p["price_brutto"]) * loose.as_int(p["quantity"]) for p in products)
            delivery = loose.as_decimal(o["delivery_price"])
            assert doc.gross == total + delivery, o["order_id"]
            email, nip = cards[doc.contractor_id or 0]
            assert email == o["email"]
            if want_invoice:
                assert nip == normalize_nip(o["invoice_nip"]), o["order_id"]
            assert len(doc.lines) == len(products) + (1 if delivery else 0)
            for ln, p in zip(doc.lines, products, strict=False):
                price, qty = loose.as_decimal(p["price_brutto"]), loose.as_int(p["quantity"])
                label = {"-1": "zw", "-0.02": "np", "-0.03": "oo"}.get(
                    str(loose.as_decimal(p["tax_rate"]).normalize()), str(loose.as_decimal(p["tax_rate"]).normalize()))
                assert (symbols[ln.product_id or 0], ln.quantity, ln.unit_gross, ln.gross, rates[ln.vat_id or 0]) == (
                    p["sku"], Decimal(qty), price, round_grosz(price * qty), label), o["order_id"]
            if delivery:
                last = doc.lines[-1]
                assert (last.kind, last.name, last.gross) == (ItemKind.SERVICE, o["delivery_method"], delivery)
    entries = journal_of(ep.data)
    assert [e.level for e in entries] == ["info"] * len(taken)
    assert Counter(e.subject for e in entries) == Counter(str(o["order_id"]) for o in taken)


@pytest.fixture
def ram_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory in RAM (/dev/shm) when the machine has one, else tmp_path. A killed process leaves its
    writes in the page cache either way, so RAM changes nothing these kills test; it spares the import
    the disk's fsyncs, which other test runs on the machine slow down unpredictably."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    where = Path(tempfile.mkdtemp(prefix="si-orders-test-", dir=shm))
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_exactly_once_while_the_worker_is_killed_20_times_and_the_supervisor_once(
        emulator: Make, tmp_path: Path, ram_dir: Path) -> None:
    orders = generate_orders(5000, seed=7, now=time.time())
    taken = confirmed(orders)
    emu = emulator(orders)
    target = str(ram_dir / "erp.sqlite")
    sim.create(target)
    stocked_erp(target, orders)
    settings = settings_for(emu, target, document_type="auto")
    ok = settings["status_ok"]
    where = tmp_path / "ep"
    where.mkdir()
    plugins = orders_toml(settings, interval=0.5, hang_timeout=60)
    eps = [Endpoint(where, plugins, FAST_RESTARTS).start()]
    rng = random.Random(20)
    kills, pid = 0, 0

    def done() -> int:
        return sum(emu.account.orders[o["order_id"]]["order_status_id"] == ok for o in taken)

    try:
        while kills < 22:
            worker = eps[-1].wait_state(CODE, "RUNNING", timeout=60, not_pid=pid)
            pid = worker["pid"]
            time.sleep(rng.uniform(0.05, 0.5))   # a random moment of its work
            if kills == 11:
                os.kill(eps[-1].proc.pid, signal.SIGKILL)  # type: ignore[union-attr]
                eps[-1].proc.wait(timeout=10)  # type: ignore[union-attr]
                eps.append(Endpoint(where, plugins, FAST_RESTARTS).start())
            else:
                os.kill(pid, signal.SIGKILL)
            kills += 1
        assert done() < len(taken), "the kills came too late to interrupt the import"
        wait_for("every confirmed order in the success status", lambda: done() == len(taken), timeout=180,
                 every=0.2)
    finally:
        for ep in eps:
            ep.kill_all()
    by_key = documents_by_key(target)
    duplicates = {k: v for k, v in by_key.items() if len(v) > 1}
    missing = [o["order_id"] for o in taken if str(o["order_id"]) not in by_key]
    assert (len(duplicates), len(missing)) == (0, 0), (duplicates, missing[:10])
    assert len(by_key) == len(taken)
    lines = Counter(e.subject for e in journal_of(where / "data") if e.level == "info")
    assert sorted(n for n in lines.values() if n != 1) == [], "one journal line per order"
