"""The fault matrix, each fault a test: 0 receipts printed twice, 0 lost, uncertain ones held, never guessed.

These run the plugin's cycle in-process (a real PluginContext, state and BaseLinker client) against the
printer simulator over TCP and the BaseLinker emulator over HTTP. The SIGKILL case runs in a real worker
under a real supervisor (test_crash.py).
"""

from __future__ import annotations

from sellintegro.fiscal import Line, PosnetPrinter, Receipt

from .conftest import (
    FAST,
    PRINTER_NAME,
    Harness,
    assert_each_receipt_fiscalized_once,
    documents_by_order,
    receipts,
    simple_orders,
)


def test_paper_out_mid_receipt_prints_it_once_after_the_paper_is_loaded_and_journals_the_stop_once(
        harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.paper_out_at("trline", nth=2)  # the first receipt's second line

    harness.cycle()
    assert sim.documents == []
    assert all(r["_pending"] and not r["_printer_error"] for r in receipts(bl).values())
    assert harness.record("receipt:1").status == "failed"  # not fiscalized: may be printed again
    [stop] = harness.journal("error")
    assert "1/" in stop and "out of paper" in stop

    harness.cycle()  # still no paper: the same problem is not journaled again
    assert harness.journal("error") == [stop] and sim.documents == []

    sim.load_paper()  # the stalled line prints now, into a transaction nobody will close
    harness.cycle()
    assert harness.journal("info", "ready again")
    assert harness.journal("warning", "left open")
    assert len(sim.cancelled) == 1  # that transaction, cancelled: not fiscal
    assert_each_receipt_fiscalized_once(sim, bl)


def test_an_error_reply_for_a_line_refuses_the_receipt_and_tells_baselinker_with_the_printer_name(
        harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.error_reply("trline", 2106, nth=2)  # item locked: the document's own fault

    harness.cycle()
    harness.cycle()
    first = receipts(bl)[1]
    assert first["_printer_error"] and first["_printer_name"] == PRINTER_NAME and not first["_pending"]
    assert 1 not in documents_by_order(sim) and len(sim.cancelled) == 1
    [refused] = harness.journal("error")
    assert "line 2" in refused and "item locked" in refused and PRINTER_NAME in refused
    assert_each_receipt_fiscalized_once(sim, bl, ids={2, 3})


def test_a_transient_error_reply_for_a_line_is_retried_and_printed_once(harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.error_reply("trline", 41, nth=2)  # the printer is busy with another interface: the printer's state

    harness.cycle()
    assert documents_by_order(sim) == {} and not receipts(bl)[1]["_printer_error"]
    harness.cycle()
    assert_each_receipt_fiscalized_once(sim, bl)


def test_connection_dropped_after_trend_is_found_fiscalized_and_never_printed_again(harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.drop_after("trend")  # the printer fiscalizes the first receipt; its answer is lost

    harness.cycle()
    harness.cycle()
    assert_each_receipt_fiscalized_once(sim, bl)
    [found] = harness.journal("info", "after an interruption")
    assert found.startswith("receipt 1/") and "not printed again" in found


def test_connection_dropped_before_trend_is_found_not_fiscalized_and_printed_once(harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.drop_before("trend")  # the connection breaks; the printer never closes the receipt

    harness.cycle()
    assert documents_by_order(sim) == {}  # nothing else printed after the doubtful one in this cycle
    assert harness.record("receipt:1").status == "failed"
    harness.cycle()
    assert len(sim.cancelled) == 1  # the receipt left open, cancelled before printing it again
    assert_each_receipt_fiscalized_once(sim, bl)


def test_an_unanswered_trend_stays_pending_and_nothing_else_prints_until_the_printer_answers(
        harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.drop_after("trend")
    sim.drop_before("strns")  # ... and the printer cannot be asked either (the driver asks twice)
    sim.drop_before("strns")

    harness.cycle()
    assert [len(d) for d in documents_by_order(sim).values()] == [1]  # only the doubtful one
    assert harness.record("receipt:1").status == "pending"
    assert harness.journal("error", "not known yet")

    harness.cycle()  # the printer answers: it was fiscalized
    assert harness.record("receipt:1").status == "done"
    assert_each_receipt_fiscalized_once(sim, bl)


def test_an_outcome_the_printer_cannot_tell_is_held_never_reprinted_and_the_journal_says_what_to_check(
        harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    sim.drop_after("trend")
    sim.drop_before("strns")
    sim.drop_before("strns")
    harness.cycle()
    assert harness.record("receipt:1").status == "pending"
    # Someone sells at the printer meanwhile: its counters no longer prove anything about receipt 1.
    with PosnetPrinter.tcp(*sim.address, timeouts=FAST) as keyboard:
        keyboard.print_receipt(Receipt([Line("Sprzedaż z klawiatury", 500, 23)]))

    harness.cycle()
    harness.cycle()
    assert harness.record("receipt:1").status == "held"
    [held] = harness.journal("error", "HELD")
    assert "receipt 1/" in held and "sellintegro_fiscal.decide" in held and "printed NUMBER" in held
    assert "68,97 PLN" in held and "A 49,98 PLN" in held  # what to look for on the printer's copy
    assert len(documents_by_order(sim)[1]) == 1  # printed once, by the first attempt; never again
    assert receipts(bl)[1]["_pending"] and not receipts(bl)[1]["_printer_error"]  # left for the person
    assert_each_receipt_fiscalized_once(sim, bl, ids={2, 3})


def test_a_printed_receipt_whose_confirmation_failed_is_confirmed_next_cycle_without_printing(
        harness: Harness) -> None:
    sim, bl = harness.sim, harness.bl
    bl.account.add_orders(simple_orders(3))
    bl.inject("503", count=2, method="setOrderReceipt")  # both tries of the first confirmation

    harness.cycle()
    assert len(sim.documents) == 1 and receipts(bl)[1]["_pending"]
    assert harness.record("receipt:1").status == "done"
    assert harness.journal("warning", "never printed again")
    assert harness.journal("error", "BaseLinker cannot be used")

    harness.cycle()
    assert_each_receipt_fiscalized_once(sim, bl)
    assert harness.journal("info", "was not printed again")
    assert harness.journal("info", "BaseLinker answers again")
