"""The worker killed with SIGKILL between print and setOrderReceipt, in a real worker under a real supervisor.

Two windows: after the printer's acceptance was recorded (done, not yet confirmed), and while `trend`'s
answer was still on its way (pending, only the marker stored). Either way the restarted worker confirms
the receipt with its number and never prints it again.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from sellintegro.baselinker.emulator import Emulator
from sellintegro.fiscal.simulator import PrinterSimulator
from sellintegro.journal import Journal

from ..conftest import Endpoint, wait_for
from .conftest import (
    assert_each_receipt_fiscalized_once,
    fiscal_toml,
    receipts,
    settings_for,
    simple_orders,
    state_of,
)


def _journal(ep: Endpoint, code: str) -> list[str]:
    journal = Journal(ep.data)
    try:
        return [e.message for e in journal.query(plugin=code)]
    finally:
        journal.close()


def _all_confirmed(bl: Emulator) -> bool:
    return not any(r["_pending"] for r in receipts(bl).values())


def test_worker_killed_after_printing_and_before_set_order_receipt_confirms_after_restart_without_printing(
        endpoint: Callable[..., Endpoint], sim: PrinterSimulator, bl: Emulator) -> None:
    bl.account.add_orders(simple_orders(3))
    bl.inject("reset", count=1_000_000, method="setOrderReceipt")  # the worker keeps retrying the confirmation
    ep = endpoint(fiscal_toml("FISCAL_K", settings_for(sim.address, bl, reply_timeout=10.0)))
    state = state_of(ep.data, "FISCAL_K")
    try:
        wait_for("receipt 1 printed and recorded", lambda: (e := state.effect("receipt:1")) and e.status == "done",
                 timeout=30)
        pid = ep.worker("FISCAL_K")["pid"]
        assert len(sim.documents) == 1 and receipts(bl)[1]["_pending"]  # printed; BaseLinker not told
        os.kill(pid, signal.SIGKILL)
        bl.clear_faults()
        ep.wait_state("FISCAL_K", "RUNNING", not_pid=pid, timeout=30)
        wait_for("every receipt confirmed", lambda: _all_confirmed(bl), timeout=30)
    finally:
        state.close()
    assert_each_receipt_fiscalized_once(sim, bl)
    assert len(sim.documents) == 3
    assert any(m.startswith("receipt 1/") and "was not printed again" in m for m in _journal(ep, "FISCAL_K"))


def test_worker_killed_while_the_answer_to_trend_is_outstanding_finds_the_receipt_fiscalized_after_restart(
        endpoint: Callable[..., Endpoint], sim: PrinterSimulator, bl: Emulator) -> None:
    bl.account.add_orders(simple_orders(3))
    sim.silent("trend")  # the printer fiscalizes the first receipt and never answers
    ep = endpoint(fiscal_toml("FISCAL_K", settings_for(sim.address, bl, reply_timeout=60.0)))
    state = state_of(ep.data, "FISCAL_K")
    try:
        wait_for("receipt 1 fiscalized, its record pending with the marker", lambda: len(sim.documents) == 1 and (
            e := state.effect("receipt:1")) is not None and e.status == "pending" and "marker" in (e.result or {}),
            timeout=30)
        pid = ep.worker("FISCAL_K")["pid"]
        os.kill(pid, signal.SIGKILL)
        ep.wait_state("FISCAL_K", "RUNNING", not_pid=pid, timeout=30)
        wait_for("every receipt confirmed", lambda: _all_confirmed(bl), timeout=30)
    finally:
        state.close()
    assert_each_receipt_fiscalized_once(sim, bl)
    assert len(sim.documents) == 3 and sim.cancelled == []
    assert any(m.startswith("receipt 1/") and "after an interruption" in m for m in _journal(ep, "FISCAL_K"))
