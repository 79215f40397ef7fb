"""The status preflight: fiscal mode, paper, read-only, an open transaction cancelled safely, an unreachable printer."""

from __future__ import annotations

from pathlib import Path

from sellintegro.baselinker.emulator import Emulator
from sellintegro.fiscal import PosnetPrinter
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import (
    FAST,
    Harness,
    assert_each_receipt_fiscalized_once,
    documents_by_order,
    receipts,
    simple_orders,
)


def test_a_printer_not_in_fiscal_mode_prints_nothing_and_says_so_once(tmp_path: Path, bl: Emulator) -> None:
    with PrinterSimulator(fiscal=False) as sim:
        harness = Harness(tmp_path / "data", sim, bl)
        bl.account.add_orders(simple_orders(2))
        harness.cycle()
        harness.cycle()
        harness.close()
        assert sim.documents == [] and "trinit" not in sim.commands
    [error] = harness.journal("error")
    assert "not in fiscal mode" in error
    assert all(r["_pending"] and not r["_printer_error"] for r in receipts(bl).values())  # they wait


def test_a_read_only_printer_prints_nothing(tmp_path: Path, bl: Emulator) -> None:
    with PrinterSimulator(read_only=True) as sim:
        harness = Harness(tmp_path / "data", sim, bl)
        bl.account.add_orders(simple_orders(1))
        harness.cycle()
        harness.close()
        assert sim.documents == [] and "trinit" not in sim.commands
    assert harness.journal("error", "read-only")


def test_paper_out_before_the_cycle_prints_nothing_until_paper_is_loaded(harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(2))
    sim.paper_out()
    harness.cycle()
    assert sim.documents == [] and "trinit" not in sim.commands
    assert harness.journal("error", "out of paper")
    sim.load_paper()
    harness.cycle()
    assert_each_receipt_fiscalized_once(sim, bl)


def test_a_transaction_left_open_is_cancelled_before_printing_and_journaled(harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(2))
    with PosnetPrinter.tcp(*sim.address, timeouts=FAST) as other:
        other.link.call("trinit", [("bm", "0")])
        other.link.call("trline", [("na", "Porzucony towar"), ("vt", "0"), ("pr", "100"), ("wa", "100")])
    assert sim.transaction_open
    harness.cycle()
    [cancelled] = sim.cancelled
    assert cancelled.lines[0].name == "Porzucony towar"
    assert harness.journal("warning", "left open")
    assert_each_receipt_fiscalized_once(sim, bl)


def test_receipts_printed_before_are_confirmed_while_the_printer_is_unreachable(harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(2))
    bl.inject("503", count=2, method="setOrderReceipt")
    harness.cycle()  # receipt 1 printed, its confirmation failed
    assert len(sim.documents) == 1 and receipts(bl)[1]["_pending"]
    printed = list(sim.documents)
    sim.stop()  # the printer goes away

    harness.cycle(FAST)
    assert not receipts(bl)[1]["_pending"] and receipts(bl)[1]["_receipt_nr"] == str(printed[0].number)
    assert receipts(bl)[2]["_pending"]  # waits for the printer; not reported as a printer error
    assert not receipts(bl)[2]["_printer_error"]
    assert harness.journal("error", "cannot be reached")
    assert list(documents_by_order(sim)) == [1]


def test_with_nothing_to_print_the_printer_is_not_asked_and_its_absence_is_nobodys_problem(harness: Harness) -> None:
    sim = harness.sim
    harness.cycle()
    assert sim.commands == []  # not even a status query
    sim.stop()
    harness.cycle()
    assert harness.entries == []
