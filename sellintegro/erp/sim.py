"""`sellintegro sim erp --create PATH|CONNSTR`: a sample Subiekt-GT-compatible ERP database.

PATH makes a SQLite file for the embedded backend (standard library, no ODBC needed); a connection
string (`DRIVER={SQLite3};Database=...`, `DRIVER={PostgreSQL Unicode};Server=...;Database=...`,
`DSN=...`) creates the same schema through ODBC. A database that already holds `dok__Dokument` is
never touched: this must not run against a live ERP.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import contractors
from .connection import Connector, Database, Tx, is_driver_error
from .errors import ErpError
from .ids import allocate
from .model import Address, ContractorRequest, DocType, ItemKind
from .schema import COUNTED, ddl
from .totals import round_grosz

# sl_StawkaVAT as GT ships it: ids far from 1 (GT's 23 % is 100001), so nothing may assume small ids.
VAT_RATES = (  # vat_Id, vat_Symbol, vat_Nazwa, vat_Stawka
    (100001, "23", "23%", Decimal(23)),
    (100002, "8", "8%", Decimal(8)),
    (100003, "5", "5%", Decimal(5)),
    (100004, "0", "0%", Decimal(0)),
    (100005, "zw", "zwolniony", Decimal(0)),
    (100006, "np", "nie podlega", Decimal(0)),
    (100007, "oo", "odwrotne obciążenie", Decimal(0)),
)


@dataclass(frozen=True)
class SampleProduct:
    symbol: str
    name: str
    ean12: str            # the EAN-13 without its check digit
    vat_symbol: str
    gross: Decimal
    kind: ItemKind = ItemKind.GOODS
    unit: str = "szt."


SAMPLE_PRODUCTS = (
    SampleProduct("KUB-CER-300", "Kubek ceramiczny 300 ml", "590123412345", "23", Decimal("19.99")),
    SampleProduct("LAD-USBC-65", "Ładowarka USB-C 65 W", "590123412346", "23", Decimal("129.00")),
    SampleProduct("KOSZ-BAW-M", "Koszulka bawełniana, rozmiar M", "590123412347", "23", Decimal("49.90")),
    SampleProduct("SWIECA-ZAP", "Świeca zapachowa sojowa", "590123412348", "23", Decimal("34.50")),
    SampleProduct("TERM-ELEK", "Termometr elektroniczny", "590123412349", "8", Decimal("24.99")),
    SampleProduct("KS-PAN-TAD", "Książka: Pan Tadeusz", "978837327123", "5", Decimal("39.99")),
    SampleProduct("CHLEB-ZYT", "Chleb żytni razowy 500 g", "590123412350", "5", Decimal("6.49")),
    SampleProduct("MIOD-WIEL-1", "Miód wielokwiatowy 1 kg", "590123412351", "5", Decimal("54.00"), unit="szt."),
    SampleProduct("KAWA-ZIAR-1", "Kawa ziarnista 1 kg", "590123412352", "23", Decimal("64.90")),
    SampleProduct("SZKOL-ONL", "Szkolenie online: obsługa sklepu", "", "zw", Decimal("100.00"), ItemKind.SERVICE,
                  "usł."),
    SampleProduct("TRANSPORT", "Przesyłka kurierska", "", "23", Decimal("14.99"), ItemKind.SERVICE, "usł."),
)

SERIES = ((DocType.ZK, "", "Zamówienia od klientów"), (DocType.FS, "", "Faktury sprzedaży"),
          (DocType.PA, "", "Paragony"), (DocType.FS, "A", "Faktury Allegro"))

SAMPLE_CONTRACTORS = (
    ContractorRequest(Address(name="Hurtownia Kwiatek sp. z o.o.", full_name="Hurtownia Kwiatek spółka z o.o.",
                              nip="526-000-12-46", street="ul. Marszałkowska", house_no="10", flat_no="5",
                              postcode="00-590", city="Warszawa", phone="+48 22 123 45 67"),
                      email="biuro@kwiatek.example.pl", symbol="KWIATEK"),
    ContractorRequest(Address(name="Anna Nowak", street="ul. Długa", house_no="7", postcode="80-827",
                              city="Gdańsk"), email="anna.nowak@example.pl", person=True, first_name="Anna",
                      last_name="Nowak"),
)


def ean13(base12: str) -> str:
    """`base12` with its EAN-13 check digit appended ("" stays "")."""
    if not base12:
        return ""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(base12))
    return base12 + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Summary:
    target: str
    products: int
    vat_rates: int
    warehouses: int
    series: int
    contractors: int


class AlreadyExists(ErpError):
    pass


def _has_schema(tx: Tx) -> bool:
    try:
        tx.query("SELECT dok_Id FROM dok__Dokument WHERE 1 = 0")
    except Exception as e:
        if not is_driver_error(e):
            raise
        return False
    return True


def _populate(tx: Tx) -> None:
    for statement in ddl(tx.dialect):
        tx.execute(statement)
    for table in COUNTED:
        tx.execute("INSERT INTO ins_ident (ido_nazwa, ido_wartosc) VALUES (?, ?)", table, 1)
    for pos, (vat_id, symbol, name, percent) in enumerate(VAT_RATES, 1):
        tx.execute("INSERT INTO sl_StawkaVAT (vat_Id, vat_Nazwa, vat_Stawka, vat_Symbol, vat_CzyWidoczna, "
                   "vat_Pozycja) VALUES (?, ?, ?, ?, ?, ?)", vat_id, name, percent, symbol, True, pos)
    tx.execute("UPDATE ins_ident SET ido_wartosc = ? WHERE ido_nazwa = ?", max(v[0] for v in VAT_RATES) + 1,
               "sl_StawkaVAT")
    mag_id = allocate(tx, "sl_Magazyn")
    tx.execute("INSERT INTO sl_Magazyn (mag_Id, mag_Symbol, mag_Nazwa, mag_Status, mag_Opis, mag_Glowny) "
               "VALUES (?, ?, ?, ?, ?, ?)", mag_id, "MAG", "Magazyn główny", 1, "Magazyn przykładowy", True)
    for doc_type, suffix, name in SERIES:
        tx.execute("INSERT INTO si_SeriaDokumentu (ser_Id, ser_Typ, ser_NrRoz, ser_Nazwa) VALUES (?, ?, ?, ?)",
                   allocate(tx, "si_SeriaDokumentu"), int(doc_type), suffix, name)
    rates = {symbol: (vat_id, percent) for vat_id, symbol, _, percent in VAT_RATES}
    for p in SAMPLE_PRODUCTS:
        tw_id = allocate(tx, "tw__Towar")
        vat_id, percent = rates[p.vat_symbol]
        tx.execute("INSERT INTO tw__Towar (tw_Id, tw_Zablokowany, tw_Rodzaj, tw_Symbol, tw_Nazwa, tw_Opis, "
                   "tw_IdVatSp, tw_JednMiary, tw_PodstKodKresk, tw_Usuniety) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   tw_id, False, int(p.kind), p.symbol, p.name, "", vat_id, p.unit, ean13(p.ean12), False)
        net = round_grosz(p.gross * 100 / (100 + percent))
        tx.execute("INSERT INTO tw_Cena (tc_Id, tc_IdTowar, tc_CenaNetto1, tc_CenaBrutto1) VALUES (?, ?, ?, ?)",
                   allocate(tx, "tw_Cena"), tw_id, net, p.gross)
    for request in SAMPLE_CONTRACTORS:
        contractors.ensure(tx, request)


def create(target: str | Path, replace: bool = False) -> Summary:
    """Create the sample database at `target` (a SQLite path or an ODBC connection string)."""
    connector = Connector.for_target(str(target))
    if not connector.odbc and Path(connector.target).exists():
        if not replace:
            raise AlreadyExists(f"{connector.target} already exists (--replace makes it anew)")
        Path(connector.target).unlink()
    db = Database(connector, retries=0)
    try:
        if db.run(_has_schema, write=False):
            raise AlreadyExists(f"{connector.describe()} already holds dok__Dokument: refusing to touch an "
                                "existing ERP database")
        db.run(_populate, write=True)
    finally:
        db.close()
    return Summary(connector.describe(), len(SAMPLE_PRODUCTS), len(VAT_RATES), 1, len(SERIES),
                   len(SAMPLE_CONTRACTORS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sellintegro sim erp",
        description="Create a sample Subiekt-GT-compatible ERP database: VAT rates, a warehouse, numbering "
                    "series, products and contractors.")
    parser.add_argument("--create", required=True, metavar="PATH|CONNSTR",
                        help="a SQLite file path (embedded backend), or an ODBC connection string such as "
                             "'DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Database=erp;UID=me'")
    parser.add_argument("--replace", action="store_true", help="delete an existing SQLite file first")
    args = parser.parse_args(argv)
    try:
        summary = create(args.create, replace=args.replace)
    except ErpError as e:
        print(f"sellintegro sim erp: {e}", file=sys.stderr)
        return 1
    print(f"created a sample ERP database at {summary.target}: {summary.products} products, "
          f"{summary.vat_rates} VAT rates, {summary.warehouses} warehouse, {summary.series} series, "
          f"{summary.contractors} contractors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
