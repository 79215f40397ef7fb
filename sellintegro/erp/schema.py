"""The Subiekt-GT-compatible schema subset we read and write, as DDL for each dialect.

Table and column names, types and sizes are GT's own (reference: erp-subiekt-optima.md, and a
column dump of a live GT database). Only the columns we use are here; NOT NULL columns carry GT's
defaults ('' and 0), as GT's scaffold declares. Ids are plain ints, not IDENTITY: they come from
`ins_ident`, one counter row per table (`ido_wartosc` = the next free value).

`si_SeriaDokumentu` is ours, not GT's: a list of numbering series (a document type and its
`dok_NrRoz` suffix) for the sample database. On a real GT database it is absent and the series
are read from the documents (see `SqlErp.document_series`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .dialects import MSSQL, MSSQL_SP_IDENTYFIKATOR, Dialect


@dataclass(frozen=True)
class Column:
    name: str
    kind: str                 # INT, SMALLINT, BIT, MONEY, DATETIME, VARCHAR(n), CHAR(n)
    null: bool = True
    default: str | None = None


def _c(name: str, kind: str, default: str | None = None, null: bool | None = None) -> Column:
    """A column; one with a default is NOT NULL unless told otherwise."""
    return Column(name, kind, null=(default is None) if null is None else null, default=default)


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[Column, ...]
    indexes: tuple[tuple[str, ...], ...] = ()


TABLES: tuple[Table, ...] = (
    Table("ins_ident", "ido_nazwa", (
        _c("ido_nazwa", "VARCHAR(50)", null=False),
        _c("ido_wartosc", "INT", "1"),
    )),
    Table("sl_StawkaVAT", "vat_Id", (
        _c("vat_Id", "INT", null=False),
        _c("vat_Nazwa", "VARCHAR(50)", "''"),
        _c("vat_Stawka", "MONEY", "0"),
        _c("vat_Symbol", "VARCHAR(20)", "''"),
        _c("vat_CzyWidoczna", "BIT", "1"),
        _c("vat_Pozycja", "INT", "0"),
    )),
    Table("sl_Magazyn", "mag_Id", (
        _c("mag_Id", "INT", null=False),
        _c("mag_Symbol", "VARCHAR(3)", "''"),
        _c("mag_Nazwa", "VARCHAR(50)", "''"),
        _c("mag_Status", "INT", "0"),
        _c("mag_Opis", "VARCHAR(255)"),
        _c("mag_Glowny", "BIT", "0"),
    )),
    Table("si_SeriaDokumentu", "ser_Id", (
        _c("ser_Id", "INT", null=False),
        _c("ser_Typ", "INT", "0"),
        _c("ser_NrRoz", "VARCHAR(3)", "''"),
        _c("ser_Nazwa", "VARCHAR(50)", "''"),
    )),
    Table("tw__Towar", "tw_Id", (
        _c("tw_Id", "INT", null=False),
        _c("tw_Zablokowany", "BIT", "0"),
        _c("tw_Rodzaj", "INT", "1"),
        _c("tw_Symbol", "VARCHAR(20)", "''"),
        _c("tw_Nazwa", "VARCHAR(50)", "''"),
        _c("tw_Opis", "VARCHAR(255)", "''"),
        _c("tw_IdVatSp", "INT"),
        _c("tw_JednMiary", "VARCHAR(10)", "'szt.'"),
        _c("tw_PKWiU", "VARCHAR(20)", "''"),
        _c("tw_DostSymbol", "VARCHAR(20)", "''"),
        _c("tw_PodstKodKresk", "VARCHAR(20)", "''"),
        _c("tw_Usuniety", "BIT", "0"),
    ), indexes=(("tw_Symbol",), ("tw_PodstKodKresk",))),
    Table("tw_Cena", "tc_Id", (
        _c("tc_Id", "INT", null=False),
        _c("tc_IdTowar", "INT", null=False),
        _c("tc_CenaNetto1", "MONEY"),
        _c("tc_CenaBrutto1", "MONEY"),
    ), indexes=(("tc_IdTowar",),)),
    Table("kh__Kontrahent", "kh_Id", (
        _c("kh_Id", "INT", null=False),
        _c("kh_Symbol", "VARCHAR(20)", "''"),
        _c("kh_Rodzaj", "INT", "0"),
        _c("kh_Osoba", "BIT", "0"),
        _c("kh_Imie", "VARCHAR(20)", "''"),
        _c("kh_Nazwisko", "VARCHAR(51)", "''"),
        _c("kh_EMail", "VARCHAR(255)", "''"),
        _c("kh_Jednorazowy", "BIT", "0"),
        _c("kh_KlientSklepuInternetowego", "BIT", "0"),
        _c("kh_Zablokowany", "BIT", "0"),
    ), indexes=(("kh_Symbol",), ("kh_EMail",))),
    Table("adr__Ewid", "adr_Id", (
        _c("adr_Id", "INT", null=False),
        _c("adr_IdObiektu", "INT"),
        _c("adr_TypAdresu", "INT", "1"),
        _c("adr_Nazwa", "VARCHAR(53)", "''"),
        _c("adr_NazwaPelna", "VARCHAR(255)", "''"),
        _c("adr_NIP", "VARCHAR(20)", "''"),
        _c("adr_Ulica", "VARCHAR(60)", "''"),
        _c("adr_NrDomu", "VARCHAR(10)", "''"),
        _c("adr_NrLokalu", "VARCHAR(10)", "''"),
        _c("adr_Kod", "VARCHAR(8)", "''"),
        _c("adr_Miejscowosc", "VARCHAR(40)", "''"),
        _c("adr_IdPanstwo", "INT"),
        _c("adr_Telefon", "VARCHAR(35)", "''"),
    ), indexes=(("adr_IdObiektu", "adr_TypAdresu"), ("adr_NIP",))),
    Table("adr_Historia", "adrh_Id", (
        _c("adrh_Id", "INT", null=False),
        _c("adrh_IdAdresu", "INT"),
        _c("adrh_Nazwa", "VARCHAR(53)", "''"),
        _c("adrh_NazwaPelna", "VARCHAR(255)", "''"),
        _c("adrh_NIP", "VARCHAR(20)", "''"),
        _c("adrh_Ulica", "VARCHAR(60)", "''"),
        _c("adrh_NrDomu", "VARCHAR(10)", "''"),
        _c("adrh_NrLokalu", "VARCHAR(10)", "''"),
        _c("adrh_Kod", "VARCHAR(8)", "''"),
        _c("adrh_Miejscowosc", "VARCHAR(40)", "''"),
        _c("adrh_IdPanstwo", "INT"),
        _c("adrh_Telefon", "VARCHAR(35)", "''"),
    )),
    Table("dok__Dokument", "dok_Id", (
        _c("dok_Id", "INT", null=False),
        _c("dok_Typ", "INT", null=False),
        _c("dok_Podtyp", "INT", "0"),
        _c("dok_MagId", "INT"),
        _c("dok_Nr", "INT"),
        _c("dok_NrRoz", "CHAR(3)", "''", null=True),
        _c("dok_NrPelny", "VARCHAR(30)", "''"),
        _c("dok_NrPelnyOryg", "VARCHAR(30)", "''"),
        _c("dok_DoDokId", "INT"),
        _c("dok_DoDokNrPelny", "VARCHAR(30)", "''"),
        _c("dok_MscWyst", "VARCHAR(40)", "''"),
        _c("dok_DataWyst", "DATETIME", null=False),
        _c("dok_DataMag", "DATETIME", null=False),
        _c("dok_DataOtrzym", "DATETIME"),
        _c("dok_PlatnikId", "INT"),
        _c("dok_PlatnikAdreshId", "INT"),
        _c("dok_OdbiorcaId", "INT"),
        _c("dok_OdbiorcaAdreshId", "INT"),
        _c("dok_PlatId", "INT"),
        _c("dok_PlatTermin", "DATETIME"),
        _c("dok_Wystawil", "VARCHAR(40)", "''"),
        _c("dok_Odebral", "VARCHAR(40)", "''"),
        _c("dok_CenyTyp", "INT"),
        _c("dok_WartUsNetto", "MONEY", "0"),
        _c("dok_WartUsBrutto", "MONEY", "0"),
        _c("dok_WartTwNetto", "MONEY", "0"),
        _c("dok_WartTwBrutto", "MONEY", "0"),
        _c("dok_WartMag", "MONEY", "0"),
        _c("dok_WartNetto", "MONEY", "0"),
        _c("dok_WartVat", "MONEY", "0"),
        _c("dok_WartBrutto", "MONEY", "0"),
        _c("dok_KwWartosc", "MONEY"),
        _c("dok_KwGotowka", "MONEY"),
        _c("dok_KwKarta", "MONEY"),
        _c("dok_KwDoZaplaty", "MONEY"),
        _c("dok_KwKredyt", "MONEY"),
        _c("dok_KwReszta", "MONEY"),
        _c("dok_KwPrzelew", "MONEY"),
        _c("dok_Waluta", "CHAR(3)"),
        _c("dok_WalutaKurs", "MONEY", "1"),
        _c("dok_Uwagi", "VARCHAR(500)", "''"),
        _c("dok_Tytul", "VARCHAR(50)", "''"),
        _c("dok_Podtytul", "VARCHAR(50)", "''"),
        _c("dok_Status", "INT", "0"),
        _c("dok_StatusKsieg", "INT", "0"),
        _c("dok_StatusFiskal", "INT", "0"),
    ), indexes=(("dok_Typ", "dok_Podtyp", "dok_NrPelnyOryg", "dok_PlatnikId"), ("dok_Typ", "dok_DataWyst"))),
    Table("dok_Pozycja", "ob_Id", (
        _c("ob_Id", "INT", null=False),
        _c("ob_DoId", "INT"),
        _c("ob_Znak", "SMALLINT", "1"),
        _c("ob_Status", "INT"),
        _c("ob_DokHanId", "INT"),
        _c("ob_DokMagId", "INT"),
        _c("ob_TowId", "INT"),
        _c("ob_TowRodzaj", "INT", "1"),
        _c("ob_Opis", "VARCHAR(255)"),
        _c("ob_DokHanLp", "INT"),
        _c("ob_DokMagLp", "INT"),
        _c("ob_Ilosc", "MONEY", "0"),
        _c("ob_IloscMag", "MONEY", "0"),
        _c("ob_Jm", "VARCHAR(10)"),
        _c("ob_CenaMag", "MONEY", "0"),
        _c("ob_CenaWaluta", "MONEY", "0"),
        _c("ob_CenaNetto", "MONEY", "0"),
        _c("ob_CenaBrutto", "MONEY", "0"),
        _c("ob_Rabat", "MONEY", "0"),
        _c("ob_WartMag", "MONEY", "0"),
        _c("ob_WartNetto", "MONEY", "0"),
        _c("ob_WartVat", "MONEY", "0"),
        _c("ob_WartBrutto", "MONEY", "0"),
        _c("ob_VatId", "INT"),
        _c("ob_VatProc", "MONEY", "0"),
        _c("ob_MagId", "INT"),
    ), indexes=(("ob_DokHanId",),)),
)

# Tables whose ids come from ins_ident (every table above but the counter table itself).
COUNTED = tuple(t.name for t in TABLES if t.name != "ins_ident")
# The counters a document write takes ids from.
WRITE_COUNTERS = ("dok__Dokument", "dok_Pozycja", "kh__Kontrahent", "adr__Ewid", "adr_Historia")
# Ours, optional: a real GT database has no si_SeriaDokumentu.
OPTIONAL = ("si_SeriaDokumentu",)


def probe(table: Table) -> str:
    """A statement that fails unless `table` exists with every column we use, and reads nothing."""
    return f"SELECT {', '.join(c.name for c in table.columns)} FROM {table.name} WHERE 1 = 0"


def ddl(dialect: Dialect) -> list[str]:
    """CREATE statements for every table and index, in this dialect."""
    out = []
    for table in TABLES:
        cols = []
        for c in table.columns:
            spec = f"{c.name} {dialect.column_type(c.kind)}"
            if c.default is not None:
                spec += f" DEFAULT {c.default}"
            spec += "" if c.null else " NOT NULL"
            cols.append(spec)
        cols.append(f"PRIMARY KEY ({table.key})")
        out.append(f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(cols) + "\n)")
        for i, columns in enumerate(table.indexes, 1):
            out.append(f"CREATE INDEX IX_{table.name}_{i} ON {table.name} ({', '.join(columns)})")
    if dialect is MSSQL:
        out.append(MSSQL_SP_IDENTYFIKATOR)
    return out
