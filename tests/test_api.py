"""The plugin context: the BaseLinker client and ERP it hands out, and its state store."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sellintegro.api import PluginContext, PluginJournal
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.seed import generate_orders
from sellintegro.erp import sim

TOKEN = "3001234-3005678-CTXTOKENABCDEFGHIJKLMNOP"


def make_ctx(tmp_path: Path, settings: dict[str, Any]) -> PluginContext:
    beats: list[int] = []
    return PluginContext(code="CTX", type="probe", settings=settings, data_dir=tmp_path, log=__import__(
        "logging").getLogger("t"), cancelled=threading.Event(), journal=PluginJournal(lambda *a: None),
        _progress=lambda d, n: beats.append(1))


def test_context_hands_out_one_baselinker_client_sharing_the_tokens_budget(tmp_path: Path) -> None:
    emu = Emulator(orders=generate_orders(3, seed=1), token=TOKEN).start()
    try:
        ctx = make_ctx(tmp_path, {"token": TOKEN, "baselinker_url": emu.url, "rate_limit": 100})
        client = ctx.baselinker()
        assert ctx.baselinker() is client
        assert len(list(client.iter_orders(None))) == 3
        assert list((tmp_path / "state" / "ratelimit").glob("*.json")), "the shared budget lives in the data dir"
        client.close()
    finally:
        emu.stop()


def test_context_opens_the_erp_from_its_setting_and_keeps_one_connection(tmp_path: Path) -> None:
    path = tmp_path / "erp.sqlite3"
    sim.create(path)
    ctx = make_ctx(tmp_path, {"erp": str(path)})
    erp = ctx.erp()
    assert ctx.erp() is erp
    assert erp.vat_rates()
    erp.close()


def test_context_state_is_opened_lazily_in_the_data_dir(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {})
    assert not (tmp_path / "state").exists()
    ctx.state.set_cursor("c", 1)
    assert (tmp_path / "state" / "CTX.sqlite3").exists()
    ctx.state.close()
