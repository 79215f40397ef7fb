"""The `orders` plugin type: BaseLinker orders -> Subiekt documents (ZK, FS or PA) -> statuses written back.

Modules: settings.py (what a user sets), cycle.py (one cycle, and why it is exactly once), reading.py
(pages of orders), mapping.py (an order -> a document, or the reason it cannot be one), catalog.py
(Subiekt's products, rates and warehouse for a cycle), batch.py (a page completed: statuses, then the
cursor), waiting.py (orders in a status not taken yet), statuses.py, report.py (the journal), texts.py
(PL/EN), checks.py (`sellintegro doctor`).
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


@hookimpl
def register_plugin_types(register: Callable[..., None]) -> None:
    register(PluginType(name="orders", run=run, settings=SETTINGS, checks=checks,
                        description="BaseLinker orders into Subiekt documents (ZK, FS or PA), statuses written back"))
