"""Which files are complete: the files seen in the folders, each ready once it stopped changing.

A file's *version* is its (size, modification time). A version is ready once it stayed the same for
`settle` seconds (checked again with a fresh stat when that time is up, so a writer that pauses
without an event is still caught). What happened to a version (done, skipped, journaled) is kept
until the version changes: a file rewritten with new content is looked at again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Candidate:
    path: Path
    folder: str
    size: int
    mtime_ns: int
    since: float             # clock time this version was first seen
    fresh: bool              # appeared or changed after its folder's first scan in this worker run
    not_before: float = 0.0  # not looked at again before this clock time
    handled: bool = False    # this version is dealt with: not looked at until it changes
    writing: bool = False    # its writer still holds it or has not finished it
    told: set[str] = field(default_factory=set)  # journal entries already written about this version

    def _reset(self, size: int, mtime_ns: int, now: float) -> None:
        self.size, self.mtime_ns, self.since = size, mtime_ns, now
        self.fresh, self.not_before, self.handled, self.writing = True, 0.0, False, False
        self.told.clear()


def _version(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns); None when the file is gone. A file that cannot even be stat'ed keeps (-1, -1),
    so that reading it reports why."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


class Tracker:
    def __init__(self, settle: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.settle = settle
        self.clock = clock
        self.items: dict[Path, Candidate] = {}

    def see(self, path: Path, folder: str, fresh: bool = True) -> None:
        """Note that `path` exists (or changed, or went away)."""
        version = _version(path)
        c = self.items.get(path)
        if version is None:
            self.items.pop(path, None)
            return
        now = self.clock()
        if c is None:
            self.items[path] = Candidate(path, folder, version[0], version[1], now, fresh)
        elif (c.size, c.mtime_ns) != version:
            c._reset(*version, now)

    def seen_only(self, folder: str, present: Iterable[Path]) -> None:
        """A full listing of `folder`: forget what it no longer holds."""
        keep = set(present)
        for path in [p for p, c in self.items.items() if c.folder == folder and p not in keep]:
            del self.items[path]

    def forget(self, path: Path) -> None:
        self.items.pop(path, None)

    def drop_folder(self, folder: str) -> None:
        for path in [p for p, c in self.items.items() if c.folder == folder]:
            del self.items[path]

    def due(self) -> list[Candidate]:
        """Versions that stayed the same for `settle` seconds and wait for nothing else, oldest first."""
        now = self.clock()
        out = []
        for c in sorted(self.items.values(), key=lambda c: c.since):
            if c.handled or c.not_before > now or c.since + self.settle > now:
                continue
            version = _version(c.path)
            if version is None:
                self.items.pop(c.path, None)
            elif version != (c.size, c.mtime_ns):
                c._reset(*version, now)
            else:
                out.append(c)
        return out

    def changed(self, c: Candidate) -> None:
        """It changed under the reader: start its settling time again."""
        version = _version(c.path)
        if version is None:
            self.items.pop(c.path, None)
        else:
            c._reset(*version, self.clock())

    def next_due(self) -> float | None:
        """The clock time something may become due, or None when nothing waits."""
        times = [max(c.since + self.settle, c.not_before) for c in self.items.values() if not c.handled]
        return min(times, default=None)

    def settling(self) -> bool:
        """Whether a file is still being written (changed within the settling time, or held by its writer)."""
        now = self.clock()
        return any(not c.handled and (c.writing or c.since + self.settle > now) for c in self.items.values())
