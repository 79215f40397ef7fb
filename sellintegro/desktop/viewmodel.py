"""The log viewer's model: the records it holds, the filters, the lines it shows, and export.

The viewer keeps the newest MAX_BUFFER records it received and shows the newest MAX_SHOWN that pass
the filters, so changing a filter re-draws at once from memory. Lines are the log files' own format
(`format_record`), so what is copied or exported reads, and parses, like the files.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from ..loghub import LEVELS, Record, format_record

MAX_BUFFER = 50_000
MAX_SHOWN = 10_000
ALL = ""            # the plugin filter's "every record"
ENDPOINT = "-"      # the plugin filter's "the endpoint's own records" (plugin None), as the files print it


@dataclass(frozen=True)
class Marker:
    """A line of the viewer's own (records rotated away, a reconnection), shown whatever the filters."""

    text: str


Item = Record | Marker


@dataclass(frozen=True)
class Filters:
    plugin: str = ALL
    level: str = "DEBUG"

    def __call__(self, item: Item) -> bool:
        if isinstance(item, Marker):
            return True
        if self.plugin == ENDPOINT and item.plugin is not None:
            return False
        if self.plugin not in (ALL, ENDPOINT) and item.plugin != self.plugin:
            return False
        return LEVELS.get(item.level, 40) >= LEVELS.get(self.level, 0)


def line(item: Item) -> str:
    """The text of one item, ending in a newline (a record may span several lines)."""
    if isinstance(item, Marker):
        return item.text + "\n"
    return format_record(item)


def tag(item: Item) -> str:
    """The Tk text tag that colours the item's lines."""
    return "marker" if isinstance(item, Marker) else "level_" + item.level


class LogBuffer:
    def __init__(self, size: int = MAX_BUFFER) -> None:
        self.items: deque[Item] = deque(maxlen=size)
        self.plugins: set[str] = set()

    def add(self, items: Iterable[Item]) -> None:
        for item in items:
            self.items.append(item)
            if isinstance(item, Record) and item.plugin:
                self.plugins.add(item.plugin)

    def visible(self, filters: Filters, limit: int = MAX_SHOWN) -> list[Item]:
        """The newest `limit` items that pass `filters`, oldest first."""
        out: list[Item] = []
        for item in reversed(self.items):
            if filters(item):
                out.append(item)
                if len(out) >= limit:
                    break
        out.reverse()
        return out

    def last_seq(self) -> int | None:
        for item in reversed(self.items):
            if isinstance(item, Record):
                return item.seq
        return None


def export_text(items: Iterable[Item]) -> str:
    """The records as the log files write them (markers left out: they describe the viewer, not the log)."""
    return "".join(format_record(i) for i in items if isinstance(i, Record))
