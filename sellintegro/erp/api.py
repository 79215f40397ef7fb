"""The ERP as the plugins see it: what they read, and the sales documents they write.

A backend implements `Erp`. `SqlErp` (sellintegro.erp.sqlerp) speaks SQL to a Subiekt-GT-compatible
database; a Sfera/bridge backend for a production GT install would implement the same protocol.
Every method may raise `ErpUnavailable` (transient: retry later) and `ErpError` subclasses
(sellintegro.erp.errors).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

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


class ErpReader(Protocol):
    def product_by_symbol(self, symbol: str) -> Product | None:
        """The product whose `tw_Symbol` is `symbol` (the SKU match key), deleted cards excluded."""

    def products_by_ean(self, ean: str) -> list[Product]:
        """Products whose main barcode (`tw_PodstKodKresk`) is `ean`; several cards may share one."""

    def products_by_name(self, name: str) -> list[Product]:
        """Products whose `tw_Nazwa` is exactly `name`."""

    def contractor_by_nip(self, nip: str) -> Contractor | None:
        """The contractor whose main address holds this NIP, in any spelling (PL prefix, hyphens)."""

    def contractors_by_email(self, email: str) -> list[Contractor]:
        """Contractors with this e-mail (`kh_EMail`, case ignored), oldest first."""

    def vat_rates(self) -> list[VatRate]:
        """Every rate of `sl_StawkaVAT`; find one with `model.find_vat_rate`, never by a fixed id."""

    def warehouses(self) -> list[Warehouse]:
        """Every warehouse of `sl_Magazyn`, the main one first."""

    def document_series(self) -> list[DocumentSeries]:
        """The numbering series of ZK, FS and PA (the default series of each type included)."""

    def document(self, doc_id: int) -> StoredDocument | None:
        """A document with its lines and stored totals."""

    def find_document(self, doc_type: DocType, original_number: str) -> StoredDocument | None:
        """The document of this type written for this original number (`dok_NrPelnyOryg`)."""


class ErpWriter(Protocol):
    def ensure_contractor(self, request: ContractorRequest) -> Contractor:
        """The contractor with the request's NIP (a buyer without a NIP: with its e-mail), else a new card."""

    def write_document(self, request: DocumentRequest, now: datetime | None = None) -> WriteResult:
        """Write a ZK, FS or PA with its lines in one transaction; idempotent.

        When a document of the same type and original number exists, it is returned
        (`created=False`) and nothing is written. A new one gets the next number of its type,
        series and year ("ZK 45/2026"). Raises ErpInputError for a document that can never be
        written as given (unknown product or rate, bad quantity) and ErpUnavailable when the
        database cannot be reached; then nothing was written, or the outcome is unknown and
        writing the same request again returns the document if it was committed.
        """


class Erp(ErpReader, ErpWriter, Protocol):
    def close(self) -> None:
        """Close the connection; a later call opens a new one."""
