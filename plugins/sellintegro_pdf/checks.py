"""The pdf plugin's lines in `sellintegro doctor`, checked as the account the plugin runs under."""

from __future__ import annotations

from sellintegro.api import Check, PluginContext
from sellintegro.baselinker import BaseLinkerError
from sellintegro.erp.errors import ErpError

from . import erplink
from .folders import account, check_access
from .settings import PdfSettings
from .texts import text
from .watcher import watch_mode


def checks(ctx: PluginContext) -> list[Check]:
    s = PdfSettings.read(ctx.settings)
    out: list[Check] = []
    problems = s.problems()
    if problems:
        out.append(Check(text("pdf.check.config"), "error", "; ".join(problems)))
    user = account()
    sent = s.sent_folder if s.after_upload == "move" else None
    for folder in s.folders:
        name = text("pdf.check.folder", folder=folder)
        found = check_access(folder, sent)
        if found:
            why = "; ".join(f"{text('pdf.can.' + p.what, sent=s.sent_folder)}: {p.reason}" for p in found)
            out.append(Check(name, "error", text("pdf.check.folder_bad", user=user, what=why),
                             text("pdf.check.folder_fix", user=user)))
        else:
            sent_note = text("pdf.check.sent_ok", sent=sent) if sent else ""
            out.append(Check(name, "ok", text("pdf.check.folder_ok", user=user, sent=sent_note,
                                              how=watch_mode(s.watch, folder))))
    if s.link == "erp" and s.erp:
        out.append(_erp_check(ctx))
    out.append(_series_check(ctx, s))
    return out


def _erp_check(ctx: PluginContext) -> Check:
    name = text("pdf.check.erp")
    try:
        erp = ctx.erp()
        erplink.find_documents(erp, ["sellintegro doctor"])
    except ErpError as e:
        return Check(name, "error", str(e), text("pdf.check.erp_fix"))
    return Check(name, "ok", text("pdf.check.erp_ok", target=erp.db.connector.describe()))


def _series_check(ctx: PluginContext, s: PdfSettings) -> Check:
    name = text("pdf.check.series")
    try:
        series = [x for x in ctx.baselinker().get_series() if x.type == "INVOICE"]
    except BaseLinkerError as e:
        return Check(name, "error", text("pdf.check.baselinker_down", reason=e))
    choices = ", ".join(f'{x.id} "{x.name}"' for x in series) or text("pdf.none")
    if s.invoice_series is None:
        return Check(name, "warning", text("pdf.check.series_unset"),
                     text("pdf.check.no_invoice_fix", order="…", series=choices))
    match = next((x for x in series if x.id == s.invoice_series), None)
    if match is None:
        return Check(name, "error", text("pdf.check.series_bad", series=s.invoice_series),
                     text("pdf.check.series_fix", choices=choices))
    return Check(name, "ok", text("pdf.check.series_ok", series=match.id, name=match.name))
