"""A plugin's durable state: cursors, and idempotency records for every external effect.

One SQLite file per plugin (`<data_dir>/state/<CODE>.sqlite3`), so plugins never wait on each other.
An effect's record moves pending -> done | failed | held:
- pending: the effect was started and its outcome is not known yet (a crash in between leaves it so;
  the plugin must find out what happened before it tries again: ask the ERP or the printer);
- done: it happened; `result` says what came of it (a document number, a fiscal number);
- failed: it did not happen and may be tried again;
- held: the outcome cannot be known; a person must decide (never guessed by repeating it).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sellintegro.sqlitedb import open_wal

STATUSES = ("pending", "done", "failed", "held")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cursors (
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS effects (
    key      TEXT PRIMARY KEY,
    status   TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'held')),
    result   TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created  REAL NOT NULL,
    updated  REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS effects_status ON effects (status);
"""


@dataclass(frozen=True)
class Effect:
    key: str
    status: str
    result: Any
    attempts: int
    created: float
    updated: float


class StateStore:
    def __init__(self, data_dir: Path, code: str) -> None:
        folder = data_dir / "state"
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{code}.sqlite3"
        # Autocommit: every call below is its own committed transaction (or an explicit one).
        # synchronous=FULL: an effect record must survive a power cut.
        self.db = open_wal(self.path, timeout=30.0, synchronous="FULL", schema=_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- cursors -------------------------------------------------------------------------------------------
    def get_cursor(self, name: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM cursors WHERE name = ?", (name,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_cursor(self, name: str, value: Any) -> None:
        """Advance a cursor; call it only after the effects it covers are committed (and recorded done)."""
        self.db.execute("INSERT INTO cursors (name, value, updated) VALUES (?, ?, ?) "
                        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                        (name, json.dumps(value), time.time()))

    # -- idempotency records --------------------------------------------------------------------------------
    def effect(self, key: str) -> Effect | None:
        row = self.db.execute("SELECT key, status, result, attempts, created, updated FROM effects WHERE key = ?",
                              (key,)).fetchone()
        return None if row is None else Effect(row[0], row[1], _load(row[2]), row[3], row[4], row[5])

    def begin(self, key: str) -> Effect:
        """Claim `key` before the effect: a new or failed key becomes pending (attempts + 1) and is returned.

        An existing done, held or pending record is returned unchanged: the caller must not repeat a done
        effect, must leave a held one to a person, and must find out the outcome of a pending one first.
        """
        now = time.time()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            row = self.db.execute("SELECT status FROM effects WHERE key = ?", (key,)).fetchone()
            if row is None:
                self.db.execute("INSERT INTO effects (key, status, attempts, created, updated) "
                                "VALUES (?, 'pending', 1, ?, ?)", (key, now, now))
            elif row[0] == "failed":
                self.db.execute("UPDATE effects SET status = 'pending', attempts = attempts + 1, updated = ? "
                                "WHERE key = ?", (now, key))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        effect = self.effect(key)
        assert effect is not None
        return effect

    def annotate(self, key: str, note: Any) -> None:
        """Keep what a pending effect will need to find out its outcome after a crash (e.g. a printer's
        counters before the receipt); stored as the record's result until finish() replaces it."""
        cur = self.db.execute("UPDATE effects SET result = ?, updated = ? WHERE key = ? AND status = 'pending'",
                              (json.dumps(note), time.time(), key))
        if cur.rowcount != 1:
            raise KeyError(f"no pending effect {key!r}")

    def finish(self, key: str, status: str, result: Any = None) -> None:
        """Record the outcome of a begun effect: done (with its result), failed, or held for a person."""
        if status not in ("done", "failed", "held"):
            raise ValueError(f"an effect ends done, failed or held, not {status!r}")
        cur = self.db.execute("UPDATE effects SET status = ?, result = ?, updated = ? WHERE key = ?",
                              (status, json.dumps(result), time.time(), key))
        if cur.rowcount != 1:
            raise KeyError(f"no effect {key!r} was begun")

    def effects(self, status: str | None = None) -> list[Effect]:
        sql = "SELECT key, status, result, attempts, created, updated FROM effects"
        rows = (self.db.execute(sql + " WHERE status = ? ORDER BY created", (status,)) if status
                else self.db.execute(sql + " ORDER BY created")).fetchall()
        return [Effect(r[0], r[1], _load(r[2]), r[3], r[4], r[5]) for r in rows]


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)
