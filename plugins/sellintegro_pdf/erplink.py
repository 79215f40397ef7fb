"""The ERP side of the link: a document number (`dok_NrPelny`) -> the BaseLinker order (`dok_NrPelnyOryg`).

The orders plugin writes each document with the BaseLinker order id as its original number, so the
document a PDF is named after tells which order the PDF belongs to. `SqlErp` has no reader by
document number yet, so the one query lives here, run through the ERP's own transaction helper.
"""

from __future__ import annotations

from dataclasses import dataclass

from sellintegro.erp.connection import Tx
from sellintegro.erp.dialects import as_text
from sellintegro.erp.sqlerp import SqlErp

_BY_NUMBER = "SELECT dok_NrPelny, dok_NrPelnyOryg, dok_Typ FROM dok__Dokument WHERE dok_NrPelny = ?"


@dataclass(frozen=True)
class ErpDocument:
    number: str      # dok_NrPelny, e.g. "FS 12/2026"
    original: str    # dok_NrPelnyOryg: the BaseLinker order id for documents the orders plugin wrote
    type: int        # dok_Typ (2 = FS)


def find_documents(erp: SqlErp, numbers: list[str]) -> list[ErpDocument]:
    """The documents with the first of `numbers` that exists (in that order); [] when none does.

    Raises sellintegro.erp's ErpUnavailable when the database cannot be reached (transient).
    """
    def work(tx: Tx) -> list[ErpDocument]:
        for number in numbers:
            rows = tx.query(_BY_NUMBER, number)
            if rows:
                return [ErpDocument(as_text(r[0]).strip(), as_text(r[1]).strip(), int(r[2])) for r in rows]
        return []

    return erp.db.run(work, write=False)
