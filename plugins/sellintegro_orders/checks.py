"""`sellintegro doctor` for an `orders` plugin: BaseLinker and its statuses, Subiekt and its VAT rates."""

from __future__ import annotations

from decimal import Decimal

from sellintegro.api import Check, PluginContext
from sellintegro.baselinker import BaseLinkerError
from sellintegro.baselinker.models import VAT_NP, VAT_OO, VAT_ZW
from sellintegro.erp import ErpError
from sellintegro.erp.sqlerp import SqlErp

from . import statuses, texts
from .catalog import Catalog, SetupProblem
from .settings import OrdersSettings

# The rates BaseLinker sends: the Polish percentages and the three codes.
BASELINKER_RATES = (("23", Decimal(23)), ("8", Decimal(8)), ("5", Decimal(5)), ("0", Decimal(0)), ("ZW", VAT_ZW),
                    ("NP", VAT_NP), ("OO", VAT_OO))


def checks(ctx: PluginContext) -> list[Check]:
    settings = OrdersSettings.from_settings(ctx.settings)
    return [*_baselinker(ctx, settings), *_erp(ctx, settings)]


def _baselinker(ctx: PluginContext, settings: OrdersSettings) -> list[Check]:
    client = ctx.baselinker()
    try:
        known = statuses.account_statuses(client, ctx.code, refresh=True)
    except BaseLinkerError as e:
        return [Check(texts.t("check.name.bl"), "error", str(e), texts.t("check.bl_fix"))]
    out = [Check(texts.t("check.name.bl"), "ok", texts.t("check.bl_ok", count=len(known)))]
    try:
        resolved = statuses.resolve(client, ctx.code, settings)
    except (SetupProblem, BaseLinkerError) as e:
        out.append(Check(texts.t("check.name.statuses"), "error", str(e), texts.t("check.statuses_fix")))
    else:
        shown = [f"{resolved.name(s)}" for s in sorted(resolved.taken)] or [texts.t("every_status")]
        shown += [f"→ {resolved.name(s)}" for s in (resolved.ok, resolved.error) if s is not None]
        out.append(Check(texts.t("check.name.statuses"), "ok", texts.t("check.statuses_ok", statuses=", ".join(shown))))
    return out


def _erp(ctx: PluginContext, settings: OrdersSettings) -> list[Check]:
    erp = ctx.erp()
    try:
        problems = erp.verify() if isinstance(erp, SqlErp) else []
        if problems:
            return [Check(texts.t("check.name.erp"), "error", "; ".join(problems), texts.t("check.erp_fix"))]
        out = [Check(texts.t("check.name.erp"), "ok", texts.t("check.erp_ok"))]
        try:
            catalog = Catalog(erp, settings)
        except SetupProblem as e:
            return [*out, Check(texts.t("check.name.setup"), "error", str(e), texts.t("check.setup_fix"))]
        warehouse = settings.warehouse or texts.t("main_warehouse")
        out.append(Check(texts.t("check.name.setup"), "ok", texts.t("check.setup_ok", warehouse=warehouse,
                                                         document=settings.document_type,
                                                         series=settings.series or texts.t("default_series"))))
        found = {label: catalog.vat(rate) for label, rate in BASELINKER_RATES}
        missing = [label for label, rate in found.items() if rate is None]
        if missing:
            out.append(Check(texts.t("check.name.vat"), "warning",
                             texts.t("check.vat_missing", rates=", ".join(missing)), texts.t("check.vat_fix")))
        else:
            mapped = ", ".join(f"{label} → {rate.symbol}" for label, rate in found.items() if rate is not None)
            out.append(Check(texts.t("check.name.vat"), "ok", texts.t("check.vat_ok", rates=mapped)))
        return out
    except ErpError as e:
        return [Check(texts.t("check.name.erp"), "error", str(e), texts.t("check.erp_fix"))]
    finally:
        erp.close()

