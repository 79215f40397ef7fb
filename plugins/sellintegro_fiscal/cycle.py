"""One cycle of the `fiscal` plugin: check the printer, settle what is pending, print, confirm.

The order is what keeps Data safety rule 3 (a fiscal document is never printed twice):
1. status preflight: mechanism and paper, device, read-only, fiscal mode. A printer that cannot print
   prints nothing; the cycle then only confirms in BaseLinker receipts printed earlier.
2. every pending record (a crash, an unanswered `trend`) is settled by asking the printer BEFORE any
   other document is printed: another document would move the printer's counters, and they are the
   evidence. One that cannot be settled (the printer cannot be asked) stops printing for this cycle.
3. then a transaction left open on the printer is cancelled: pending documents are settled, so it is
   nobody's evidence any more, and it is not fiscal.
4. the receipt queue (receipts.py), then the invoice series when configured (invoices.py).
Steps 1-3 run first when a pending record exists, otherwise just before the first document that needs
printing: a printer switched off overnight while nothing waits is nobody's problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from sellintegro.api import PluginContext
from sellintegro.baselinker import BaseLinkerClient
from sellintegro.baselinker.errors import BaseLinkerError, Cancelled
from sellintegro.fiscal import DocumentKind, FiscalError, PosnetPrinter, PrinterUnavailable
from sellintegro.fiscal.model import VatTable

from .alerts import Alerts
from .connection import open_printer
from .invoices import InvoiceSeries
from .ledger import Ledger, Printed, label_of, parse_key
from .preflight import Stop, not_ready, problem_code
from .printing import Fiscalized, Fiscalizer, Held, NotFiscalized, Refused, Result, Unsettled
from .receipts import ReceiptQueue
from .settings import FiscalSettings
from .texts import DECIDE, money, t, totals_text


class Source(Protocol):
    """Where documents come from (the receipt queue, the invoice series) and what follows their outcome."""

    kind: DocumentKind

    def fiscalized(self, doc_id: int, key: str, printed: Printed) -> None: ...

    def refused(self, doc_id: int, key: str, label: str, reason: str) -> None: ...


@dataclass
class Tally:
    printed: int = 0
    confirmed: int = 0
    refused: int = 0
    held: int = 0
    waiting: int = 0


class Cycle:
    def __init__(self, ctx: PluginContext, settings: FiscalSettings, printer: PosnetPrinter,
                 baselinker: BaseLinkerClient) -> None:
        self.ctx = ctx
        self.settings = settings
        self.printer = printer
        self.bl = baselinker
        self.ledger = Ledger(ctx.state)
        self.fiscalizer = Fiscalizer(printer, self.ledger)
        self.alerts = Alerts(ctx)
        self.tally = Tally()
        self.table: VatTable | None = None   # set once the printer may print in this cycle
        self.prepared = False
        self.receipts = ReceiptQueue(self)
        self.invoices = InvoiceSeries(self)

    @property
    def name(self) -> str:
        return self.settings.printer_name

    def run(self) -> None:
        started = time.monotonic()
        try:
            if self.ledger.pending():
                self.ready()  # settle them before anything else, even before BaseLinker is asked
            self.receipts.run()
            printer_failed = self.prepared and self.table is None
            if self.settings.invoice_series and not printer_failed and not self.ctx.cancelled.is_set():
                self.invoices.run()
        except Stop as stop:
            self.stopped(stop)
        except Cancelled:
            pass  # the worker is stopping; every record is consistent
        except BaseLinkerError as e:
            self.alerts.report("baselinker", type(e).__name__, "BaseLinker", t("bl.unreachable", reason=e))
        n = self.tally
        self.ctx.log.info("cycle: %d printed, %d confirmed in BaseLinker, %d refused, %d held for a person, "
                          "%d waiting for the printer (%.1f s)", n.printed, n.confirmed, n.refused, n.held, n.waiting,
                          time.monotonic() - started)

    def stopped(self, stop: Stop) -> None:
        self.table = None  # from here on: confirm receipts printed before, print nothing
        self.alerts.report("printer", stop.code, stop.subject or self.name, stop.message)

    def baselinker_ok(self) -> None:
        self.alerts.clear("baselinker", "BaseLinker", t("bl.ready"))

    # -- 1-3: the printer before anything prints --------------------------------------------------------------
    def ready(self) -> bool:
        """May a document be printed now? The first call in a cycle runs the preflight (steps 1-3)."""
        if not self.prepared:
            self.prepared = True
            try:
                self.prepare()
            except Stop as stop:
                self.stopped(stop)
        return self.table is not None

    def prepare(self) -> None:
        try:
            status = self.printer.status()
            problem = not_ready(status, self.name)
            if problem is not None:
                raise Stop(problem.code, problem.message)
            if status.paper_near_end:
                self.alerts.report("paper", "low", self.name, t("printer.paper_low", printer=self.name), "warning")
            else:
                self.alerts.clear("paper", self.name, None)
            table = self.printer.vat_table()
            self.settle_pending()
            if self.printer.cancel_open_transaction():
                self.ctx.journal.warning(self.name, t("printer.cancelled", printer=self.name))
        except FiscalError as e:
            raise self.printer_stop(e) from e
        self.alerts.clear("printer", self.name, t("printer.ready", printer=self.name))
        self.table = table

    def printer_stop(self, error: FiscalError) -> Stop:
        if isinstance(error, PrinterUnavailable):
            return Stop("conn", t("printer.unreachable", printer=self.name, address=self.settings.printer,
                                  reason=error.message()))
        return Stop(problem_code(error), t("printer.refuses", printer=self.name, reason=error.message()))

    def settle_pending(self) -> None:
        for effect in self.ledger.pending():
            kind, doc_id = parse_key(effect.key)
            source: Source = self.receipts if kind is DocumentKind.RECEIPT else self.invoices
            self.outcome(source, doc_id, effect.key, label_of(effect), self.fiscalizer.settle(effect))

    # -- what follows a document's outcome --------------------------------------------------------------------
    def outcome(self, source: Source, doc_id: int, key: str, label: str, result: Result) -> None:
        kind = t(f"kind.{source.kind.value}")
        if isinstance(result, Fiscalized):
            printed = result.printed
            number = "?" if printed.number is None else printed.number
            text = t(f"{source.kind.value}.printed", label=label, number=number, total=money(printed.total))
            if printed.how == "reconciled":
                text += t("found", how=t("how.reconciled"))
            self.ctx.journal.info(label, text)
            self.tally.printed += 1
            source.fiscalized(doc_id, key, printed)
        elif isinstance(result, Refused):
            self.tally.refused += 1
            source.refused(doc_id, key, label, result.reason)
        elif isinstance(result, Held):
            self.tally.held += 1
            marker = result.marker
            self.ctx.journal.error(label, t(
                f"{source.kind.value}.held", label=label, id=doc_id, reason=result.reason, printer=self.name,
                total=money(marker.total) if marker else "?", totals=totals_text(dict(marker.totals)) if marker
                else "?", time=time.strftime("%Y-%m-%d %H:%M", time.localtime(result.started_at)), decide=DECIDE,
                code=self.ctx.code))
        elif isinstance(result, NotFiscalized):
            if result.stop:
                raise Stop(result.code or "interrupted", t("printer.interrupted", kind=kind, label=label,
                                                           reason=result.reason))
            self.ctx.journal.info(label, t("not_fiscalized", kind=kind, label=label, reason=result.reason))
        elif isinstance(result, Unsettled):
            self.tally.waiting += 1
            raise Stop(result.code or "unsettled", t("still_unknown", kind=kind, label=label, reason=result.reason),
                       subject=label)


def run(ctx: PluginContext, printer: PosnetPrinter | None = None) -> None:
    """One cycle; `printer` replaces the one the settings describe (tests pass one with short timeouts)."""
    settings = FiscalSettings.from_settings(ctx.settings)
    own = printer is None
    if printer is None:
        printer = open_printer(settings.printer, baudrate=settings.baudrate, reply_timeout=settings.reply_timeout)
    try:
        Cycle(ctx, settings, printer, ctx.baselinker()).run()
    finally:
        if own:
            printer.close()
