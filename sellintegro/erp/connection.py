"""Connections to the ERP database: opening them, transactions, and what a lost connection means.

A `Connector` opens DB-API connections (pyodbc, imported lazily because its wheel needs the system's
libodbc.so.2; or the standard library's sqlite3 for the embedded default) and knows their dialect.
`Database` keeps one open connection, runs each unit of work in one transaction, drops the
connection when it is lost and reconnects on the next call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .dialects import SQLITE, Dialect, UnsupportedDatabase, dialect_for_dbms
from .errors import ErpDatabaseError, ErpSchemaError, ErpUnavailable, describe_target, erp_msg

T = TypeVar("T")

# How long a writer waits for another writer's lock before the database counts as busy.
BUSY_TIMEOUT_S = 30.0
LOGIN_TIMEOUT_S = 10


@dataclass(frozen=True)
class Connector:
    """Opens connections to one database: `open()` returns (DB-API connection, dialect)."""

    target: str                       # a SQLite file path or an ODBC connection string
    odbc: bool

    @classmethod
    def for_target(cls, target: str) -> Connector:
        """`odbc:CONN` or anything with `=` (DRIVER=...;, DSN=...) goes through ODBC; else a SQLite file."""
        if target.startswith("odbc:"):
            return cls(target[5:], odbc=True)
        if target.startswith("sqlite:"):
            return cls(target[7:], odbc=False)
        return cls(target, odbc="=" in target)

    def describe(self) -> str:
        return describe_target(self.target)

    def open(self) -> tuple[Any, Dialect]:
        return _open_odbc(self.target) if self.odbc else _open_sqlite(self.target)


def _open_sqlite(path: str) -> tuple[Any, Dialect]:
    # isolation_level=None: autocommit; our transactions are explicit BEGIN IMMEDIATE / COMMIT.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    return conn, SQLITE


def import_pyodbc() -> Any:
    """pyodbc, or ErpUnavailable saying what to install when the system's ODBC library is missing."""
    try:
        import pyodbc
    except ImportError as e:
        raise ErpUnavailable(erp_msg("erp.connect", target="(ODBC)", reason=f"{e}; install unixODBC "
                                     "(Debian: apt-get install unixodbc)")) from e
    return pyodbc


def _open_odbc(conn_str: str) -> tuple[Any, Dialect]:
    pyodbc = import_pyodbc()
    conn = pyodbc.connect(conn_str, autocommit=False, timeout=LOGIN_TIMEOUT_S)
    try:
        dialect = dialect_for_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        if dialect.explicit_begin:
            conn.autocommit = True
            cur = conn.cursor()
            try:
                # The driver's own busy handler gives up too soon for two concurrent writers.
                cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            finally:
                cur.close()
    except BaseException:
        conn.close()
        raise
    return conn, dialect


# --- classifying driver errors ---------------------------------------------------------------

# SQLSTATEs of a connection that is gone: class 08 (connection exception) and PostgreSQL's 57P0x
# (the server terminated the session: pg_terminate_backend, shutdown, crash).
_LOST_PREFIXES = ("08", "57P0")
_LOST_WORDS = ("connection lost", "connection has been lost", "server closed the connection",
               "communication link failure", "connection is closed", "no connection")


def _sqlstate(exc: BaseException) -> str:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], str) and len(args[0]) == 5:
        return args[0]
    return ""


def is_driver_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return True
    mod = type(exc).__module__ or ""
    return mod == "pyodbc" or mod.startswith("pyodbc.")


def is_connection_lost(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return False
    text = str(exc).lower()
    return _sqlstate(exc).startswith(_LOST_PREFIXES) or any(w in text for w in _LOST_WORDS)


# Transient refusals: SQLite's busy lock, and class 40 (deadlock or serialization failure, the
# transaction was rolled back), PostgreSQL's 55P03 (lock not available) and the ODBC timeout HYT00.
_BUSY_STATES = ("40", "55P03", "HYT00")


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return ("database is locked" in text or "database table is locked" in text
            or _sqlstate(exc).startswith(_BUSY_STATES))


def _reason(exc: BaseException) -> str:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    text = str(args[-1]) if args else str(exc)
    return describe_target(" ".join(text.split()))


# --- one connection, one transaction per unit of work ------------------------------------------

class Tx:
    """The statements of one transaction. Every cursor is closed before the call returns."""

    def __init__(self, conn: Any, dialect: Dialect) -> None:
        self.conn = conn
        self.dialect = dialect

    def _run(self, sql: str, params: tuple[Any, ...], fetch: bool) -> tuple[list[tuple[Any, ...]], int]:
        cur = self.conn.cursor()
        try:
            cur.execute(sql, tuple(self.dialect.param(p) for p in params))
            rows = [tuple(r) for r in cur.fetchall()] if fetch and cur.description is not None else []
            return rows, cur.rowcount
        finally:
            cur.close()

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self._run(sql, params, True)[0]

    def one(self, sql: str, *params: Any) -> tuple[Any, ...] | None:
        rows = self.query(sql, *params)
        return rows[0] if rows else None

    def execute(self, sql: str, *params: Any) -> int:
        """Run a statement that returns no rows; the number of rows it changed."""
        return self._run(sql, params, False)[1]


class Database:
    """One lazily opened connection; `run(work, write=...)` does `work(tx)` in one transaction.

    A lost connection is closed and forgotten, so the next call opens a new one. Because every
    write is idempotent (on dok_NrPelnyOryg), a unit of work that lost its connection is run once
    more on a fresh connection (`retries`); when that fails too, ErpUnavailable says so.
    """

    def __init__(self, connector: Connector, retries: int = 1) -> None:
        self.connector = connector
        self.retries = retries
        self._conn: Any = None
        self._dialect: Dialect | None = None

    def _connect(self) -> Any:
        if self._conn is None:
            try:
                self._conn, self._dialect = self.connector.open()
            except ErpUnavailable:
                raise
            except UnsupportedDatabase as e:
                raise ErpSchemaError(erp_msg("erp.unsupported", target=self.connector.describe(),
                                             dbms=e.dbms)) from e
            except Exception as e:
                if not is_driver_error(e):
                    raise
                raise ErpUnavailable(erp_msg("erp.connect", target=self.connector.describe(),
                                             reason=_reason(e))) from e
        return self._conn

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception as e:  # closing a dead connection may itself fail; it is gone either way
                if not is_driver_error(e):
                    raise

    def run(self, work: Callable[[Tx], T], write: bool, what: str = "") -> T:
        during = erp_msg("erp.during", doc=what) if what else ""
        for attempt in range(self.retries + 1):
            conn = self._connect()
            assert self._dialect is not None
            try:
                return self._transaction(conn, self._dialect, write, work)
            except Exception as e:
                if not is_driver_error(e):
                    raise
                if is_connection_lost(e):
                    self.close()
                    if attempt < self.retries:
                        continue
                    raise ErpUnavailable(erp_msg("erp.lost", target=self.connector.describe(), during=during,
                                                 reason=_reason(e))) from e
                if is_busy(e):
                    raise ErpUnavailable(erp_msg("erp.busy", target=self.connector.describe(),
                                                 reason=_reason(e))) from e
                raise ErpDatabaseError(erp_msg("erp.refused", target=self.connector.describe(), during=during,
                                               reason=_reason(e))) from e
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _transaction(self, conn: Any, dialect: Dialect, write: bool, work: Callable[[Tx], T]) -> T:
        tx = Tx(conn, dialect)
        try:
            if dialect.explicit_begin:
                # IMMEDIATE takes the write lock at once: two writers never deadlock upgrading a read lock.
                tx.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            result = work(tx)
            if dialect.explicit_begin:
                tx.execute("COMMIT")
            else:
                conn.commit()
        except BaseException:
            self._rollback(conn, tx, dialect)
            raise
        return result

    def _rollback(self, conn: Any, tx: Tx, dialect: Dialect) -> None:
        try:
            if dialect.explicit_begin:
                tx.execute("ROLLBACK")
            else:
                conn.rollback()
        except Exception as e:
            # A lost connection cannot roll back, and needs not: the server discards the transaction.
            # Any other failure leaves the session in an unknown state: drop it, the next call reconnects.
            if not is_driver_error(e):
                raise
            self.close()

