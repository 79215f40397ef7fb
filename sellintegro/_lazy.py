"""Package attributes imported on first use, so that importing a package for one name stays cheap.

The supervisor imports every plugin type's settings, which name things in sellintegro.baselinker,
.erp and .fiscal; without this, it would also load httpx, the ODBC layer and the printer driver it
never uses, and its idle memory would grow by a third.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module-level __getattr__ for `package` that imports names[attr] (a submodule) on first use."""

    def __getattr__(attr: str) -> Any:
        module = names.get(attr)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {attr!r}")
        return getattr(importlib.import_module(module, package), attr)

    return __getattr__
