"""The serial transport (pyserial) against the simulator serving a pseudo-terminal pair."""

from __future__ import annotations

import os

import pytest

from sellintegro.fiscal import Outcome, PosnetPrinter, Timeouts, UncertainOutcome
from sellintegro.fiscal.errors import ReplyTimeout
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import FAST, MIXED_TOTAL, MIXED_TOTALS, mixed_receipt

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="pseudo-terminals are POSIX only")


def test_a_receipt_prints_over_a_serial_line(sim: PrinterSimulator) -> None:
    port = sim.serve_pty()
    with PosnetPrinter.serial(port, 115200, timeouts=FAST) as printer:
        assert printer.status().ready
        result = printer.print_receipt(mixed_receipt())
        assert printer.link.transport.description.startswith(port)
    [doc] = sim.documents
    assert result.number == doc.number and dict(result.totals) == MIXED_TOTALS and doc.total == MIXED_TOTAL


def test_a_lost_answer_on_a_serial_line_is_uncertain_and_reconciled(sim: PrinterSimulator) -> None:
    """A serial line cannot drop like TCP: the answer to `trend` just never comes."""
    port = sim.serve_pty()
    sim.drop_after("trend")
    with PosnetPrinter.serial(port, timeouts=Timeouts(reply=3.0, probe=0.3)) as printer:
        with pytest.raises(UncertainOutcome) as caught:
            printer.print_receipt(mixed_receipt())
        assert isinstance(caught.value.cause, ReplyTimeout)
        rec = printer.reconcile(caught.value.marker)
    assert rec.outcome is Outcome.FISCALIZED and rec.result is not None
    assert rec.result.number == sim.documents[0].number
