"""Ids the way Subiekt GT's `spIdentyfikator` hands them out: a counter row per table in `ins_ident`.

The counter moves inside the caller's transaction, so its row stays locked until that transaction
ends: two writers never get the same id, and a rolled-back document gives its ids back. `MAX+1`
is never used (it has caused integrity errors in GT itself).

Lock order, the same for every writer so none can deadlock another: the `dok__Dokument` counter
first (it also serializes the duplicate check and the numbering), then `kh__Kontrahent`, then
the others as they come.
"""

from __future__ import annotations

from .connection import Tx
from .errors import ErpSchemaError, erp_msg


def lock_counter(tx: Tx, table: str) -> None:
    """Hold `table`'s counter row until the transaction ends, without taking an id."""
    if tx.dialect.lock_counter is None:
        return  # SQLite: BEGIN IMMEDIATE already holds the database's single write lock
    if tx.one(tx.dialect.lock_counter, table) is None:
        raise ErpSchemaError(erp_msg("erp.no_counter", table=table))


def allocate(tx: Tx, table: str, count: int = 1) -> int:
    """Take `count` consecutive ids for `table`; the first one."""
    if tx.dialect.allocate is not None:
        if tx.dialect.name == "mssql":
            row = tx.one(tx.dialect.allocate, table, count)
        else:
            row = tx.one(tx.dialect.allocate, count, table, count)
        if row is None or row[0] is None:
            raise ErpSchemaError(erp_msg("erp.no_counter", table=table))
        return int(row[0])
    # The SQLite ODBC driver returns nothing for RETURNING: update, then read the row back.
    if tx.execute("UPDATE ins_ident SET ido_wartosc = ido_wartosc + ? WHERE ido_nazwa = ?", count, table) != 1:
        raise ErpSchemaError(erp_msg("erp.no_counter", table=table))
    row = tx.one("SELECT ido_wartosc FROM ins_ident WHERE ido_nazwa = ?", table)
    assert row is not None
    return int(row[0]) - count
