"""Fiscal printers: the POSNET ONLINE protocol driver and a printer simulator.

Modules: crc.py (CRC16 XMODEM), frame.py (frames and data types), transport.py (TCP, serial),
link.py (tokens, timeouts, probes, reconnects), driver.py (PosnetPrinter: receipts, invoices,
status, reconciliation), model.py (documents and results), errors.py and texts.py (typed errors,
PL/EN texts), device.py + simulator.py + render.py (the simulator and its PNG printouts).

    from sellintegro.fiscal import PosnetPrinter, Receipt, Line, Payment, PaymentType
    with PosnetPrinter.tcp("192.168.1.50") as printer:
        result = printer.print_receipt(Receipt([Line("Kubek", 2500, 23, 2)], id="R-1"))

A receipt is never printed twice (DESIGN, Data safety rule 3). Per receipt, the plugin:
1. claims its idempotency key (pending) and passes `on_marker` to keep the DocumentMarker with it;
2. on a FiscalResult records done (number); on `err.fiscalized is False` records failed (retry later,
   or journal a poison input for DocumentRefused / non-retryable PrinterError);
3. on UncertainOutcome, or a pending key found at start, calls `reconcile(marker)` before printing
   anything else: FISCALIZED -> done, NOT_FISCALIZED -> failed (print again), UNKNOWN -> held for a
   person; PrinterUnavailable / PrinterNotReady from reconcile -> stay pending, ask again next cycle.
"""


from typing import TYPE_CHECKING

from sellintegro._lazy import lazy

if TYPE_CHECKING:  # the names as the type checker sees them
    from .driver import PosnetPrinter
    from .errors import (
        DocumentRefused,
        FiscalError,
        PrinterError,
        PrinterNotReady,
        PrinterUnavailable,
        UncertainOutcome,
    )
    from .link import Timeouts
    from .model import (
        EXEMPT,
        DocumentKind,
        DocumentMarker,
        FiscalResult,
        Invoice,
        Line,
        Outcome,
        Payment,
        PaymentType,
        PrinterStatus,
        Receipt,
        Reconciliation,
        grosze,
    )

# Imported on first use (see sellintegro/_lazy.py).
__getattr__ = lazy(__name__, {
    "PosnetPrinter": ".driver",
    "DocumentRefused": ".errors",
    "FiscalError": ".errors",
    "PrinterError": ".errors",
    "PrinterNotReady": ".errors",
    "PrinterUnavailable": ".errors",
    "UncertainOutcome": ".errors",
    "Timeouts": ".link",
    "EXEMPT": ".model",
    "DocumentKind": ".model",
    "DocumentMarker": ".model",
    "FiscalResult": ".model",
    "Invoice": ".model",
    "Line": ".model",
    "Outcome": ".model",
    "Payment": ".model",
    "PaymentType": ".model",
    "PrinterStatus": ".model",
    "Receipt": ".model",
    "Reconciliation": ".model",
    "grosze": ".model",
})

__all__ = [
    "EXEMPT", "DocumentKind", "DocumentMarker", "DocumentRefused", "FiscalError", "FiscalResult", "Invoice", "Line",
    "Outcome", "Payment", "PaymentType", "PosnetPrinter", "PrinterError", "PrinterNotReady", "PrinterStatus",
    "PrinterUnavailable", "Receipt", "Reconciliation", "Timeouts", "UncertainOutcome", "grosze",
]
