"""`SqlErp`: the `Erp` protocol over SQL on a Subiekt-GT-compatible database (ODBC or sqlite3).

Reads work on a real Subiekt GT database (SQL Server). Writes fill the schema subset of
`schema.py`; on a live GT install they would bypass what Sfera does besides (settlements in
nz__Finanse, stock moves, reservations), which InsERT does not support: production writes belong
to a Sfera/bridge backend implementing the same `api.Erp`. The SQL Server dialect is untested.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from . import catalog, contractors, documents, schema
from .connection import Connector, Database, Tx, is_driver_error
from .errors import ErpDatabaseError, ErpSchemaError, erp_msg
from .model import (
    Contractor,
    ContractorRequest,
    DocType,
    DocumentRequest,
    DocumentSeries,
    Product,
    StoredDocument,
    VatRate,
    Warehouse,
    WriteResult,
)


class SqlErp:
    """One ERP database. Each call is one transaction on a kept connection, reopened after a loss.

    Not thread-safe: one per worker thread (each opens its own connection).
    """

    def __init__(self, connector: Connector, retries: int = 1) -> None:
        self.db = Database(connector, retries=retries)

    @classmethod
    def open(cls, target: str | Path, retries: int = 1) -> SqlErp:
        """A SQLite file path (the embedded default), or an ODBC connection string (`DRIVER=...;` / `DSN=...`)."""
        return cls(Connector.for_target(str(target)), retries=retries)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SqlErp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def verify(self) -> list[str]:
        """What this database lacks for reading and writing (tables, columns, counters, rates); [] if nothing."""
        problems = []
        for table in schema.TABLES:
            if table.name in schema.OPTIONAL:
                continue
            sql = schema.probe(table)
            try:
                self.db.run(lambda tx: tx.query(sql), write=False)  # noqa: B023 - run() calls it at once
            except ErpDatabaseError:
                problems.append(f"table {table.name} or one of its columns "
                                f"({', '.join(c.name for c in table.columns)}) is missing")
        if problems:
            return problems
        names = {str(r[0]).strip().lower() for r in self.db.run(
            lambda tx: tx.query("SELECT ido_nazwa FROM ins_ident"), write=False)}
        problems += [erp_msg("erp.no_counter", table=t) for t in schema.WRITE_COUNTERS if t.lower() not in names]
        if not self.vat_rates():
            problems.append("sl_StawkaVAT has no VAT rates")
        if not self.warehouses():
            problems.append(erp_msg("erp.no_warehouse", which="(any)"))
        return problems

    def check(self) -> None:
        """Refuse a database that lacks what we need, naming every gap (ErpSchemaError)."""
        problems = self.verify()
        if problems:
            raise ErpSchemaError(erp_msg("erp.missing", target=self.db.connector.describe(),
                                         what="; ".join(problems)))

    # --- reading ---------------------------------------------------------------------------------

    def product_by_symbol(self, symbol: str) -> Product | None:
        return self.db.run(lambda tx: catalog.product_by_symbol(tx, symbol), write=False)

    def products_by_ean(self, ean: str) -> list[Product]:
        return self.db.run(lambda tx: catalog.products_by_ean(tx, ean), write=False)

    def products_by_name(self, name: str) -> list[Product]:
        return self.db.run(lambda tx: catalog.products_by_name(tx, name), write=False)

    def contractor_by_nip(self, nip: str) -> Contractor | None:
        return self.db.run(lambda tx: contractors.by_nip(tx, nip), write=False)

    def contractors_by_email(self, email: str) -> list[Contractor]:
        return self.db.run(lambda tx: contractors.by_email(tx, email), write=False)

    def vat_rates(self) -> list[VatRate]:
        return self.db.run(catalog.vat_rates, write=False)

    def warehouses(self) -> list[Warehouse]:
        return self.db.run(catalog.warehouses, write=False)

    def document_series(self) -> list[DocumentSeries]:
        try:
            listed = self.db.run(catalog.listed_series, write=False)
        except ErpDatabaseError as e:
            # A real GT database has no si_SeriaDokumentu (ours): read the series its documents use.
            if e.__cause__ is None or not is_driver_error(e.__cause__):
                raise
            return self.db.run(catalog.used_series, write=False)
        used = self.db.run(catalog.used_series, write=False)
        seen = {(s.type, s.suffix) for s in listed}
        return sorted(listed + [s for s in used if (s.type, s.suffix) not in seen], key=lambda s: (s.type, s.suffix))

    def document(self, doc_id: int) -> StoredDocument | None:
        return self.db.run(lambda tx: documents.load(tx, doc_id), write=False)

    def find_document(self, doc_type: DocType, original_number: str) -> StoredDocument | None:
        def work(tx: Tx) -> StoredDocument | None:
            doc_id = documents.find(tx, doc_type, original_number)
            return None if doc_id is None else documents.load(tx, doc_id)
        return self.db.run(work, write=False)

    # --- writing ---------------------------------------------------------------------------------

    def ensure_contractor(self, request: ContractorRequest) -> Contractor:
        return self.db.run(lambda tx: contractors.ensure(tx, request), write=True)

    def write_document(self, request: DocumentRequest, now: datetime | None = None) -> WriteResult:
        documents.check(request)
        when = now or datetime.now()

        def work(tx: Tx) -> WriteResult:
            doc_id, created = documents.write(tx, request, when)
            stored = documents.load(tx, doc_id)
            assert stored is not None
            return WriteResult(stored, created)

        return self.db.run(work, write=True, what=documents.describe(request))
