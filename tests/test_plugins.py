"""The plugin manager: plugin types come from the entry-point group, built-in ones included."""

from __future__ import annotations

from sellintegro.plugins import load_types


def test_register_plugin_types_registers_the_builtin_probe_through_its_entry_point() -> None:
    types = load_types()
    assert "probe" in types
    assert {s.name for s in types["probe"].settings} >= {"tick_ms", "crash_after_s", "hang_after_s", "burst"}
    assert load_types(name="probe").keys() == {"probe"}
    assert load_types(name="no-such-type") == {}
