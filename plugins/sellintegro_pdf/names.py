"""From a file name to the ERP document number (and, with link = "pattern", the order id)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIX = ".pdf"


def is_pdf_name(name: str) -> bool:
    """A name the plugin looks at: `*.pdf` in any case, not a hidden or an office lock file."""
    return name.lower().endswith(SUFFIX) and not name.startswith((".", "~$")) and len(name) > len(SUFFIX)


@dataclass(frozen=True)
class FileName:
    stem: str
    number: str | None   # the document number as the name spells it, with "/" put back
    order: str | None    # the `order` group's text, as found


def parse(name: str, pattern: re.Pattern[str], slash: str) -> FileName | None:
    """Read `name` with `pattern` (matched in full against the name without .pdf); None if it does not match."""
    stem = name[:-len(SUFFIX)] if name.lower().endswith(SUFFIX) else name
    m = pattern.fullmatch(stem)
    if m is None:
        return None
    groups = m.groupdict()
    number = groups.get("number")
    order = groups.get("order")
    return FileName(stem, restore_slashes(number.strip(), slash) if number else None,
                    order.strip() if order else None)


def restore_slashes(number: str, slash: str) -> str:
    """Put "/" back where the file name has one of the `slash` characters."""
    for ch in slash:
        number = number.replace(ch, "/")
    return number


def order_id(value: str | None) -> int | None:
    """A BaseLinker order id, or None when `value` is not one."""
    if value is None or not value.isdigit() or not value.isascii():
        return None
    n = int(value)
    return n if n > 0 else None


def candidates(number: str) -> list[str]:
    """The document numbers to look for: as written, then in Subiekt GT's form "FS 12/A/2026".

    The second form forgives a name whose every separator became the slash character
    ("FS_12_2026.pdf" -> "FS/12/2026" -> "FS 12/2026"); the first form wins when both exist.
    """
    out = [number]
    tokens = [t for t in re.split(r"[\s/]+", number) if t]
    if len(tokens) >= 3:
        gt = f"{tokens[0]} {'/'.join(tokens[1:])}"
        if gt not in out:
            out.append(gt)
    return out
