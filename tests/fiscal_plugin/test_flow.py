"""The whole flow in a real worker under a real supervisor: BaseLinker emulator -> plugin -> printer simulator (TCP)."""

from __future__ import annotations

from collections.abc import Callable

from sellintegro_fiscal.texts import money

from sellintegro.baselinker.emulator import Emulator
from sellintegro.fiscal.simulator import PrinterSimulator
from sellintegro.journal import Journal

from ..conftest import Endpoint, wait_for
from .conftest import (
    assert_each_receipt_fiscalized_once,
    fiscal_toml,
    grosze,
    mixed_orders,
    receipts,
    settings_for,
)


def test_one_hundred_receipts_are_each_fiscalized_once_with_totals_to_the_grosz_and_confirmed_with_their_number(
        endpoint: Callable[..., Endpoint], sim: PrinterSimulator, bl: Emulator) -> None:
    bl.account.add_orders(mixed_orders(100))
    assert len(receipts(bl)) == 100
    ep = endpoint(fiscal_toml("FISCAL_1", settings_for(sim.address, bl, reply_timeout=10.0)))
    wait_for("every receipt confirmed in BaseLinker", lambda: not any(r["_pending"] for r in receipts(bl).values()),
             timeout=90)

    assert_each_receipt_fiscalized_once(sim, bl)
    assert len(sim.documents) == 100 and sim.cancelled == []
    assert sum(d.total for d in sim.documents) == sum(grosze(r["total_price_brutto"]) for r in receipts(bl).values())
    # One journal line per receipt, in the words a shop owner reads.
    journal = Journal(ep.data)
    try:
        printed = [e.message for e in journal.query(plugin="FISCAL_1", level="info") if "→ fiscal no." in e.message]
    finally:
        journal.close()
    assert sorted(printed) == sorted(
        f"receipt {r['receipt_full_nr']} → fiscal no. {r['_receipt_nr']} ({money(grosze(r['total_price_brutto']))})"
        for r in receipts(bl).values())
    assert ep.worker("FISCAL_1")["state"] == "RUNNING" and ep.worker("FISCAL_1")["restarts"] == 0
