"""Opening the endpoint's own SQLite files (the journal, plugin state) in WAL mode, from many processes at once.

Several processes may open one file for the first time together: every worker opens the journal as it
starts. Switching a new file to WAL and creating its tables take locks for which SQLite may answer
"database is locked" at once, without waiting its busy timeout (it does so to avoid a deadlock between
two connections that both hold a read lock and want to write). Those steps are repeated here until they
succeed or the timeout has passed; the busy timeout covers every later statement.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def open_wal(path: Path, *, timeout: float, synchronous: str, schema: str) -> sqlite3.Connection:
    """An autocommit connection to `path` in WAL mode, with `schema` (idempotent DDL) applied."""
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={synchronous}")
            db.executescript(schema)
            return db
        except sqlite3.OperationalError as e:
            if not _is_busy(e) or time.monotonic() >= deadline:
                db.close()
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


def _is_busy(e: sqlite3.OperationalError) -> bool:
    return (e.sqlite_errorcode & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
