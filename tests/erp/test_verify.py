"""Checking that a database is Subiekt-GT-compatible before anything is written to it."""

from __future__ import annotations

import pytest

from sellintegro.erp import ErpSchemaError

from .conftest import Backend


def test_the_sample_database_has_everything_we_need(backend: Backend) -> None:
    erp = backend.open()
    assert erp.verify() == []
    erp.check()


def test_a_missing_column_is_named(backend: Backend) -> None:
    erp = backend.open()
    erp.db.run(lambda tx: tx.execute("DROP TABLE adr_Historia"), write=True)
    problems = erp.verify()
    assert len(problems) == 1 and "adr_Historia" in problems[0] and "adrh_NazwaPelna" in problems[0]


def test_a_missing_id_counter_refuses_the_database(backend: Backend) -> None:
    erp = backend.open()
    erp.db.run(lambda tx: tx.execute("DELETE FROM ins_ident WHERE ido_nazwa = ?", "dok_Pozycja"), write=True)
    with pytest.raises(ErpSchemaError, match="dok_Pozycja"):
        erp.check()


def test_the_series_table_is_optional_because_gt_has_none(backend: Backend) -> None:
    erp = backend.open()
    erp.db.run(lambda tx: tx.execute("DROP TABLE si_SeriaDokumentu"), write=True)
    assert erp.verify() == []
