"""`sellintegro doctor` for the `fiscal` plugin: the printer, its VAT table, the BaseLinker series, held documents.

Read-only: status queries only (`!sprn`, `!sdev`, `scomm`, `vatget`, `sid`); nothing is printed or cancelled.
"""

from __future__ import annotations

from decimal import Decimal

from sellintegro.api import Check, PluginContext
from sellintegro.baselinker.errors import BaseLinkerError
from sellintegro.fiscal import EXEMPT, FiscalError, PosnetPrinter

from .connection import open_printer
from .ledger import Ledger, label_of
from .preflight import not_ready
from .settings import FiscalSettings
from .texts import DECIDE, t

# The rates a Polish shop sells at; a printer lacking one refuses lines with it.
USUAL_RATES = (Decimal(23), Decimal(8), Decimal(5), Decimal(0), EXEMPT)


def checks(ctx: PluginContext, printer: PosnetPrinter | None = None) -> list[Check]:
    settings = FiscalSettings.from_settings(ctx.settings)
    own = printer is None
    if printer is None:
        printer = open_printer(settings.printer, baudrate=settings.baudrate, reply_timeout=settings.reply_timeout)
    try:
        found = printer_checks(printer, settings)
    finally:
        if own:
            printer.close()
    return found + series_checks(ctx, settings) + [held_check(ctx)]


def printer_checks(printer: PosnetPrinter, settings: FiscalSettings) -> list[Check]:
    name = t("check.printer", printer=settings.printer_name)
    address = str(settings.printer)
    try:
        status = printer.status()
    except FiscalError as e:
        return [Check(name, "error", e.message(), t("check.printer.unreachable_fix", address=address))]
    problem = not_ready(status, settings.printer_name)
    if problem is not None:
        fix = t("check.printer.fix_service") if problem.service else t("check.printer.fix_mechanism")
        return [Check(name, "error", problem.message, fix)]
    found: list[Check] = []
    if status.transaction_open:
        found.append(Check(name, "warning", t("check.printer.open_tx"), t("check.printer.open_tx_fix")))
    elif status.paper_near_end:
        found.append(Check(name, "warning", t("printer.paper_low", printer=settings.printer_name)))
    else:
        try:
            model = printer.link.call("sid").get("nm") or "POSNET"
        except FiscalError:
            model = "POSNET"
        found.append(Check(name, "ok", t("check.printer.ok", model=model, address=address)))
    try:
        table = printer.vat_table()
    except FiscalError as e:
        return [*found, Check(t("check.vat"), "error", e.message(), t("check.printer.unreachable_fix",
                                                                       address=address))]
    missing = [rate for rate in USUAL_RATES if table.letter_for(rate) is None]
    if missing:
        shown = ", ".join("zw" if r == EXEMPT else f"{r}%" for r in missing)
        found.append(Check(t("check.vat"), "warning", t("check.vat.missing", table=table.describe(), missing=shown),
                           t("check.vat.fix")))
    else:
        found.append(Check(t("check.vat"), "ok", t("check.vat.ok", table=table.describe())))
    return found


def series_checks(ctx: PluginContext, settings: FiscalSettings) -> list[Check]:
    wanted = [("receipt_series", settings.receipt_series, "RECEIPT", t("kind.receipt"))]
    if settings.invoice_series:
        wanted.append(("invoice_series", settings.invoice_series, "INVOICE", t("kind.invoice")))
    try:
        series = {s.id: s for s in ctx.baselinker().get_series()}
    except BaseLinkerError as e:
        return [Check(t("check.series", kind=kind, id=sid), "error", t("check.bl.error", reason=e), t("check.bl.fix"))
                for _setting, sid, _type, kind in wanted]
    found = []
    for setting, sid, expected, kind in wanted:
        name = t("check.series", kind=kind, id=sid)
        fix = t("check.series.fix", setting=setting, expected=expected)
        s = series.get(sid)
        if s is None:
            known = ", ".join(f"{x.id} {x.name} ({x.type})" for x in series.values()) or "-"
            found.append(Check(name, "error", t("check.series.missing", id=sid, known=known), fix))
        elif s.type != expected:
            found.append(Check(name, "error", t("check.series.wrong", id=sid, name=s.name, type=s.type,
                                                expected=expected), fix))
        else:
            found.append(Check(name, "ok", t("check.series.ok", name=s.name, type=s.type)))
    return found


def held_check(ctx: PluginContext) -> Check:
    ledger = Ledger(ctx.state)
    held = ledger.held_records()
    pending = ledger.pending()
    name = t("check.held")
    fix = t("check.held.fix", decide=DECIDE, code=ctx.code)
    if held:
        items = ", ".join(f"{label_of(e)} ({e.key})" for e in held)
        return Check(name, "warning", t("check.held.some", held=items), fix)
    if pending:
        items = ", ".join(f"{label_of(e)} ({e.key})" for e in pending)
        return Check(name, "warning", t("check.held.pending", count=len(pending), items=items))
    return Check(name, "ok", t("check.held.none"))
