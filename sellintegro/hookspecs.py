"""The hooks a plugin module may implement (pluggy)."""

from __future__ import annotations

from collections.abc import Callable

import pluggy

hookspec = pluggy.HookspecMarker("sellintegro")
hookimpl = pluggy.HookimplMarker("sellintegro")


@hookspec
def register_plugin_types(register: Callable[..., None]) -> None:
    """Register plugin types: call register(PluginType(...)) once for each type this module provides."""
