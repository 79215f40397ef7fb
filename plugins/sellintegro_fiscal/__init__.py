"""The `fiscal` plugin type: BaseLinker receipts (and FS invoices) -> POSNET fiscal printer -> setOrderReceipt.

Modules: settings.py (declared settings), connection.py (the `printer` address), cycle.py (one cycle:
preflight, settle, print, confirm), receipts.py (the getNewReceipts queue), invoices.py (an invoice
series printed as printer invoices), documents.py (BaseLinker records -> printer documents),
printing.py + ledger.py (never twice: one idempotency record per document, settled by asking the
printer), preflight.py (can the printer print), alerts.py (printer / BaseLinker problems journaled
once), checks.py (`sellintegro doctor`), decide.py (a person's decision on a held document),
texts.py (PL/EN).
"""

from __future__ import annotations

from collections.abc import Callable

from sellintegro.api import Check, PluginContext, PluginType
from sellintegro.hookspecs import hookimpl

from .settings import SETTINGS


def run(ctx: PluginContext) -> None:
    # Imported here: the supervisor loads this module for the settings only, not the cycle's libraries.
    from .cycle import run as cycle

    cycle(ctx)


def checks(ctx: PluginContext) -> list[Check]:
    from .checks import checks as plugin_checks

    return plugin_checks(ctx)


FISCAL = PluginType(
    name="fiscal", run=run, settings=SETTINGS, checks=checks,
    description="BaseLinker receipts (and FS invoices) printed once on a POSNET fiscal printer, numbers sent back")


@hookimpl
def register_plugin_types(register: Callable[..., None]) -> None:
    register(FISCAL)
