"""Declared settings and their validation: one mechanism for endpoint, plugin and plugin-type settings."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem

_TYPE_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


@dataclass(frozen=True)
class Setting:
    """One key: its type, default, limits and whether it is a secret (never logged)."""

    name: str
    type: type
    default: Any = None
    required: bool = False
    secret: bool = False
    help: str = ""
    choices: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    item_type: builtins.type | None = None
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)


def _type_ok(value: Any, expected: type) -> bool:
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def validate(table: Mapping[str, Any], settings: list[Setting], path: str, where: str,
             problems: list[Problem]) -> dict[str, Any]:
    """Check `table` against `settings`; append problems naming `where.key`; return values with defaults."""
    known = {s.name: s for s in settings}
    out: dict[str, Any] = {}
    for key in table:
        if key not in known:
            hint = ", ".join(sorted(known)) or "none"
            problems.append(Problem(path, f"{where}.{key}", f"unknown key (known keys: {hint})"))
    for s in settings:
        key = f"{where}.{s.name}"
        # A refused value leaves the default in place, so later checks still see every key.
        out[s.name] = s.default
        if s.name not in table:
            if s.required:
                problems.append(Problem(path, key, "missing; this key is required"))
            continue
        value = table[s.name]
        shown = "(secret)" if s.secret else _describe(value)
        if not _type_ok(value, s.type):
            problems.append(Problem(path, key, f"must be {_TYPE_NAMES.get(s.type, s.type.__name__)}, "
                                               f"not {shown}"))
            continue
        if s.item_type is not None and isinstance(value, list):
            bad = [v for v in value if not _type_ok(v, s.item_type)]
            if bad:
                problems.append(Problem(path, key, f"every item must be "
                                                   f"{_TYPE_NAMES.get(s.item_type, s.item_type.__name__)}, "
                                                   f"not {_describe(bad[0])}"))
                continue
        if s.choices and value not in s.choices:
            allowed = ", ".join(repr(c) for c in s.choices)
            problems.append(Problem(path, key, f"must be one of {allowed}, not {shown}"))
            continue
        if s.min is not None and value < s.min:
            problems.append(Problem(path, key, f"must be at least {s.min:g}, not {value}"))
            continue
        if s.max is not None and value > s.max:
            problems.append(Problem(path, key, f"must be at most {s.max:g}, not {value}"))
            continue
        if s.check is not None:
            reason = s.check(value)
            if reason:
                problems.append(Problem(path, key, reason))
                continue
        out[s.name] = float(value) if s.type is float else value
    return out
