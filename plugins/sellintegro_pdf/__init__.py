"""The `pdf` plugin type: invoice PDFs from folders -> the BaseLinker invoice of their order.

Modules: settings.py (what it is configured with), watcher.py (watchdog, polling for network
shares), folders.py (folders present, listed, access checked), settle.py (when a file is complete),
reader.py (reading a complete file), pdfcheck.py (pypdf), names.py and erplink.py (file name ->
ERP document -> order), invoices.py (the order's BaseLinker invoice, issued when missing),
upload.py (exactly-once addOrderInvoiceFile), sent.py (after upload), cycle.py (the run),
checks.py (doctor), texts.py (PL/EN texts).
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


PLUGIN_TYPE = PluginType(
    name="pdf", run=run, settings=SETTINGS, checks=checks,
    description="invoice PDFs from local or network folders, attached to the BaseLinker invoice of their order")


@hookimpl
def register_plugin_types(register: Callable[..., None]) -> None:
    register(PLUGIN_TYPE)
