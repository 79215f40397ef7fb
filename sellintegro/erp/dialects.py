"""What differs between the databases we speak to: types, transactions, id allocation, parameters.

Three dialects share one SQL text for everything else:
- **sqlite**: the SQLite ODBC driver `{SQLite3}` and the standard library's sqlite3 (the embedded
  default). The connection runs in autocommit and every transaction is an explicit
  `BEGIN IMMEDIATE` (write) or `BEGIN` (read) ... `COMMIT`: with the driver's own implicit
  transactions, a read would hold a transaction that blocks writers until commit.
- **postgresql**: psqlODBC `{PostgreSQL Unicode}`, autocommit off, commit/rollback per call.
- **mssql**: Subiekt GT's own SQL Server (production). UNTESTED here: no SQL Server on the
  test machines. It allocates ids through GT's `spIdentyfikator` and locks with UPDLOCK.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class Dialect:
    """One database kind: how to name column types, run a transaction and take an id."""

    name: str
    explicit_begin: bool                 # autocommit connection + BEGIN/COMMIT statements
    types: dict[str, str]                # our column kinds -> this database's type names
    lock_counter: str | None             # locks one ins_ident row until commit (None: BEGIN IMMEDIATE did)
    allocate: str | None                 # one statement that allocates ids and returns the first one
    text_dates: bool                     # dates travel as 'YYYY-MM-DD HH:MM:SS' text
    text_money: bool                     # Decimal travels as text (sqlite3 cannot bind Decimal)
    tested: bool = True

    def param(self, value: Any) -> Any:
        """A Python value as this database's driver should receive it."""
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, Decimal):
            return str(value) if self.text_money else value
        if isinstance(value, datetime):
            value = value.replace(microsecond=0, tzinfo=None)
            return value.strftime("%Y-%m-%d %H:%M:%S") if self.text_dates else value
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d 00:00:00") if self.text_dates else datetime(
                value.year, value.month, value.day)
        return value

    def column_type(self, kind: str) -> str:
        base, _, size = kind.partition("(")
        name = self.types[base]
        return f"{name}({size}" if size else name


_ANSI_TYPES = {"VARCHAR": "VARCHAR", "CHAR": "CHAR"}

SQLITE = Dialect(
    name="sqlite", explicit_begin=True,
    # NUMERIC affinity stores REAL: exact for money's four decimals up to ~10^11, read back via repr.
    types={**_ANSI_TYPES, "INT": "INTEGER", "SMALLINT": "INTEGER", "BIT": "INTEGER", "MONEY": "NUMERIC(19,4)",
           "DATETIME": "DATETIME"},
    lock_counter=None,
    allocate=None,
    text_dates=True, text_money=True,
)

POSTGRESQL = Dialect(
    name="postgresql", explicit_begin=False,
    types={**_ANSI_TYPES, "INT": "INTEGER", "SMALLINT": "SMALLINT", "BIT": "SMALLINT", "MONEY": "NUMERIC(19,4)",
           "DATETIME": "TIMESTAMP(0)"},
    lock_counter="SELECT ido_wartosc FROM ins_ident WHERE ido_nazwa = ? FOR UPDATE",
    allocate="UPDATE ins_ident SET ido_wartosc = ido_wartosc + ? WHERE ido_nazwa = ? "
             "RETURNING ido_wartosc - ?",
    text_dates=False, text_money=False,
)

# UNTESTED: written from GT's documented behaviour; no SQL Server is reachable from the test machines.
MSSQL = Dialect(
    name="mssql", explicit_begin=False,
    types={**_ANSI_TYPES, "INT": "int", "SMALLINT": "smallint", "BIT": "bit", "MONEY": "money",
           "DATETIME": "datetime"},
    lock_counter="SELECT ido_wartosc FROM ins_ident WITH (UPDLOCK, HOLDLOCK) WHERE ido_nazwa = ?",
    # spIdentyfikator returns the first id of the allocated range in its OUTPUT parameter.
    allocate="SET NOCOUNT ON; DECLARE @id int; EXEC spIdentyfikator ?, ?, @id OUTPUT; SELECT @id",
    text_dates=False, text_money=False, tested=False,
)

# spIdentyfikator for a GT-like database we create ourselves on SQL Server (`sellintegro sim erp`).
MSSQL_SP_IDENTYFIKATOR = """
CREATE PROCEDURE spIdentyfikator @tabela varchar(50), @ile int, @id int OUTPUT AS
BEGIN
    SET NOCOUNT ON;
    UPDATE ins_ident SET @id = ido_wartosc, ido_wartosc = ido_wartosc + @ile WHERE ido_nazwa = @tabela;
END
"""


class UnsupportedDatabase(ValueError):
    def __init__(self, dbms: str) -> None:
        self.dbms = dbms
        super().__init__(f"unsupported database {dbms!r}: expected SQLite, PostgreSQL or SQL Server")


def dialect_for_dbms(dbms_name: str) -> Dialect:
    """The dialect of a database as ODBC's SQL_DBMS_NAME names it."""
    name = dbms_name.lower()
    if "sqlite" in name:
        return SQLITE
    if "postgres" in name:
        return POSTGRESQL
    if "sql server" in name:
        return MSSQL
    raise UnsupportedDatabase(dbms_name)


# --- values read back -------------------------------------------------------------------------

def as_decimal(value: Any) -> Decimal:
    """A money or quantity column as Decimal; floats (SQLite's REAL) through their shortest repr."""
    if value is None:
        return Decimal("0")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(Decimal("0.0001"))
    return Decimal(str(value))


def as_amount(value: Any) -> Decimal:
    """A money column that holds an amount (whole grosze), with two decimal places."""
    return as_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def as_text(value: Any) -> str:
    """A varchar/char column as text; char(n) padding removed."""
    return "" if value is None else str(value).rstrip()


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true", "y")
    return bool(value)


def as_int(value: Any) -> int | None:
    return None if value is None else int(value)


def as_datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))
