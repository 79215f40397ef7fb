"""Every hook has a test (as datasette requires): a new hook without one fails here."""

from __future__ import annotations

import inspect
from pathlib import Path

from sellintegro import hookspecs

TESTS = Path(__file__).parent


def hook_names() -> list[str]:
    return [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(fn, "sellintegro_spec")]


def test_every_hook_is_named_in_some_test_other_than_this_one() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py")
                        if p.name != Path(__file__).name)
    missing = [name for name in hook_names() if name not in sources]
    assert hook_names(), "no hooks found: the spec marker changed?"
    assert missing == [], f"hooks without a test: {missing}"

