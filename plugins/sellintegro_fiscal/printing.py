"""Printing one document at most once: claim its record, print, and settle every doubt by asking the printer.

DESIGN, Data safety rule 3: a fiscal document is never printed twice. Here that means:
- a document is printed only from a new or failed record, claimed (pending) before anything is sent,
  with the printer's DocumentMarker stored in it before the first document command;
- the printer's acceptance of `trend` is recorded as done before anything else happens;
- a failure the driver proves harmless (`fiscalized is False`) records failed: it may be printed again;
- an uncertain outcome (connection lost or no answer after `trend`, a crash in between) is settled
  only by the printer's own answer (`reconcile`): fiscalized -> done, not fiscalized -> failed,
  cannot tell -> held for a person. While the printer cannot be asked, the record stays pending and
  nothing else is printed (a document printed in between would make the printer's answer useless).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sellintegro.fiscal import (
    DocumentMarker,
    DocumentRefused,
    FiscalError,
    FiscalResult,
    Invoice,
    Outcome,
    PosnetPrinter,
    PrinterError,
    Receipt,
    UncertainOutcome,
)
from sellintegro.fiscal.errors import (
    BadToken,
    DailyReportError,
    NoActiveVat,
    ReadOnlyMode,
    TokenNotFound,
    TransactionStateError,
)
from sellintegro.state import Effect

from .ledger import Ledger, Printed, label_of, marker_of
from .preflight import problem_code

log = logging.getLogger("plugin.fiscal")

# Refusals that are the printer's state, not the document's: the document waits, it is not a poison input.
_PRINTER_STATE = (DailyReportError, ReadOnlyMode, NoActiveVat, TransactionStateError, BadToken, TokenNotFound)


@dataclass(frozen=True)
class Fiscalized:
    printed: Printed


@dataclass(frozen=True)
class Refused:
    """Certainly not fiscalized, and printing it again would fail the same way (a poison input)."""

    reason: str


@dataclass(frozen=True)
class NotFiscalized:
    """Certainly not fiscalized; printed again later. `stop`: the printer cannot go on in this cycle."""

    reason: str
    stop: bool
    code: str = ""


@dataclass(frozen=True)
class Held:
    """The printer cannot tell whether it was fiscalized: a person decides, nothing is guessed."""

    reason: str
    marker: DocumentMarker | None
    started_at: float | None = None   # when the document was started on the printer (time.time())


@dataclass(frozen=True)
class Unsettled:
    """The outcome is unknown and the printer cannot be asked now: the record stays pending."""

    reason: str
    code: str = ""


Result = Fiscalized | Refused | NotFiscalized | Held | Unsettled


def is_printer_state(error: PrinterError) -> bool:
    """A refusal caused by the printer's state (a missing daily report, a busy printer), not by the document."""
    return error.retryable or isinstance(error, _PRINTER_STATE)


class Fiscalizer:
    """Prints documents through one printer and keeps each one's record in the ledger."""

    def __init__(self, printer: PosnetPrinter, ledger: Ledger) -> None:
        self.printer = printer
        self.ledger = ledger

    def print(self, key: str, label: str, document: Receipt | Invoice) -> Result:
        """Print a document whose record is new or failed (the caller checked that)."""
        self.ledger.claim(key, label)

        def keep(marker: DocumentMarker) -> None:
            self.ledger.keep_marker(key, label, marker)

        try:
            if isinstance(document, Receipt):
                result = self.printer.print_receipt(document, on_marker=keep)
            else:
                result = self.printer.print_invoice(document, on_marker=keep)
        except UncertainOutcome as e:
            log.warning("%s", e.message())
            return self._reconcile(key, label, e.marker, e.cause)
        except DocumentRefused as e:
            self.ledger.failed(key, label, e.reason(), unprintable=True)
            return Refused(e.reason())
        except PrinterError as e:
            if is_printer_state(e):
                self.ledger.failed(key, label, e.message())
                return NotFiscalized(e.message(), stop=True, code=problem_code(e))
            self.ledger.failed(key, label, e.message(), unprintable=True)
            return Refused(e.message())
        except FiscalError as e:
            if e.fiscalized is False:  # unreachable, paper out before `trend`: nothing was fiscalized
                self.ledger.failed(key, label, e.message())
                return NotFiscalized(e.message(), stop=True, code=problem_code(e))
            # Not expected from the driver; the record stays pending with its marker and is settled first.
            return Unsettled(e.message(), problem_code(e))
        if result.number is None:
            result = self._number(result)
        return Fiscalized(self.ledger.done(key, label, result, "printed"))

    def settle(self, effect: Effect) -> Result:
        """A pending record left by a crash or an unanswered `trend`: find out what happened."""
        label = label_of(effect)
        marker = marker_of(effect)
        if marker is None:
            # The marker is stored before the document's first command: without one nothing was sent.
            reason = "interrupted before anything was sent to the printer"
            self.ledger.failed(effect.key, label, reason)
            return NotFiscalized(reason, stop=False)
        return self._reconcile(effect.key, label, marker, None)

    def _reconcile(self, key: str, label: str, marker: DocumentMarker, cause: FiscalError | None) -> Result:
        """Ask the printer about the document behind `marker`; `cause`: the failure that made it uncertain now."""
        try:
            answer = self.printer.reconcile(marker)
        except FiscalError as e:  # unreachable, or a stalled mechanism: ask again later, print nothing else
            return Unsettled(e.message(), problem_code(e))
        if answer.outcome is Outcome.FISCALIZED and answer.result is not None:
            return Fiscalized(self.ledger.done(key, label, answer.result, "reconciled"))
        if answer.outcome is Outcome.NOT_FISCALIZED:
            self.ledger.failed(key, label, answer.reason)
            # Right after a failure the printer's link is suspect: stop; the next cycle prints it.
            return NotFiscalized(answer.reason, stop=cause is not None,
                                 code=problem_code(cause) if cause is not None else "")
        record = self.ledger.record(key)
        started = record.result.get("started_at") if record is not None and isinstance(record.result, dict) else None
        self.ledger.held(key, label, answer.reason, marker)
        return Held(answer.reason, marker, started)

    def _number(self, result: FiscalResult) -> FiscalResult:
        """The printer accepted the document but its number was not read: ask once more (nothing printed since)."""
        if result.marker is None:
            return result
        try:
            answer = self.printer.reconcile(result.marker)
        except FiscalError as e:
            log.warning("the number of a fiscalized %s could not be read: %s", result.kind.value, e)
            return result
        if answer.outcome is Outcome.FISCALIZED and answer.result is not None:
            return answer.result
        return result
