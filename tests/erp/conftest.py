"""ERP backends for the tests: stdlib sqlite3, the real `{SQLite3}` ODBC driver, and psqlODBC on PostgreSQL.

A missing ODBC driver skips its tests with the reason, unless SELLINTEGRO_REQUIRE_ODBC=1; an
unreachable PostgreSQL skips, unless SELLINTEGRO_REQUIRE_PG=1 (CI sets both): then they fail.
Each PostgreSQL test gets a database of its own (unique name, dropped after), because other
engineers run tests on the same server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sellintegro.erp import SqlErp, sim

BACKENDS = ("sqlite3", "odbc-sqlite", "odbc-postgresql")

# Server, port and user of the test PostgreSQL; `Database=` is added per test.
PG_BASE = os.environ.get("SELLINTEGRO_TEST_PG", "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;UID=postgres")
PG_ADMIN_DB = os.environ.get("SELLINTEGRO_TEST_PG_ADMIN_DB", "postgres")   # exists in every cluster


def _unavailable(env: str, reason: str) -> None:
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} ({env}=1 requires these tests to run)")
    pytest.skip(reason)


def pyodbc_or_skip(driver: str, *envs: str) -> Any:
    """pyodbc, once `driver` is installed; otherwise skip (or fail when one of `envs` is 1)."""
    envs = envs or ("SELLINTEGRO_REQUIRE_ODBC",)
    try:
        import pyodbc
    except ImportError as e:
        _unavailable_any(envs, f"pyodbc cannot load the system ODBC library: {e} (Debian: apt-get install unixodbc)")
    if driver not in pyodbc.drivers():
        package = "libsqliteodbc" if "SQLite" in driver else "odbc-postgresql"
        _unavailable_any(envs, f"ODBC driver {{{driver}}} is not installed (Debian: apt-get install {package}); "
                               f"installed: {pyodbc.drivers()}")
    return pyodbc


def _unavailable_any(envs: tuple[str, ...], reason: str) -> None:
    required = [e for e in envs if os.environ.get(e) == "1"]
    _unavailable(required[0] if required else envs[0], reason)


_pg_reachable: list[str] = []   # "" once reachable, else the reason; checked once per run


def pg_admin() -> Any:
    """An autocommit connection to the admin database, or skip/fail naming why there is none."""
    pyodbc = pyodbc_or_skip("PostgreSQL Unicode", "SELLINTEGRO_REQUIRE_PG", "SELLINTEGRO_REQUIRE_ODBC")
    if _pg_reachable and _pg_reachable[0]:
        _unavailable("SELLINTEGRO_REQUIRE_PG", _pg_reachable[0])
    try:
        conn = pyodbc.connect(f"{PG_BASE};Database={PG_ADMIN_DB}", autocommit=True, timeout=5)
    except pyodbc.Error as e:
        reason = f"no PostgreSQL reachable through {PG_BASE};Database={PG_ADMIN_DB}: {e.args[-1]}"
        _pg_reachable[:] = [reason]
        _unavailable("SELLINTEGRO_REQUIRE_PG", reason)
    _pg_reachable[:] = [""]
    return conn


def pg_exec(conn: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    cur = conn.cursor()
    try:
        cur.execute(sql, *params)
        return [tuple(r) for r in cur.fetchall()] if cur.description else []
    finally:
        cur.close()


@pytest.fixture
def pg_database() -> Iterator[str]:
    """The ODBC connection string of a new, empty PostgreSQL database, dropped after the test."""
    admin = pg_admin()
    name = f"si_erp_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    try:
        pg_exec(admin, f"CREATE DATABASE {name}")
        yield f"{PG_BASE};Database={name}"
    finally:
        pg_exec(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


@dataclass
class Backend:
    """A sample ERP database on one backend; `open()` gives SqlErp instances closed after the test."""

    name: str
    target: str
    opened: list[SqlErp] = field(default_factory=list)

    def open(self, retries: int = 1) -> SqlErp:
        erp = SqlErp.open(self.target, retries=retries)
        self.opened.append(erp)
        return erp

    def close_all(self) -> None:
        for erp in self.opened:
            erp.close()


def make_target(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if name == "sqlite3":
        return str(tmp_path / "erp.sqlite")
    if name == "odbc-sqlite":
        pyodbc_or_skip("SQLite3")
        return f"DRIVER={{SQLite3}};Database={tmp_path / 'erp-odbc.sqlite'}"
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A freshly created sample ERP database (`sellintegro sim erp --create`) on each backend."""
    target = make_target(request.param, tmp_path, request)
    sim.create(target)
    b = Backend(request.param, target)
    try:
        yield b
    finally:
        b.close_all()


def rows(erp: SqlErp, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """What the database holds, read through the backend's own connection in a read transaction."""
    return erp.db.run(lambda tx: tx.query(sql, *params), write=False)


def count(erp: SqlErp, sql: str, *params: Any) -> int:
    return int(rows(erp, sql, *params)[0][0])


def counters(erp: SqlErp) -> dict[str, int]:
    return {str(name): int(value) for name, value in rows(erp, "SELECT ido_nazwa, ido_wartosc FROM ins_ident")}
