"""The plugin printing through a serial line: the simulator serves one end of a pseudo-terminal pair."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sellintegro_fiscal import cycle

from sellintegro.baselinker.emulator import Emulator
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import Harness, assert_each_receipt_fiscalized_once, mixed_orders

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="pseudo-terminals are POSIX only")


def test_receipts_print_once_through_a_serial_port_named_in_the_settings(
        tmp_path: Path, sim: PrinterSimulator, bl: Emulator) -> None:
    port = sim.serve_pty()
    harness = Harness(tmp_path / "data", sim, bl, printer=f"serial:{port}", baudrate=115200)
    try:
        bl.account.add_orders(mixed_orders(5))
        cycle.run(harness.ctx)  # the printer the settings describe: pyserial on the pty
        cycle.run(harness.ctx)
    finally:
        harness.close()
    assert_each_receipt_fiscalized_once(sim, bl)
    assert len(sim.documents) == 5
