"""Reading the ERP's dictionaries: products, VAT rates, warehouses and numbering series."""

from __future__ import annotations

from typing import Any

from .connection import Tx
from .dialects import as_bool, as_decimal, as_int, as_text
from .model import DocType, DocumentSeries, ItemKind, Product, VatRate, Warehouse

_PRODUCT = ("SELECT tw_Id, tw_Symbol, tw_Nazwa, tw_PodstKodKresk, tw_JednMiary, tw_Rodzaj, tw_IdVatSp, "
            "tw_Zablokowany, tc_CenaNetto1, tc_CenaBrutto1 "
            "FROM tw__Towar LEFT JOIN tw_Cena ON tc_IdTowar = tw_Id "
            "WHERE tw_Usuniety = 0 AND ")


def _product(row: tuple[Any, ...]) -> Product:
    kind = ItemKind.SERVICE if as_int(row[5]) == ItemKind.SERVICE else ItemKind.GOODS
    return Product(id=int(row[0]), symbol=as_text(row[1]), name=as_text(row[2]), ean=as_text(row[3]),
                   unit=as_text(row[4]), kind=kind, vat_id=as_int(row[6]), blocked=as_bool(row[7]),
                   price_net=None if row[8] is None else as_decimal(row[8]),
                   price_gross=None if row[9] is None else as_decimal(row[9]))


def product_by_id(tx: Tx, product_id: int) -> Product | None:
    row = tx.one(_PRODUCT + "tw_Id = ?", product_id)
    return None if row is None else _product(row)


def product_by_symbol(tx: Tx, symbol: str) -> Product | None:
    rows = tx.query(_PRODUCT + "tw_Symbol = ? ORDER BY tw_Id", symbol.strip())
    return _product(rows[0]) if rows else None


def products_by_ean(tx: Tx, ean: str) -> list[Product]:
    ean = ean.strip()
    if not ean:
        return []
    return [_product(r) for r in tx.query(_PRODUCT + "tw_PodstKodKresk = ? ORDER BY tw_Id", ean)]


def products_by_name(tx: Tx, name: str) -> list[Product]:
    return [_product(r) for r in tx.query(_PRODUCT + "tw_Nazwa = ? ORDER BY tw_Id", name.strip())]


_VAT = "SELECT vat_Id, vat_Symbol, vat_Nazwa, vat_Stawka FROM sl_StawkaVAT"


def _vat(row: tuple[Any, ...]) -> VatRate:
    return VatRate(id=int(row[0]), symbol=as_text(row[1]), name=as_text(row[2]), percent=as_decimal(row[3]))


def vat_rates(tx: Tx) -> list[VatRate]:
    return [_vat(r) for r in tx.query(_VAT + " ORDER BY vat_Pozycja, vat_Id")]


def vat_rate(tx: Tx, vat_id: int) -> VatRate | None:
    row = tx.one(_VAT + " WHERE vat_Id = ?", vat_id)
    return None if row is None else _vat(row)


def warehouses(tx: Tx) -> list[Warehouse]:
    rows = tx.query("SELECT mag_Id, mag_Symbol, mag_Nazwa, mag_Glowny FROM sl_Magazyn "
                    "ORDER BY mag_Glowny DESC, mag_Id")
    return [Warehouse(id=int(r[0]), symbol=as_text(r[1]), name=as_text(r[2]), main=as_bool(r[3])) for r in rows]


def listed_series(tx: Tx) -> list[DocumentSeries]:
    """The series listed in our own si_SeriaDokumentu (raises a driver error when it is absent)."""
    rows = tx.query("SELECT ser_Typ, ser_NrRoz, ser_Nazwa FROM si_SeriaDokumentu ORDER BY ser_Typ, ser_NrRoz")
    return [DocumentSeries(DocType(int(r[0])), as_text(r[1]), as_text(r[2]))
            for r in rows if int(r[0]) in DocType._value2member_map_]


def used_series(tx: Tx) -> list[DocumentSeries]:
    """The series the documents use, plus the default series of every type we write."""
    types = [int(t) for t in DocType]
    marks = ", ".join("?" * len(types))
    found = {(DocType(int(r[0])), as_text(r[1]))
             for r in tx.query(f"SELECT DISTINCT dok_Typ, dok_NrRoz FROM dok__Dokument WHERE dok_Typ IN ({marks})",
                               *types)}
    found |= {(t, "") for t in DocType}
    return [DocumentSeries(t, suffix, f"{t.symbol} {suffix}".strip()) for t, suffix in sorted(found)]
