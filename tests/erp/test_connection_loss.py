"""A connection lost in the middle of a document: nothing half-written, and the next call reconnects.

The loss is real: PostgreSQL's `pg_terminate_backend` ends the writer's server process while the
writer, header already inserted, waits for a lock on dok_Pozycja that the test holds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from sellintegro.erp import ErpUnavailable, SqlErp, WriteResult, sim

from ..conftest import wait_for
from .conftest import Backend, count, counters, pg_exec, pyodbc_or_skip, rows
from .samples import mixed_order

KEY = "BL-LOST-1"


@pytest.fixture
def pg(pg_database: str) -> Iterator[Backend]:
    sim.create(pg_database)
    b = Backend("odbc-postgresql", pg_database)
    try:
        yield b
    finally:
        b.close_all()


def _backend_pid(erp: SqlErp) -> int:
    return int(rows(erp, "SELECT pg_backend_pid()")[0][0])


class _Writer(threading.Thread):
    """write_document in a thread, keeping its result or its exception."""

    def __init__(self, erp: SqlErp, request: Any) -> None:
        super().__init__(daemon=True)
        self.erp, self.request = erp, request
        self.result: WriteResult | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.erp.write_document(self.request)
        except BaseException as e:  # handed to the test, which asserts on it
            self.error = e


def _kill_mid_document(pg: Backend, erp: SqlErp) -> _Writer:
    """Start a write, wait until its header is in and it waits for the lines' table, kill its backend."""
    pyodbc = pyodbc_or_skip("PostgreSQL Unicode", "SELLINTEGRO_REQUIRE_PG")
    request = mixed_order(erp, KEY)
    victim = _backend_pid(erp)
    locker = pyodbc.connect(pg.target, autocommit=False)
    monitor = pyodbc.connect(pg.target, autocommit=True)
    try:
        pg_exec(locker, "LOCK TABLE dok_Pozycja IN ACCESS EXCLUSIVE MODE")
        writer = _Writer(erp, request)
        writer.start()

        def blocked_on_lines() -> bool:
            activity = pg_exec(monitor, "SELECT wait_event_type, query FROM pg_stat_activity WHERE pid = ?", victim)
            return bool(activity) and activity[0][0] == "Lock" and "dok_Pozycja" in activity[0][1]

        wait_for("the writer to block on dok_Pozycja", blocked_on_lines, timeout=30)
        # Mid-document: the header row is in (uncommitted), the lines are not.
        held = pg_exec(monitor, "SELECT l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                                "WHERE l.pid = ? AND c.relname = 'dok__dokument'", victim)
        assert ("RowExclusiveLock",) in held
        pg_exec(monitor, "SELECT pg_terminate_backend(?)", victim)
        wait_for("the writer's backend to end", lambda: not pg_exec(
            monitor, "SELECT 1 FROM pg_stat_activity WHERE pid = ?", victim), timeout=30)
    finally:
        locker.rollback()
        locker.close()
        monitor.close()
    writer.join(timeout=60)
    assert not writer.is_alive()
    return writer


def test_connection_killed_mid_document_leaves_no_partial_rows_and_next_call_reconnects(pg: Backend) -> None:
    erp = pg.open(retries=0)
    observer = pg.open()
    before = counters(observer)
    contractors = count(observer, "SELECT COUNT(*) FROM kh__Kontrahent")
    old_pid = _backend_pid(erp)

    writer = _kill_mid_document(pg, erp)

    assert isinstance(writer.error, ErpUnavailable), writer.error
    assert "lost" in str(writer.error) and KEY in str(writer.error)
    assert count(observer, "SELECT COUNT(*) FROM dok__Dokument") == 0
    assert count(observer, "SELECT COUNT(*) FROM dok_Pozycja") == 0
    assert count(observer, "SELECT COUNT(*) FROM adr_Historia") == 0
    assert count(observer, "SELECT COUNT(*) FROM kh__Kontrahent") == contractors   # the new buyer went too
    assert counters(observer) == before
    # The next call opens a new connection and writes the whole document.
    result = erp.write_document(mixed_order(erp, KEY))
    assert result.created and len(result.document.lines) == 6
    assert _backend_pid(erp) != old_pid
    assert count(observer, "SELECT COUNT(*) FROM dok__Dokument WHERE dok_NrPelnyOryg = ?", KEY) == 1
    assert count(observer, "SELECT COUNT(*) FROM dok_Pozycja") == 6


def test_a_write_that_lost_its_connection_is_retried_once_on_a_new_one(pg: Backend) -> None:
    erp = pg.open(retries=1)
    writer = _kill_mid_document(pg, erp)
    assert writer.error is None and writer.result is not None and writer.result.created
    observer = pg.open()
    assert count(observer, "SELECT COUNT(*) FROM dok__Dokument WHERE dok_NrPelnyOryg = ?", KEY) == 1
    assert count(observer, "SELECT COUNT(*) FROM dok_Pozycja") == 6
    assert writer.result.document.number == f"ZK 1/{writer.result.document.issue_date.year}"


def test_a_connection_killed_while_idle_is_replaced_on_the_next_call(pg: Backend) -> None:
    pyodbc = pyodbc_or_skip("PostgreSQL Unicode", "SELLINTEGRO_REQUIRE_PG")
    erp = pg.open()
    old_pid = _backend_pid(erp)
    monitor = pyodbc.connect(pg.target, autocommit=True)
    try:
        pg_exec(monitor, "SELECT pg_terminate_backend(?)", old_pid)
        wait_for("the backend to end", lambda: not pg_exec(monitor, "SELECT 1 FROM pg_stat_activity WHERE pid = ?",
                                                           old_pid), timeout=30)
    finally:
        monitor.close()
    assert erp.product_by_symbol("KUB-CER-300") is not None
    assert _backend_pid(erp) != old_pid


def test_an_unreachable_database_is_reported_as_unavailable_without_the_password(tmp_path: Any) -> None:
    pyodbc_or_skip("PostgreSQL Unicode")
    erp = SqlErp.open("DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=1;Database=x;UID=u;PWD=s3cr3t-pass")
    try:
        with pytest.raises(ErpUnavailable) as caught:
            erp.vat_rates()
        assert "s3cr3t-pass" not in str(caught.value) and "cannot connect" in str(caught.value)
    finally:
        erp.close()


def test_a_sqlite_file_that_cannot_be_opened_is_reported_as_unavailable(tmp_path: Any) -> None:
    erp = SqlErp.open(str(tmp_path / "no-such-dir" / "erp.sqlite"))
    try:
        with pytest.raises(ErpUnavailable, match="cannot connect"):
            erp.vat_rates()
    finally:
        erp.close()
