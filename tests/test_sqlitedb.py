"""Opening the endpoint's SQLite files in WAL mode while another connection (another worker) writes them."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sellintegro.journal import Journal
from sellintegro.sqlitedb import open_wal
from sellintegro.state import StateStore

_SCHEMA = "CREATE TABLE IF NOT EXISTS t (a INTEGER);"


@contextmanager
def writer_holding_the_file(path: Path, seconds: float) -> Iterator[None]:
    """A connection in rollback-journal mode that is in the middle of a write for `seconds`.

    SQLite answers "database is locked" at once (without waiting its busy timeout) to a connection
    that then asks to switch the file to WAL: the case two workers opening a new file together meet.
    """
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE IF NOT EXISTS t (a INTEGER)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    timer = threading.Timer(seconds, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        yield
    finally:
        timer.join()
        other.close()


def test_plain_sqlite_gives_up_at_once_on_a_file_being_written(tmp_path: Path) -> None:
    """The premise of open_wal: without it, the busy timeout does not help here."""
    path = tmp_path / "x.sqlite3"
    with writer_holding_the_file(path, 0.5):
        db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            db.execute("PRAGMA journal_mode=WAL")  # had it waited, the writer would have finished
        db.close()


def test_open_wal_waits_for_the_writer_and_then_switches_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    with writer_holding_the_file(path, 0.3):
        db = open_wal(path, timeout=5.0, synchronous="FULL", schema=_SCHEMA)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert db.execute("SELECT a FROM t").fetchall() == [(1,)]  # the writer's row, committed before we went on
    db.close()


def test_open_wal_gives_up_after_its_timeout(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    with writer_holding_the_file(path, 2.0):
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            open_wal(path, timeout=0.3, synchronous="NORMAL", schema=_SCHEMA)
        assert time.monotonic() - started >= 0.3  # it tried for its timeout, not once


def test_open_wal_raises_other_errors_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        open_wal(tmp_path / "no such folder" / "x.sqlite3", timeout=60.0, synchronous="NORMAL", schema=_SCHEMA)
    with pytest.raises(sqlite3.OperationalError, match="syntax error"):
        open_wal(tmp_path / "y.sqlite3", timeout=60.0, synchronous="NORMAL", schema="CREATE TABLE (")
    assert time.monotonic() - started < 30.0  # not retried until the timeout


def test_the_journal_and_the_state_store_open_a_file_another_connection_is_writing(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    with writer_holding_the_file(tmp_path / "journal.sqlite3", 0.3):
        journal = Journal(tmp_path)
    journal.write("ORD", "info", "order 1", "done")
    assert [e.message for e in journal.query()] == ["done"]
    journal.close()
    with writer_holding_the_file(tmp_path / "state" / "FIS.sqlite3", 0.3):
        store = StateStore(tmp_path, "FIS")
    assert store.begin("receipt:1").status == "pending"
    store.close()
