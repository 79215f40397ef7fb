"""Reading BaseLinker's loosely typed fields: numbers as strings, flags as "0"/"1", "" for nothing.

The API sends the same field as 12, 12.5, "12.50" or "" depending on the record's history
(reference/baselinker-api.md, "Loose typing"). Every reader accepts all of them and raises ValueError
for a value that is not what the field holds; money is always Decimal, never float.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def as_str(value: Any) -> str:
    """Text; None becomes ""; numbers keep their usual spelling (12, not 12.0 for an int)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_decimal(value: Any, default: Decimal = Decimal(0)) -> Decimal:
    """An amount; "" and None give `default`; a float is read through its shortest repr (12.3, not 12.2999...)."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace(",", ".")
        if text == "":
            return default
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
        if not result.is_finite():
            raise ValueError(f"{value!r} is not a number")
        return result
    raise ValueError(f"{value!r} is not a number")


def as_int(value: Any, default: int = 0) -> int:
    """A whole number; "" and None give `default`; "12", 12.0 and "12.0" are all 12."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    number = as_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def as_bool(value: Any) -> bool:
    """A flag: true/false, 1/0, "1"/"0", "true"/"false"; "" and None are false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"{value!r} is not a flag")
