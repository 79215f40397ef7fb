"""Can the printer print now? Mechanism and paper, device, read-only and fiscal mode, in words.

Used before every cycle (the plugin stops and waits) and by `sellintegro doctor` (the checks).
An open transaction is not a reason to wait: the cycle cancels it once pending documents are settled.
"""

from __future__ import annotations

from dataclasses import dataclass

from sellintegro.fiscal import FiscalError, PrinterStatus
from sellintegro.fiscal.errors import PrinterError, PrinterNotReady, PrinterUnavailable
from sellintegro.fiscal.texts import has
from sellintegro.fiscal.texts import text as fiscal_text

from .texts import t


class Stop(Exception):
    """The printer cannot go on in this cycle; `message` says why, in words (journaled once per `code`)."""

    def __init__(self, code: str, message: str, subject: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.subject = subject


@dataclass(frozen=True)
class NotReady:
    """Why the printer cannot print: `code` tells problems apart (journaled once), `message` says it."""

    code: str
    message: str
    service: bool = False  # only the printer's service can fix it


def not_ready(status: PrinterStatus, printer: str) -> NotReady | None:
    if status.mechanism != 0:
        key = f"mech.{status.mechanism}"
        reason = fiscal_text(key) if has(key) else fiscal_text("mech.unknown", code=status.mechanism)
        return NotReady(key, t("printer.not_ready", printer=printer, reason=reason))
    if status.device == 3:
        return NotReady("device", t("printer.not_ready", printer=printer, reason=fiscal_text("mech.device")))
    if status.read_only:
        return NotReady("read_only", t("printer.read_only", printer=printer), service=True)
    if status.fiscal is False:
        return NotReady("not_fiscal", t("printer.not_fiscal", printer=printer), service=True)
    return None


def problem_code(error: FiscalError) -> str:
    """A short id of a printer error, so that the same problem seen again is not journaled again."""
    if isinstance(error, PrinterNotReady):
        return "device" if error.mechanism == 0 else f"mech.{error.mechanism}"
    if isinstance(error, PrinterUnavailable):
        return "conn"
    if isinstance(error, PrinterError):
        return f"cmd.{error.code}"
    return type(error).__name__
