"""Sales documents in `dok__Dokument` + `dok_Pozycja`: the idempotent write, numbering, reading back.

A write runs inside one transaction that first locks the `dok__Dokument` counter row. That lock
serializes writers, so the duplicate check on (`dok_Typ`, `dok_NrPelnyOryg`) and the next
`dok_Nr` see every document committed before, and a concurrent writer of the same order finds
this one instead of adding a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import catalog, contractors
from .connection import Tx
from .dialects import as_amount, as_datetime, as_decimal, as_int, as_text
from .errors import ErpInputError, ErpSchemaError, erp_msg
from .ids import allocate, lock_counter
from .model import (
    DocType,
    DocumentRequest,
    ItemKind,
    LineRequest,
    PaymentMethod,
    StoredDocument,
    StoredLine,
    VatRate,
)
from .totals import LineAmounts, document_totals, line_amounts

KEY_LENGTH = 30    # dok_NrPelnyOryg is varchar(30)
PRICES_GROSS = 0   # dok_CenyTyp: 0 = gross prices (LiczonyOdCenBrutto), 1 = net

_TITLES = {DocType.ZK: "Zamówienie od klienta", DocType.FS: "Faktura VAT", DocType.PA: "Paragon"}


def describe(request: DocumentRequest) -> str:
    """How a person recognizes the document in a message: "ZK for order 123"."""
    return f"{request.type.symbol} {request.original_number!r}"


def check(request: DocumentRequest) -> None:
    """What can be refused without the database (a poison input, never worth a retry)."""
    doc = describe(request)
    key = request.original_number.strip()
    if not key:
        raise ErpInputError(doc, erp_msg("erp.no_key"))
    if len(key) > KEY_LENGTH:
        raise ErpInputError(doc, erp_msg("erp.key_length", key=key, limit=KEY_LENGTH))
    if not request.lines:
        raise ErpInputError(doc, erp_msg("erp.no_lines"))
    if request.contractor is None and request.type is not DocType.PA:
        raise ErpInputError(doc, erp_msg("erp.no_contractor", type=request.type.symbol))
    for lp, line in enumerate(request.lines, 1):
        if line.quantity <= 0:
            raise ErpInputError(doc, erp_msg("erp.bad_quantity", lp=lp, value=line.quantity))
        if line.unit_gross < 0:
            raise ErpInputError(doc, erp_msg("erp.bad_price", lp=lp, value=line.unit_gross))
        if line.product_id is None and (not line.name.strip() or line.vat_id is None):
            raise ErpInputError(doc, erp_msg("erp.one_off_needs", lp=lp))


def number(doc_type: DocType, nr: int, suffix: str, year: int) -> str:
    """`dok_NrPelny`: "ZK 45/2026", or "ZK 45/A/2026" in series A."""
    return f"{doc_type.symbol} {nr}/{suffix}/{year}" if suffix else f"{doc_type.symbol} {nr}/{year}"


def next_nr(tx: Tx, doc_type: DocType, suffix: str, year: int) -> int:
    row = tx.one("SELECT MAX(dok_Nr) FROM dok__Dokument WHERE dok_Typ = ? AND dok_NrRoz = ? "
                 "AND dok_DataWyst >= ? AND dok_DataWyst < ?",
                 int(doc_type), suffix, datetime(year, 1, 1), datetime(year + 1, 1, 1))
    last = as_int(row[0]) if row is not None else None
    return (last or 0) + 1


def find(tx: Tx, doc_type: DocType, original_number: str) -> int | None:
    row = tx.one("SELECT MIN(dok_Id) FROM dok__Dokument WHERE dok_Typ = ? AND dok_NrPelnyOryg = ?",
                 int(doc_type), original_number.strip())
    return None if row is None or row[0] is None else int(row[0])


@dataclass(frozen=True)
class _Line:
    request: LineRequest
    product_id: int | None
    kind: ItemKind
    name: str
    unit: str
    rate: VatRate
    amounts: LineAmounts


def _resolve_lines(tx: Tx, request: DocumentRequest) -> list[_Line]:
    doc = describe(request)
    rates: dict[int, VatRate] = {}
    out = []
    for lp, line in enumerate(request.lines, 1):
        product = None
        if line.product_id is not None:
            product = catalog.product_by_id(tx, line.product_id)
            if product is None:
                raise ErpInputError(doc, erp_msg("erp.unknown_product", lp=lp, id=line.product_id))
        vat_id = line.vat_id if line.vat_id is not None else (product.vat_id if product else None)
        if vat_id is None:
            raise ErpInputError(doc, erp_msg("erp.no_vat", lp=lp))
        if vat_id not in rates:
            rate = catalog.vat_rate(tx, vat_id)
            if rate is None:
                raise ErpInputError(doc, erp_msg("erp.unknown_vat", lp=lp, id=vat_id))
            rates[vat_id] = rate
        kind = line.kind or (product.kind if product else ItemKind.SERVICE)
        name = (line.name.strip() or (product.name if product else ""))[:255]
        unit = (line.unit or (product.unit if product else "") or "szt.")[:10]
        out.append(_Line(line, line.product_id, kind, name, unit, rates[vat_id],
                         line_amounts(line.unit_gross, line.quantity, rates[vat_id])))
    return out


def _warehouse(tx: Tx, warehouse_id: int | None) -> int:
    if warehouse_id is not None:
        if tx.one("SELECT mag_Id FROM sl_Magazyn WHERE mag_Id = ?", warehouse_id) is None:
            raise ErpSchemaError(erp_msg("erp.no_warehouse", which=warehouse_id))
        return warehouse_id
    row = tx.one("SELECT MIN(mag_Id) FROM sl_Magazyn WHERE mag_Glowny = 1")
    if row is None or row[0] is None:
        row = tx.one("SELECT MIN(mag_Id) FROM sl_Magazyn")
    if row is None or row[0] is None:
        raise ErpSchemaError(erp_msg("erp.no_warehouse", which="(main)"))
    return int(row[0])


def write(tx: Tx, request: DocumentRequest, now: datetime) -> tuple[int, bool]:
    """Write the document unless it exists; (dok_Id, created). Runs inside the caller's transaction."""
    lock_counter(tx, "dok__Dokument")
    key = request.original_number.strip()
    existing = find(tx, request.type, key)
    if existing is not None:
        return existing, False

    kh_id: int | None = None
    if isinstance(request.contractor, int):
        if contractors.by_id(tx, request.contractor) is None:
            raise ErpInputError(describe(request), erp_msg("erp.unknown_contractor", id=request.contractor))
        kh_id = request.contractor
    elif request.contractor is not None:
        kh_id = contractors.ensure(tx, request.contractor).id
    mag_id = _warehouse(tx, request.warehouse_id)
    lines = _resolve_lines(tx, request)
    totals = document_totals((ln.amounts, ln.rate, ln.kind) for ln in lines)

    issued = (request.issue_date or now).replace(microsecond=0, tzinfo=None)
    suffix = request.series.strip()[:3]
    nr = next_nr(tx, request.type, suffix, issued.year)
    adrh_id = contractors.snapshot_address(tx, kh_id) if kh_id is not None else None
    dok_id = allocate(tx, "dok__Dokument")
    first_ob = allocate(tx, "dok_Pozycja", len(lines))

    method = request.payment.method
    pays = {m: Decimal("0.00") for m in PaymentMethod}
    pays[method] = totals.gross
    credit = pays[PaymentMethod.CASH_ON_DELIVERY] + pays[PaymentMethod.DEFERRED]
    due = request.payment.due or issued.date()
    based_on = _based_on(tx, request.based_on_id)

    tx.execute(
        "INSERT INTO dok__Dokument (dok_Id, dok_Typ, dok_Podtyp, dok_MagId, dok_Nr, dok_NrRoz, dok_NrPelny, "
        "dok_NrPelnyOryg, dok_DoDokId, dok_DoDokNrPelny, dok_MscWyst, dok_DataWyst, dok_DataMag, dok_PlatnikId, "
        "dok_PlatnikAdreshId, dok_OdbiorcaId, dok_OdbiorcaAdreshId, dok_PlatTermin, dok_Wystawil, dok_Odebral, "
        "dok_CenyTyp, dok_WartUsNetto, dok_WartUsBrutto, dok_WartTwNetto, dok_WartTwBrutto, dok_WartMag, "
        "dok_WartNetto, dok_WartVat, dok_WartBrutto, dok_KwWartosc, dok_KwGotowka, dok_KwKarta, dok_KwDoZaplaty, "
        "dok_KwKredyt, dok_KwReszta, dok_KwPrzelew, dok_Waluta, dok_WalutaKurs, dok_Uwagi, dok_Tytul, dok_Podtytul, "
        "dok_Status, dok_StatusKsieg, dok_StatusFiskal) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        dok_id, int(request.type), 0, mag_id, nr, suffix, number(request.type, nr, suffix, issued.year), key,
        based_on[0], based_on[1], "", issued, issued, kh_id,
        adrh_id, kh_id, adrh_id, due, request.issued_by.strip()[:40], "",
        PRICES_GROSS, totals.services_net, totals.services_gross, totals.goods_net, totals.goods_gross,
        Decimal("0.00"),
        totals.net, totals.vat, totals.gross, totals.gross, pays[PaymentMethod.CASH], pays[PaymentMethod.CARD],
        credit, credit, Decimal("0.00"), pays[PaymentMethod.TRANSFER], request.currency.strip()[:3], Decimal(1),
        request.notes.strip()[:500], _TITLES[request.type], "", 0, 0, 0)
    for i, ln in enumerate(lines):
        a = ln.amounts
        tx.execute(
            "INSERT INTO dok_Pozycja (ob_Id, ob_Znak, ob_Status, ob_DokHanId, ob_TowId, ob_TowRodzaj, ob_Opis, "
            "ob_DokHanLp, ob_Ilosc, ob_IloscMag, ob_Jm, ob_CenaMag, ob_CenaWaluta, ob_CenaNetto, ob_CenaBrutto, "
            "ob_Rabat, ob_WartMag, ob_WartNetto, ob_WartVat, ob_WartBrutto, ob_VatId, ob_VatProc, ob_MagId) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            first_ob + i, 1, 1, dok_id, ln.product_id, int(ln.kind), ln.name, i + 1, ln.request.quantity,
            ln.request.quantity, ln.unit, Decimal(0), a.unit_net, a.unit_net, a.unit_gross, Decimal(0), Decimal(0),
            a.net, a.vat, a.gross, ln.rate.id, ln.rate.percent, mag_id)
    return dok_id, True


def _based_on(tx: Tx, doc_id: int | None) -> tuple[int | None, str]:
    if doc_id is None:
        return None, ""
    row = tx.one("SELECT dok_NrPelny FROM dok__Dokument WHERE dok_Id = ?", doc_id)
    return (doc_id, as_text(row[0])) if row is not None else (None, "")


_HEADER = ("SELECT dok_Id, dok_Typ, dok_Nr, dok_NrRoz, dok_NrPelny, dok_NrPelnyOryg, dok_DataWyst, dok_PlatnikId, "
           "dok_PlatnikAdreshId, dok_MagId, dok_WartNetto, dok_WartVat, dok_WartBrutto, dok_WartTwNetto, "
           "dok_WartTwBrutto, dok_WartUsNetto, dok_WartUsBrutto, dok_KwGotowka, dok_KwKarta, dok_KwPrzelew, "
           "dok_KwKredyt, dok_KwDoZaplaty, dok_PlatTermin, dok_DoDokId, dok_Uwagi FROM dok__Dokument WHERE dok_Id = ?")

_LINES = ("SELECT ob_Id, ob_DokHanLp, ob_TowId, ob_TowRodzaj, ob_Opis, ob_Ilosc, ob_Jm, ob_CenaNetto, ob_CenaBrutto, "
          "ob_WartNetto, ob_WartVat, ob_WartBrutto, ob_VatId, ob_VatProc FROM dok_Pozycja WHERE ob_DokHanId = ? "
          "ORDER BY ob_DokHanLp")


def _line(r: tuple[Any, ...]) -> StoredLine:
    kind = ItemKind.SERVICE if as_int(r[3]) == ItemKind.SERVICE else ItemKind.GOODS
    return StoredLine(id=int(r[0]), lp=int(r[1]), product_id=as_int(r[2]), kind=kind, name=as_text(r[4]),
                      quantity=as_decimal(r[5]), unit=as_text(r[6]), unit_net=as_decimal(r[7]),
                      unit_gross=as_decimal(r[8]), net=as_amount(r[9]), vat=as_amount(r[10]),
                      gross=as_amount(r[11]), vat_id=as_int(r[12]), vat_percent=as_decimal(r[13]))


def load(tx: Tx, doc_id: int) -> StoredDocument | None:
    h = tx.one(_HEADER, doc_id)
    if h is None:
        return None
    lines = tuple(_line(r) for r in tx.query(_LINES, doc_id))
    issued = as_datetime(h[6])
    assert issued is not None
    return StoredDocument(
        id=int(h[0]), type=DocType(int(h[1])), nr=int(h[2] or 0), series=as_text(h[3]), number=as_text(h[4]),
        original_number=as_text(h[5]), issue_date=issued, contractor_id=as_int(h[7]), payer_address_id=as_int(h[8]),
        warehouse_id=as_int(h[9]), net=as_amount(h[10]), vat=as_amount(h[11]), gross=as_amount(h[12]),
        goods_net=as_amount(h[13]), goods_gross=as_amount(h[14]), services_net=as_amount(h[15]),
        services_gross=as_amount(h[16]), cash=as_amount(h[17]), card=as_amount(h[18]), transfer=as_amount(h[19]),
        credit=as_amount(h[20]), to_pay=as_amount(h[21]), due=as_datetime(h[22]), based_on_id=as_int(h[23]),
        notes=as_text(h[24]), lines=lines)
