"""How fast does the `orders` plugin move orders into the ERP when BaseLinker does not hold it back?

10,000 seeded orders (sellintegro.baselinker.seed: mixed VAT incl. ZW/NP/OO, string-typed fields, Polish
text, cash on delivery, invoices, delivery costs, several units per line) wait in the BaseLinker emulator
with its rate limit off. One cycle of the plugin takes them all: getOrders pages, one document per order
(document_type = "auto": FS or PA), setOrderStatuses per page, the cursor. Measured per ERP backend:
the embedded sqlite3, the {SQLite3} ODBC driver and PostgreSQL over psqlODBC (a fresh sample database
each, stocked with the seed's products). Printed: orders/s, API calls per order, and a check that every
order has exactly one document and the success status.

The emulator runs as its own process (`python -m sellintegro.baselinker.emulator`), so it does not share
the plugin's interpreter; the plugin's cycle runs in this process with the context a worker would give
it (its BaseLinker client, its ERP connection, its state and journal in a temporary data directory).

    python bench/orders_raw.py [--orders 10000] [--backends sqlite3,odbc-sqlite,odbc-postgresql] [--dir DIR]

The helpers here are shared with bench/orders_api_bound.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psutil
from sellintegro_orders import statuses
from sellintegro_orders.cycle import run as run_cycle
from sellintegro_orders.settings import SETTINGS

import sellintegro
from sellintegro.api import PluginContext, PluginJournal
from sellintegro.baselinker import BaseLinkerClient, loose, ratelimit
from sellintegro.baselinker.seed import generate_orders
from sellintegro.erp import SqlErp, find_vat_rate, sim
from sellintegro.erp.ids import allocate
from sellintegro.errors import Problem
from sellintegro.schema import validate
from sellintegro.worker import JournalWriter

TOKEN = "5001234-5005678-BENCHORDERSTOKENABCDEFGH"
CODE = "BLK_CAI_COM_ORD_SGT_100"
STATUS_OK, STATUS_ERROR = 1003, 1005  # the emulator's "Przeniesione do ERP" and "Błąd integracji"
PG_BASE = os.environ.get("SELLINTEGRO_TEST_PG", "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;UID=postgres")
BACKENDS = ("sqlite3", "odbc-sqlite", "odbc-postgresql")


# -- conditions ----------------------------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for row in f:
                if row.startswith("model name"):
                    return row.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def filesystem(path: Path) -> str:
    """The file system type holding `path` (tmpfs means RAM: no fsync cost)."""
    best = ("?", "")
    for part in psutil.disk_partitions(all=True):
        if str(path).startswith(part.mountpoint) and len(part.mountpoint) > len(best[1]):
            best = (part.fstype, part.mountpoint)
    return f"{best[0]} ({best[1]})"


def conditions(sizes: str, where: Path) -> str:
    return "\n".join([
        f"date:        {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine:     {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}, "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, {platform.system()} {platform.release()}, "
        f"load {os.getloadavg()[0]:.2f}",
        f"python:      {platform.python_version()} ({sys.executable})",
        f"versions:    sellintegro {sellintegro.__version__}, httpx {httpx.__version__}, {odbc_versions()}",
        f"files:       {where} on {filesystem(where)}",
        f"sizes:       {sizes}",
    ])


def odbc_versions() -> str:
    try:
        import pyodbc
    except ImportError as e:
        return f"pyodbc unavailable ({e})"
    return f"pyodbc {pyodbc.version}, drivers {', '.join(pyodbc.drivers())}"


# -- the emulator as a process -------------------------------------------------------------------------------

@contextmanager
def emulator(orders_file: Path, rate_limit: int) -> Iterator[str]:
    """`python -m sellintegro.baselinker.emulator` serving the orders; yields its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "sellintegro.baselinker.emulator", "--port", "0", "--token",
                             TOKEN, "--orders", str(orders_file), "--rate-limit", str(rate_limit)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        if " on http" not in first:
            raise RuntimeError(f"the emulator did not start: {first!r}")
        yield first.split(" on ", 1)[1].split()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def emulator_stats(url: str) -> dict[str, Any]:
    data: dict[str, Any] = httpx.get(url.replace("/connector.php", "/_admin/stats"), timeout=30).json()
    return data


# -- the ERP ------------------------------------------------------------------------------------------------

@contextmanager
def erp_database(backend: str, where: Path) -> Iterator[str]:
    """A fresh sample ERP on `backend`, stocked later; yields its target (path or connection string)."""
    if backend == "sqlite3":
        yield str(where / f"erp-{uuid.uuid4().hex[:6]}.sqlite")
        return
    if backend == "odbc-sqlite":
        yield f"DRIVER={{SQLite3}};Database={where / f'erp-odbc-{uuid.uuid4().hex[:6]}.sqlite'}"
        return
    import pyodbc

    admin = pyodbc.connect(f"{PG_BASE};Database=postgres", autocommit=True, timeout=5)
    name = f"si_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{PG_BASE};Database={name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def stock(target: str, orders: list[dict[str, Any]]) -> None:
    """The sample ERP with a product card for every SKU the orders sell (symbol = SKU)."""
    sim.create(target)
    products: dict[str, tuple[str, Decimal]] = {}
    for o in orders:
        for p in o["products"]:
            rate = loose.as_decimal(p["tax_rate"])
            if p["sku"] not in products or products[p["sku"]][1] == 0:
                products[p["sku"]] = (p["name"], rate)
    with SqlErp.open(target) as erp:
        rates = erp.vat_rates()

        def work(tx: Any) -> None:
            for sku, (name, tax_rate) in products.items():
                rate = find_vat_rate(rates, tax_rate)
                assert rate is not None
                tx.execute("INSERT INTO tw__Towar (tw_Id, tw_Zablokowany, tw_Rodzaj, tw_Symbol, tw_Nazwa, tw_Opis, "
                           "tw_IdVatSp, tw_JednMiary, tw_PodstKodKresk, tw_Usuniety) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", allocate(tx, "tw__Towar"), False, 1, sku, name[:50], "",
                           rate.id, "szt.", "", False)
        erp.db.run(work, write=True)


def documents(target: str) -> dict[str, int]:
    """dok_NrPelnyOryg -> how many sales documents carry it."""
    with SqlErp.open(target) as erp:
        rows = erp.db.run(lambda tx: tx.query("SELECT dok_NrPelnyOryg, COUNT(*) FROM dok__Dokument "
                                              "WHERE dok_Typ IN (2, 16, 21) GROUP BY dok_NrPelnyOryg"), write=False)
    return {str(k).strip(): int(n) for k, n in rows}


# -- the plugin, as a worker runs it ------------------------------------------------------------------------

@dataclass
class Plugin:
    """The orders plugin's context in this process, as SellintegroAppWorker builds it."""

    url: str
    target: str
    data_dir: Path
    per_minute: int = 1000
    cancelled: threading.Event = field(default_factory=threading.Event)
    status_calls: list[tuple[float, int]] = field(default_factory=list)   # (monotonic end, orders) per call
    first_call: float | None = None

    def context(self) -> PluginContext:
        problems: list[Problem] = []
        values = validate({"token": TOKEN, "baselinker_url": self.url, "erp": self.target,
                           "rate_limit": self.per_minute, "status_ok": STATUS_OK, "status_error": STATUS_ERROR,
                           "document_type": "auto", "first_run_days_back": 3.0}, list(SETTINGS), "bench",
                          "plugins.settings", problems)
        assert not problems, [f"{p.key}: {p.reason}" for p in problems]
        client = BaseLinkerClient(TOKEN, url=self.url, per_minute=self.per_minute,
                                  state_dir=ratelimit.state_dir(self.data_dir), cancelled=self.cancelled)
        original = client.call

        def call(method: str, parameters: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
            if self.first_call is None:
                self.first_call = time.monotonic()
            result = original(method, parameters, **kw)
            if method == "setOrderStatuses" and parameters is not None:
                self.status_calls.append((time.monotonic(), len(parameters["order_ids"])))
            return result
        client.call = call  # type: ignore[method-assign] # counts what the plugin asks, when it is answered
        journal = PluginJournal(JournalWriter(self.data_dir, CODE, (TOKEN,)))
        return PluginContext(code=CODE, type="orders", settings=values, data_dir=self.data_dir,
                             log=logging.getLogger("plugin.orders"), cancelled=self.cancelled, journal=journal,
                             _progress=lambda d, n: None, _baselinker=client)

    def cycle(self) -> float:
        """One cycle (it takes the whole backlog); its wall time in seconds."""
        statuses.forget(CODE)  # as in a new worker: the status list is read once per process
        ctx = self.context()
        started = time.perf_counter()
        try:
            run_cycle(ctx)
        finally:
            elapsed = time.perf_counter() - started
            if ctx._erp is not None:
                ctx._erp.close()
            if ctx._state is not None:
                ctx._state.close()
            ctx.baselinker().close()
        return elapsed


def seeded(count: int, where: Path) -> tuple[list[dict[str, Any]], Path]:
    orders = generate_orders(count, seed=42, now=time.time())
    path = where / "orders.json"
    path.write_text(json.dumps(orders, ensure_ascii=False), encoding="utf-8")
    return orders, path


def confirmed_ids(orders: list[dict[str, Any]]) -> set[str]:
    return {str(o["order_id"]) for o in orders if loose.as_bool(o["confirmed"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000, help="seeded orders (about 95 %% are confirmed)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help=f"comma-separated: {', '.join(BACKENDS)}")
    parser.add_argument("--dir", type=Path, default=None, help="where the ERP files and data go (default: a temp dir)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    where = Path(tempfile.mkdtemp(prefix="si-orders-raw-", dir=args.dir))
    try:
        orders, orders_file = seeded(args.orders, where)
        wanted = confirmed_ids(orders)
        print(conditions(f"{args.orders} seeded orders, {len(wanted)} confirmed; emulator rate limit off; "
                         "document_type auto (FS/PA)", where))
        print()
        print(f"{'backend':<18}{'orders':>8}{'seconds':>10}{'orders/s':>10}{'API calls':>11}{'calls/order':>13}"
              f"{'documents':>11}  check")
        for backend in args.backends.split(","):
            data_dir = where / f"data-{backend}"
            data_dir.mkdir()
            with erp_database(backend, where) as target, emulator(orders_file, 0) as url:
                stock(target, orders)
                plugin = Plugin(url, target, data_dir)
                seconds = plugin.cycle()
                calls = emulator_stats(url)["requests"]
                docs = documents(target)
                statused = sum(n for _, n in plugin.status_calls)
                ok = set(docs) == wanted and set(docs.values()) == {1} and statused >= len(wanted)
                print(f"{backend:<18}{len(wanted):>8}{seconds:>10.1f}{len(wanted) / seconds:>10.1f}{calls:>11}"
                      f"{calls / len(wanted):>13.4f}{len(docs):>11}  "
                      f"{'one document and a status per order' if ok else 'MISMATCH'}", flush=True)
    finally:
        shutil.rmtree(where, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
