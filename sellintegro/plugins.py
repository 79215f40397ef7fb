"""The plugin manager: built-in and third-party plugin types, all through the `sellintegro.plugins` group."""

from __future__ import annotations

import pluggy

from . import hookspecs
from .api import PluginType

GROUP = "sellintegro.plugins"


def _manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("sellintegro")
    pm.add_hookspecs(hookspecs)
    return pm


def load_types(name: str | None = None) -> dict[str, PluginType]:
    """Plugin types from installed entry points; with `name`, load only that entry point (a worker)."""
    pm = _manager()
    pm.load_setuptools_entrypoints(GROUP, name=name)
    # A misspelled hook implementation fails here, at start, not silently later.
    pm.check_pending()
    types: dict[str, PluginType] = {}

    def register(ptype: PluginType) -> None:
        if ptype.name in types:
            raise ValueError(f"plugin type {ptype.name!r} is registered twice")
        types[ptype.name] = ptype

    pm.hook.register_plugin_types(register=register)
    return types
