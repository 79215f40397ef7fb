"""Faults at driver level: what the driver reports, and what the printer says afterwards (Data safety rule 3)."""

from __future__ import annotations

import socket

import pytest

from sellintegro.fiscal import DocumentMarker, Line, Outcome, PosnetPrinter, Receipt, Timeouts, UncertainOutcome
from sellintegro.fiscal.errors import (
    ConnectFailed,
    ConnectionLost,
    CoverOpen,
    ItemLocked,
    PaperOut,
    PaymentsShort,
    PrinterBusy,
    ReplyTimeout,
)
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import MIXED_TOTAL, MIXED_TOTALS, mixed_receipt


def test_paper_out_mid_receipt_stops_it_unfiscalized_and_the_next_receipt_recovers(
        sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    sim.paper_out_at("trline", nth=2)
    with pytest.raises(PaperOut) as caught:
        printer.print_receipt(mixed_receipt())
    err = caught.value
    assert err.fiscalized is False and err.transaction_open and err.during == "trline"
    assert "out of paper" in err.message("en") and "brak papieru" in err.message("pl")
    assert sim.documents == [] and "trend" not in sim.commands
    assert printer.status().paper_out

    with pytest.raises(PaperOut):  # no new document starts while the paper is out
        printer.print_receipt(mixed_receipt("R-2"))

    sim.load_paper()  # the waiting line prints now, into the transaction left open
    result = printer.print_receipt(mixed_receipt("R-2"))
    assert [d.fiscal for d in sim.cancelled] == [False] and len(sim.cancelled[0].lines) == 2
    [doc] = sim.documents
    assert result.number == doc.number and doc.total == MIXED_TOTAL


def test_an_error_reply_for_one_line_names_the_line_and_cancels_the_receipt(
        sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    sim.error_reply("trline", 2106, nth=2)
    with pytest.raises(ItemLocked) as caught:
        printer.print_receipt(mixed_receipt())
    err = caught.value
    assert err.code == 2106 and err.line == 2 and err.item == "Masło 200 g" and err.fiscalized is False
    assert "(line 2: Masło 200 g)" in err.message("en") and "towar zablokowany" in err.message("pl")
    assert sim.commands[-1] == "prncancel" and not sim.transaction_open and sim.documents == []


def test_the_simulator_locks_an_item_whose_vat_rate_was_lowered_then_raised(
        sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    printer.print_receipt(Receipt([Line("Mleko 2%", 399, 8)]))
    printer.print_receipt(Receipt([Line("MLEKO 2%", 399, 5)]))  # lowered: locked at 5 % from now on
    with pytest.raises(ItemLocked) as caught:
        printer.print_receipt(Receipt([Line("Chleb", 450, 5), Line("mleko 2%", 399, 8)]))
    assert caught.value.line == 2 and len(sim.documents) == 2
    printer.print_receipt(Receipt([Line("Mleko 2%", 399, 0)]))  # lower is still allowed


def test_connection_dropped_after_trend_is_uncertain_and_reconcile_finds_it_fiscalized(
        sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    markers: list[DocumentMarker] = []
    sim.drop_after("trend")
    with pytest.raises(UncertainOutcome) as caught:
        printer.print_receipt(mixed_receipt(), on_marker=markers.append)
    err = caught.value
    assert err.fiscalized is None and isinstance(err.cause, ConnectionLost)
    assert "UNCERTAIN" in err.message("en") and "NIEPEWNY" in err.message("pl")
    [doc] = sim.documents  # the printer did fiscalize it
    assert markers == [err.marker]

    stored = err.marker.to_json()  # what the plugin keeps with its pending record
    rec = printer.reconcile(DocumentMarker.from_json(stored))
    assert rec.outcome is Outcome.FISCALIZED and rec.result is not None
    assert rec.result.number == doc.number and dict(rec.result.totals) == MIXED_TOTALS
    assert str(doc.number) in rec.reason


def test_connection_dropped_before_trend_reconcile_finds_it_not_fiscalized_and_a_retry_prints_once(
        sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    sim.drop_before("trend")
    with pytest.raises(UncertainOutcome) as caught:
        printer.print_receipt(mixed_receipt())
    assert sim.documents == [] and sim.transaction_open

    rec = printer.reconcile(caught.value.marker)
    assert rec.outcome is Outcome.NOT_FISCALIZED and rec.result is None and rec.transaction_open
    result = printer.print_receipt(mixed_receipt())  # safe now: the printer said it was not fiscalized
    assert [d.number for d in sim.documents] == [result.number] and len(sim.cancelled) == 1


def test_cover_open_refuses_to_start_a_receipt(sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    sim.open_cover()
    with pytest.raises(CoverOpen) as caught:
        printer.print_receipt(mixed_receipt())
    assert caught.value.fiscalized is False and not caught.value.transaction_open
    assert "Nothing was started" in caught.value.message("en")
    assert "trinit" not in sim.commands and printer.status().cover_open
    sim.close_cover()
    assert printer.print_receipt(mixed_receipt()).total == MIXED_TOTAL


def test_cover_opened_mid_receipt_leaves_it_unfiscalized(sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    sim.cover_open_at("trline", nth=3)
    with pytest.raises(CoverOpen) as caught:
        printer.print_receipt(mixed_receipt())
    assert caught.value.fiscalized is False and caught.value.transaction_open and sim.documents == []


def test_paper_out_while_closing_is_uncertain_until_paper_is_loaded(sim: PrinterSimulator,
                                                                   printer: PosnetPrinter) -> None:
    sim.paper_out_at("trend")
    with pytest.raises(UncertainOutcome) as caught:
        printer.print_receipt(mixed_receipt())
    cause = caught.value.cause
    assert isinstance(cause, PaperOut) and cause.closing and cause.fiscalized is None
    assert "finished as soon as this is fixed" in caught.value.message("en")
    with pytest.raises(PaperOut) as not_yet:  # the printer cannot tell yet: `trend` waits in its queue
        printer.reconcile(caught.value.marker)
    assert not_yet.value.fiscalized is None
    sim.load_paper()
    rec = printer.reconcile(caught.value.marker)  # queued behind the waiting `trend`
    assert rec.outcome is Outcome.FISCALIZED and len(sim.documents) == 1


def test_no_answer_to_trend_times_out_as_uncertain(sim: PrinterSimulator) -> None:
    sim.silent("trend")
    timeouts = Timeouts(reply=3.0, probe=0.3, connect_attempts=1)
    with PosnetPrinter.tcp(*sim.address, timeouts=timeouts) as driver:
        with pytest.raises(UncertainOutcome) as caught:
            driver.print_receipt(mixed_receipt())
        assert isinstance(caught.value.cause, ReplyTimeout)
        assert driver.reconcile(caught.value.marker).outcome is Outcome.FISCALIZED


def test_a_refused_trend_is_not_fiscalized_and_is_cancelled(sim: PrinterSimulator, printer: PosnetPrinter) -> None:
    sim.error_reply("trend", 2054)
    with pytest.raises(PaymentsShort) as caught:
        printer.print_receipt(mixed_receipt())
    assert caught.value.fiscalized is False and sim.commands[-1] == "prncancel" and sim.documents == []


def test_resources_held_by_another_interface_is_a_retryable_busy_error(sim: PrinterSimulator,
                                                                       printer: PosnetPrinter) -> None:
    sim.error_reply("trinit", 41)
    with pytest.raises(PrinterBusy) as caught:
        printer.print_receipt(mixed_receipt())
    assert caught.value.retryable and caught.value.fiscalized is False
    assert printer.print_receipt(mixed_receipt()).number == 1


def test_reconcile_holds_a_document_when_another_one_was_fiscalized_since(sim: PrinterSimulator,
                                                                          printer: PosnetPrinter) -> None:
    sim.drop_before("trend")
    with pytest.raises(UncertainOutcome) as caught:
        printer.print_receipt(mixed_receipt())
    printer.print_receipt(Receipt([Line("Inny towar", 1234, 23)], id="R-other"))  # cancels the leftover first
    rec = printer.reconcile(caught.value.marker)
    assert rec.outcome is Outcome.UNKNOWN and "12,34 PLN" in rec.reason


def test_an_unreachable_printer_fails_to_connect_without_printing() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with PosnetPrinter.tcp("127.0.0.1", port, timeouts=Timeouts(connect=1.0, connect_attempts=2,
                                                                 retry_delay=0.05)) as driver:
        with pytest.raises(ConnectFailed) as caught:
            driver.print_receipt(mixed_receipt())
    assert caught.value.fiscalized is False and caught.value.retryable
    assert f"127.0.0.1:{port}" in caught.value.message("en")


def test_the_driver_reconnects_after_the_printer_dropped_the_connection(sim: PrinterSimulator,
                                                                        printer: PosnetPrinter) -> None:
    sim.drop_before("scnt")
    assert printer.counters().receipts == 0  # status reads are retried once on a new connection
    assert printer.link.generation == 2
    assert printer.print_receipt(mixed_receipt()).number == 1
