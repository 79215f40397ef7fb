"""The journal ("dziennik"): the durable business record a shop owner reads, per plugin.

Each worker writes its own entries straight into one SQLite file in the data directory (WAL mode, so
several worker processes and readers share it), so an entry is on disk before the plugin moves on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sellintegro.sqlitedb import open_wal

JOURNAL_FILE = "journal.sqlite3"
LEVELS = ("info", "warning", "error")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    time    REAL NOT NULL,
    plugin  TEXT NOT NULL,
    level   TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    subject TEXT,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_plugin_time ON journal (plugin, time);
CREATE INDEX IF NOT EXISTS journal_time ON journal (time);
"""


@dataclass(frozen=True)
class Entry:
    id: int
    time: float
    plugin: str
    level: str
    subject: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "time": self.time,
                "time_text": datetime.fromtimestamp(self.time).isoformat(timespec="seconds"),
                "plugin": self.plugin, "level": self.level, "subject": self.subject, "message": self.message}


class Journal:
    def __init__(self, data_dir: Path, redact: Callable[[str], str] = lambda s: s) -> None:
        self.path = data_dir / JOURNAL_FILE
        self.redact = redact
        self.db = open_wal(self.path, timeout=10.0, synchronous="NORMAL", schema=_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def write(self, plugin: str, level: str, subject: str | None, message: str, when: float | None = None) -> int:
        """Store one entry (committed on return); the subject and message are redacted first."""
        if level not in LEVELS:
            raise ValueError(f"journal level must be one of {', '.join(LEVELS)}, not {level!r}")
        cur = self.db.execute(
            "INSERT INTO journal (time, plugin, level, subject, message) VALUES (?, ?, ?, ?, ?)",
            (time.time() if when is None else when, plugin, level,
             None if subject is None else self.redact(str(subject)), self.redact(str(message))))
        return int(cur.lastrowid or 0)

    def query(self, plugin: str | None = None, since: float | None = None, level: str | None = None,
              subject: str | None = None, limit: int | None = None) -> list[Entry]:
        """Entries, oldest first; `level` is the minimum level; `limit` keeps the newest N."""
        where: list[str] = []
        args: list[Any] = []
        if plugin:
            where.append("plugin = ?")
            args.append(plugin)
        if since is not None:
            where.append("time >= ?")
            args.append(since)
        if level:
            wanted = LEVELS[LEVELS.index(level):]
            where.append(f"level IN ({','.join('?' * len(wanted))})")
            args.extend(wanted)
        if subject:
            where.append("subject = ?")
            args.append(subject)
        sql = "SELECT id, time, plugin, level, subject, message FROM journal"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self.db.execute(sql, args).fetchall()
        return [Entry(*row) for row in reversed(rows)]

    def prune(self, max_age_days: float, max_entries: int, now: float | None = None) -> int:
        """Delete entries older than `max_age_days` and all but the newest `max_entries`; return how many."""
        now = time.time() if now is None else now
        cur = self.db.execute("DELETE FROM journal WHERE time < ?", (now - max_age_days * 86400,))
        removed = cur.rowcount
        cur = self.db.execute("DELETE FROM journal WHERE id <= (SELECT id FROM journal ORDER BY id DESC "
                              "LIMIT 1 OFFSET ?)", (max_entries,))
        return removed + cur.rowcount


_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """'2h', '3d', '30m' (ago), or an ISO date/time ('2026-12-01', '2026-12-01T08:00') -> epoch seconds."""
    now = time.time() if now is None else now
    m = _RELATIVE.match(text)
    if m:
        return now - float(m.group(1)) * _UNITS[m.group(2)]
    try:
        return datetime.fromisoformat(text.strip()).timestamp()
    except ValueError:
        raise ValueError(f'--since: "{text}" is neither a duration like 2h, 3d, 30m nor a date like '
                         "2026-12-01 or 2026-12-01T08:00") from None
