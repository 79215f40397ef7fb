"""Writing ZK, FS and PA on every backend: totals read back, idempotency, numbering, atomicity."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from sellintegro.erp import (
    DocType,
    ErpInputError,
    ItemKind,
    LineRequest,
    Payment,
    PaymentMethod,
    StoredDocument,
    grosze,
)

from .conftest import Backend, count, counters, rows
from .samples import D, buyer, mixed_order, product_id, small_order, vat_id

MARCH = datetime(2026, 3, 14, 10, 30)


def _line_figures(doc: StoredDocument) -> list[tuple[str, int, int, int, int]]:
    return [(ln.name, int(ln.quantity), grosze(ln.net), grosze(ln.vat), grosze(ln.gross)) for ln in doc.lines]


@pytest.mark.parametrize("doc_type", [DocType.ZK, DocType.FS, DocType.PA])
def test_written_document_reads_back_with_exact_line_and_document_totals(backend: Backend, doc_type: DocType) -> None:
    erp = backend.open()
    result = erp.write_document(mixed_order(erp, "BL-1001", doc_type), now=MARCH)
    assert result.created
    # Read back on a fresh connection: what the database holds, not what the writer remembered.
    doc = backend.open().document(result.document.id)
    assert doc is not None and doc == result.document
    assert _line_figures(doc) == [
        ("Kubek ceramiczny 300 ml", 3, 4876, 1121, 5997),
        ("Książka: Pan Tadeusz", 1, 3809, 190, 3999),
        ("Miód wielokwiatowy 1 kg", 2, 12362, 618, 12980),
        ("Termometr elektroniczny", 7, 2910, 233, 3143),
        ("Szkolenie online: obsługa sklepu", 1, 10000, 0, 10000),
        ("Kurier InPost", 1, 1219, 280, 1499),
    ]
    assert [ln.kind for ln in doc.lines] == [ItemKind.GOODS] * 4 + [ItemKind.SERVICE] * 2
    assert [ln.vat_percent for ln in doc.lines] == [23, 5, 5, 8, 0, 23]
    assert doc.lines[-1].product_id is None          # delivery: a one-off service line
    assert (grosze(doc.net), grosze(doc.vat), grosze(doc.gross)) == (35174, 2444, 37618)
    assert (grosze(doc.goods_net), grosze(doc.goods_gross)) == (23957, 26119)
    assert (grosze(doc.services_net), grosze(doc.services_gross)) == (11219, 11499)
    assert doc.type is doc_type and doc.number == f"{doc_type.symbol} 1/2026"
    assert doc.original_number == "BL-1001" and doc.issue_date == MARCH
    # Cash on delivery: the whole gross is still to be paid, collected by the courier.
    assert (grosze(doc.credit), grosze(doc.to_pay), grosze(doc.cash), grosze(doc.transfer)) == (37618, 37618, 0, 0)


def test_the_stored_header_totals_are_the_columns_gt_reads(backend: Backend) -> None:
    erp = backend.open()
    doc = erp.write_document(mixed_order(erp, "BL-1002"), now=MARCH).document
    [(net, vat, gross, typ, nr, full, oryg, ceny)] = rows(
        erp, "SELECT dok_WartNetto, dok_WartVat, dok_WartBrutto, dok_Typ, dok_Nr, dok_NrPelny, dok_NrPelnyOryg, "
             "dok_CenyTyp FROM dok__Dokument WHERE dok_Id = ?", doc.id)
    assert [round(Decimal(str(v)) * 100) for v in (net, vat, gross)] == [35174, 2444, 37618]
    assert (int(typ), int(nr), full, oryg, int(ceny)) == (16, 1, "ZK 1/2026", "BL-1002", 0)
    line_sums = rows(erp, "SELECT COUNT(*), SUM(ob_WartBrutto) FROM dok_Pozycja WHERE ob_DokHanId = ?", doc.id)
    assert int(line_sums[0][0]) == 6 and round(Decimal(str(line_sums[0][1])) * 100) == 37618


def test_writing_the_same_order_twice_gives_one_document(backend: Backend) -> None:
    erp = backend.open()
    first = erp.write_document(mixed_order(erp, "BL-2001"), now=MARCH)
    before = counters(erp)
    second = backend.open().write_document(mixed_order(erp, "BL-2001"), now=datetime(2026, 3, 15))
    assert first.created and not second.created
    assert second.document == first.document
    assert count(erp, "SELECT COUNT(*) FROM dok__Dokument WHERE dok_NrPelnyOryg = ?", "BL-2001") == 1
    assert count(erp, "SELECT COUNT(*) FROM dok_Pozycja") == 6
    assert counters(erp) == before       # no id taken, no contractor created, nothing numbered


def test_the_same_order_number_in_another_document_type_is_another_document(backend: Backend) -> None:
    erp = backend.open()
    zk = erp.write_document(small_order(erp, "BL-3001"), now=MARCH).document
    fs = erp.write_document(small_order(erp, "BL-3001", DocType.FS, based_on_id=zk.id), now=MARCH).document
    assert zk.id != fs.id and (zk.number, fs.number) == ("ZK 1/2026", "FS 1/2026")
    assert fs.based_on_id == zk.id
    assert rows(erp, "SELECT dok_DoDokNrPelny FROM dok__Dokument WHERE dok_Id = ?", fs.id) == [("ZK 1/2026",)]
    assert erp.find_document(DocType.ZK, "BL-3001") == zk
    assert erp.find_document(DocType.FS, "BL-3001") == fs
    assert erp.find_document(DocType.PA, "BL-3001") is None


def test_numbers_run_per_type_series_and_year(backend: Backend) -> None:
    erp = backend.open()

    def number(key: str, doc_type: DocType = DocType.ZK, when: datetime = MARCH, series: str = "") -> str:
        req = small_order(erp, key, doc_type, issue_date=when, series=series)
        return erp.write_document(req).document.number

    assert number("A1") == "ZK 1/2026"
    assert number("A2") == "ZK 2/2026"
    assert number("A3", DocType.FS) == "FS 1/2026"
    assert number("A4", DocType.FS, series="A") == "FS 1/A/2026"
    assert number("A5", DocType.FS) == "FS 2/2026"
    assert number("A6", when=datetime(2027, 1, 1, 0, 0, 1)) == "ZK 1/2027"
    assert number("A7", when=datetime(2026, 12, 31, 23, 59, 59)) == "ZK 3/2026"
    assert number("A8", DocType.PA) == "PA 1/2026"
    nrs = rows(erp, "SELECT dok_Nr, dok_NrRoz FROM dok__Dokument WHERE dok_NrPelnyOryg = ?", "A4")
    assert (int(nrs[0][0]), str(nrs[0][1]).strip()) == (1, "A")


def test_a_new_buyer_is_created_with_its_address_and_reused_next_time(backend: Backend) -> None:
    erp = backend.open()
    first = erp.write_document(small_order(erp, "C1"), now=MARCH).document
    second = erp.write_document(small_order(erp, "C2"), now=MARCH).document
    assert first.contractor_id is not None and first.contractor_id == second.contractor_id
    [(kh_email, adr_name, street, postcode, city, typ)] = rows(
        erp, "SELECT kh_EMail, adr_Nazwa, adr_Ulica, adr_Kod, adr_Miejscowosc, adr_TypAdresu FROM kh__Kontrahent "
             "JOIN adr__Ewid ON adr_IdObiektu = kh_Id WHERE kh_Id = ?", first.contractor_id)
    assert (kh_email, adr_name, street, postcode, city, int(typ)) == (
        "jan.kowalski@example.pl", "Jan Kowalski", "ul. Polna", "00-001", "Warszawa", 1)
    # Each document keeps its own snapshot of the payer's address (adr_Historia).
    assert first.payer_address_id is not None and first.payer_address_id != second.payer_address_id
    assert rows(erp, "SELECT adrh_Nazwa, adrh_Miejscowosc FROM adr_Historia WHERE adrh_Id = ?",
                first.payer_address_id) == [("Jan Kowalski", "Warszawa")]


def test_a_buyer_with_a_known_nip_gets_the_existing_card(backend: Backend) -> None:
    erp = backend.open()
    known = erp.contractor_by_nip("5260001246")
    assert known is not None
    doc = erp.write_document(small_order(erp, "C3", DocType.FS, contractor=buyer("x@example.pl", "PL 526-000-12-46")),
                             now=MARCH).document
    assert doc.contractor_id == known.id


def test_a_receipt_needs_no_contractor_and_cash_goes_to_cash(backend: Backend) -> None:
    erp = backend.open()
    doc = erp.write_document(small_order(erp, "P1", DocType.PA, contractor=None, payment=Payment(PaymentMethod.CASH)),
                             now=MARCH).document
    assert doc.contractor_id is None and doc.payer_address_id is None
    assert (grosze(doc.gross), grosze(doc.cash), grosze(doc.to_pay)) == (4997, 4997, 0)


def test_a_deferred_payment_keeps_its_due_date(backend: Backend) -> None:
    erp = backend.open()
    doc = erp.write_document(small_order(erp, "P2", DocType.FS, payment=Payment(PaymentMethod.DEFERRED,
                                                                                date(2026, 3, 28))),
                             now=MARCH).document
    assert doc.due == datetime(2026, 3, 28) and grosze(doc.credit) == grosze(doc.gross) == 4997


def test_a_failed_write_leaves_no_header_no_lines_no_contractor_and_takes_no_ids(backend: Backend) -> None:
    erp = backend.open()
    before = counters(erp)
    contractors_before = count(erp, "SELECT COUNT(*) FROM kh__Kontrahent")
    bad = small_order(erp, "BAD-1")
    bad = type(bad)(**{**bad.__dict__, "lines": (*bad.lines, LineRequest(D(1), D("5.00"), product_id=999999))})
    with pytest.raises(ErpInputError, match="999999"):
        erp.write_document(bad, now=MARCH)
    assert count(erp, "SELECT COUNT(*) FROM dok__Dokument") == 0
    assert count(erp, "SELECT COUNT(*) FROM dok_Pozycja") == 0
    assert count(erp, "SELECT COUNT(*) FROM kh__Kontrahent") == contractors_before
    assert counters(erp) == before
    # The same connection goes on working.
    assert erp.write_document(small_order(erp, "GOOD-1"), now=MARCH).document.number == "ZK 1/2026"


@pytest.mark.parametrize(("change", "needle"), [
    ({"original_number": " "}, "empty"),
    ({"original_number": "X" * 31}, "30"),
    ({"lines": ()}, "at least one line"),
    ({"contractor": None}, "needs a contractor"),
    ({"lines": (LineRequest(D(0), D("1.00"), product_id=1),)}, "quantity"),
    ({"lines": (LineRequest(D(1), D("-1.00"), product_id=1),)}, "negative"),
    ({"lines": (LineRequest(D(1), D("1.00"), name="Usługa"),)}, "one-off service"),
])
def test_a_document_that_can_never_be_written_is_refused_as_bad_input(backend: Backend, change: dict[str, object],
                                                                     needle: str) -> None:
    erp = backend.open()
    req = small_order(erp, "BAD-2")
    with pytest.raises(ErpInputError, match=needle):
        erp.write_document(type(req)(**{**req.__dict__, **change}), now=MARCH)
    assert count(erp, "SELECT COUNT(*) FROM dok__Dokument") == 0


def test_an_unknown_vat_rate_on_a_line_is_refused_as_bad_input(backend: Backend) -> None:
    erp = backend.open()
    req = small_order(erp, "BAD-3", lines=(LineRequest(D(1), D("1.00"), product_id=product_id(erp, "KUB-CER-300"),
                                                       vat_id=4242),))
    with pytest.raises(ErpInputError, match="4242"):
        erp.write_document(req, now=MARCH)


def test_a_line_may_override_the_products_vat_rate(backend: Backend) -> None:
    erp = backend.open()
    req = small_order(erp, "V1", lines=(LineRequest(D(1), D("10.80"), product_id=product_id(erp, "KUB-CER-300"),
                                                    vat_id=vat_id(erp, 8)),))
    doc = erp.write_document(req, now=MARCH).document
    assert (grosze(doc.lines[0].vat), doc.lines[0].vat_percent) == (80, 8)
