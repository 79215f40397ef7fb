"""The pdf plugin's world: a BaseLinker emulator, a sample ERP holding FS documents for its orders, PDFs.

`world(n)` seeds `n` orders and one FS per order (dok_NrPelnyOryg = the order id); `Shop` knows which
ERP number belongs to which order and makes distinct, valid PDFs for them. `ctx_for()` builds a
plugin context by hand (journal entries collected in a list) for tests that drive the plugin in
this process; `PdfEndpoint` runs the real supervisor, optionally without root's file-access privileges.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from sellintegro.api import PluginContext, PluginJournal
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.seed import generate_orders
from sellintegro.erp import DocType, SqlErp, sim
from sellintegro.journal import Journal

from ..conftest import Endpoint, wait_for
from ..erp.samples import small_order

TOKEN = "3001234-3005678-PDFTOKENABCDEFGHIJKLMNOP"
FAST = {"settle_seconds": 0.3, "poll_seconds": 0.3, "rate_limit": 1000}
# Without these capabilities root is held to file modes like any account: "no read permission" is real.
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def make_pdf(title: str, pages: int = 1, padding: int = 0) -> bytes:
    """A valid PDF whose bytes depend on `title` (and `padding` bytes of metadata, to make it bigger)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title, "/Producer": "tests/pdf", "/Subject": "x" * padding})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_name(number: str) -> str:
    """How the ERP names a document's PDF: its number with "_" for "/"."""
    return number.replace("/", "_") + ".pdf"


@dataclass
class Shop:
    emu: Emulator
    erp_path: Path
    numbers: dict[int, str]                  # order id -> ERP number (FS n/yyyy)
    orders: list[int] = field(default_factory=list)

    def invoice_of(self, order_id: int) -> list[dict[str, Any]]:
        with self.emu.account.lock:
            return [dict(i) for i in self.emu.account.invoices.values() if i["order_id"] == order_id]

    def file_of(self, invoice_id: int) -> bytes | None:
        with self.emu.account.lock:
            return self.emu.account.invoice_files.get(invoice_id)

    def issue_invoice(self, order_id: int) -> int:
        return int(self.emu.account.call("addInvoice", {"order_id": order_id, "series_id": 1})["invoice_id"])

    def uploads(self) -> int:
        """addOrderInvoiceFile requests BaseLinker accepted."""
        return sum(1 for r in self.emu.requests if r.method == "addOrderInvoiceFile" and r.outcome == "SUCCESS")

    def settings(self, folders: list[Path], **extra: Any) -> dict[str, Any]:
        s: dict[str, Any] = {"token": TOKEN, "baselinker_url": self.emu.url, "erp": str(self.erp_path),
                             "folders": [str(f) for f in folders], **FAST}
        s.update(extra)
        return s


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Callable[..., Shop]]:
    started: list[Emulator] = []

    def make(n: int, invoiced: int | None = None) -> Shop:
        """`n` orders, an FS in the ERP for each; the first `invoiced` (default: all) have a BaseLinker invoice."""
        orders = generate_orders(n, seed=9, first_id=7001, unconfirmed_rate=0.0)
        emu = Emulator(token=TOKEN, orders=orders, rate_limit=0).start()
        started.append(emu)
        erp_path = tmp_path / "erp.sqlite3"
        sim.create(erp_path)
        numbers = {}
        with SqlErp.open(erp_path) as erp:
            for o in orders:
                doc = erp.write_document(small_order(erp, str(o["order_id"]), DocType.FS)).document
                numbers[int(o["order_id"])] = doc.number
        shop = Shop(emu, erp_path, numbers, [int(o["order_id"]) for o in orders])
        for order_id in shop.orders[: n if invoiced is None else invoiced]:
            shop.issue_invoice(order_id)
        emu.reset_stats()
        return shop

    yield make
    for emu in started:
        emu.stop()


@dataclass
class Recorded:
    entries: list[tuple[str, str | None, str]] = field(default_factory=list)

    def __call__(self, level: str, subject: str | None, message: str) -> None:
        self.entries.append((level, subject, message))

    def texts(self, level: str | None = None) -> list[str]:
        return [m for lv, _, m in self.entries if level is None or lv == level]


def ctx_for(tmp_path: Path, settings: dict[str, Any], code: str = "PDF_TEST") -> tuple[PluginContext, Recorded]:
    from sellintegro_pdf.settings import SETTINGS

    full = {s.name: s.default for s in SETTINGS}
    full.update(settings)
    journal = Recorded()
    ctx = PluginContext(code=code, type="pdf", settings=full, data_dir=tmp_path / "data", log=logging.getLogger(
        "plugin.pdf"), cancelled=threading.Event(), journal=PluginJournal(journal), _progress=lambda d, n: None)
    return ctx, journal


def plugin_toml(code: str, settings: dict[str, Any], interval: float = 0.2, hang_timeout: float = 30) -> str:
    lines = ["[[plugins]]", f'code = "{code}"', 'type = "pdf"', f"interval = {interval}",
             f"hang_timeout = {hang_timeout}", "[plugins.settings]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    return "\n".join(lines) + "\n"


class PdfEndpoint(Endpoint):
    """The real supervisor, optionally run through `prefix` (setpriv) and with extra environment."""

    def __init__(self, tmp: Path, plugins: str, prefix: list[str], env: dict[str, str | None]) -> None:
        super().__init__(tmp, plugins)
        self.prefix = prefix
        self.env = env

    def start(self) -> PdfEndpoint:
        with open(self.out, "wb") as out:
            self.proc = subprocess.Popen(
                [*self.prefix, sys.executable, "-m", "sellintegro", "run", "--headless", "--config", str(self.config)],
                stdout=out, stderr=subprocess.STDOUT, env=self.environment())
        wait_for("the control API", lambda: (self.data / "run" / "control.json").exists())
        return self

    def environment(self) -> dict[str, str]:
        env = {**os.environ, "SELLINTEGRO_LANG": "en"}
        for k, v in self.env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def journal(self, code: str) -> list[tuple[str, str | None, str]]:
        if not (self.data / "journal.sqlite3").exists():
            return []
        j = Journal(self.data)
        try:
            return [(e.level, e.subject, e.message) for e in j.query(plugin=code)]
        finally:
            j.close()

    def journal_has(self, code: str, level: str, *words: str) -> bool:
        return any(lv == level and all(w in m for w in words) for lv, _, m in self.journal(code))


@pytest.fixture
def pdf_endpoint(tmp_path: Path) -> Iterator[Callable[..., PdfEndpoint]]:
    made: list[PdfEndpoint] = []

    def make(plugins: str, unprivileged: bool = False, env: dict[str, str | None] | None = None) -> PdfEndpoint:
        if unprivileged and shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) is needed to run the endpoint without root's file privileges")
        where = tmp_path / f"ep{len(made)}"
        where.mkdir()
        ep = PdfEndpoint(where, plugins, NO_DAC if unprivileged and os.geteuid() == 0 else [], env or {})
        made.append(ep)
        return ep.start()

    yield make
    for ep in made:
        ep.kill_all()


def run_python(code: str, unprivileged: bool = False) -> Any:
    """Run `code` (Python that prints one JSON value) in another process, optionally without root's file
    privileges; returns the value."""
    if unprivileged and os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's file privileges")
    prefix = NO_DAC if unprivileged and os.geteuid() == 0 else []
    proc = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "SELLINTEGRO_LANG": "en"}, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
