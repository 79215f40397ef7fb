"""A printer simulator on a free loopback port, and a driver connected to it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from sellintegro.fiscal import Line, Payment, PaymentType, PosnetPrinter, Receipt, Timeouts
from sellintegro.fiscal.simulator import PrinterSimulator

# Short probes so stalls show quickly; generous replies because the machine is shared.
FAST = Timeouts(connect=5.0, reply=20.0, probe=0.3, status=10.0, connect_attempts=2, retry_delay=0.1)


@pytest.fixture
def printouts(tmp_path: Path) -> Path:
    return tmp_path / "printouts"


@pytest.fixture
def sim(printouts: Path) -> Iterator[PrinterSimulator]:
    with PrinterSimulator(out_dir=printouts) as simulator:
        yield simulator


@pytest.fixture
def printer(sim: PrinterSimulator) -> Iterator[PosnetPrinter]:
    host, port = sim.address
    with PosnetPrinter.tcp(host, port, timeouts=FAST) as driver:
        yield driver


def mixed_receipt(receipt_id: str = "R-1") -> Receipt:
    """Five VAT slots, fractional quantities, half-up rounding, card + cash with change."""
    return Receipt(
        lines=[
            Line("Kubek ceramiczny „Żółć”", 2499, 23, 3),                       # 74,97 A
            Line("Masło 200 g", 899, 8, Decimal("0.5"), unit="szt"),            # 4,495 -> 4,50 B
            Line("Ser gouda", 1299, 5, Decimal("1.234"), unit="kg"),            # 16,02966 -> 16,03 C
            Line("Torba papierowa", 99, 0, 2),                                  # 1,98 D
            Line("Usługa pakowania", 1000, -1, description="pakowanie na prezent"),  # 10,00 G (exempt)
        ],
        payments=[Payment(PaymentType.CARD, 10000), Payment(PaymentType.CASH, 1000)],
        id=receipt_id,
    )


MIXED_TOTALS = {"A": 7497, "B": 450, "C": 1603, "D": 198, "G": 1000}
MIXED_TOTAL = 10748
