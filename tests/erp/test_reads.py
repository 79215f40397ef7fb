"""Reading the ERP on every backend: products, contractors, VAT rates, warehouses, series."""

from __future__ import annotations

from decimal import Decimal

from sellintegro.erp import Address, ContractorRequest, DocType, ItemKind, VatKind, find_vat_rate

from .conftest import Backend, count, rows
from .samples import small_order


def test_a_product_is_found_by_symbol_with_its_vat_rate_and_price(backend: Backend) -> None:
    erp = backend.open()
    p = erp.product_by_symbol("KS-PAN-TAD")
    assert p is not None
    assert (p.name, p.ean, p.unit, p.kind, p.blocked) == ("Książka: Pan Tadeusz", "9788373271234", "szt.",
                                                          ItemKind.GOODS, False)
    rate = next(r for r in erp.vat_rates() if r.id == p.vat_id)
    assert rate.percent == 5
    assert (p.price_gross, p.price_net) == (Decimal("39.99"), Decimal("38.09"))
    assert erp.product_by_symbol("NO-SUCH-SKU") is None


def test_a_product_is_found_by_ean_and_by_exact_name(backend: Backend) -> None:
    erp = backend.open()
    [by_ean] = erp.products_by_ean("5901234123457")
    assert by_ean.symbol == "KUB-CER-300"
    assert [p.symbol for p in erp.products_by_name("Kubek ceramiczny 300 ml")] == ["KUB-CER-300"]
    assert erp.products_by_ean("0000000000000") == [] and erp.products_by_ean("") == []
    assert erp.products_by_name("Kubek") == []


def test_a_deleted_product_is_not_found(backend: Backend) -> None:
    erp = backend.open()
    erp.db.run(lambda tx: tx.execute("UPDATE tw__Towar SET tw_Usuniety = 1 WHERE tw_Symbol = ?", "CHLEB-ZYT"),
               write=True)
    assert erp.product_by_symbol("CHLEB-ZYT") is None


def test_delivery_and_training_are_services(backend: Backend) -> None:
    erp = backend.open()
    services = [erp.product_by_symbol(s) for s in ("TRANSPORT", "SZKOL-ONL")]
    assert [p.kind if p else None for p in services] == [ItemKind.SERVICE, ItemKind.SERVICE]


def test_vat_rates_include_zw_np_and_oo_found_by_kind_not_id(backend: Backend) -> None:
    rates = backend.open().vat_rates()
    kinds = {r.symbol: r.kind for r in rates}
    assert kinds == {"23": VatKind.TAXED, "8": VatKind.TAXED, "5": VatKind.TAXED, "0": VatKind.TAXED,
                     "zw": VatKind.EXEMPT, "np": VatKind.NOT_SUBJECT, "oo": VatKind.REVERSE_CHARGE}
    zw = find_vat_rate(rates, -1)
    assert zw is not None and zw.id == 100005 and zw.percent == 0


def test_warehouses_list_the_main_one_first(backend: Backend) -> None:
    [mag] = backend.open().warehouses()
    assert (mag.symbol, mag.name, mag.main) == ("MAG", "Magazyn główny", True)


def test_document_series_list_the_sample_series_and_those_in_use(backend: Backend) -> None:
    erp = backend.open()
    erp.write_document(small_order(erp, "S1", series="BL"))
    series = {(s.type, s.suffix) for s in erp.document_series()}
    assert series == {(DocType.ZK, ""), (DocType.FS, ""), (DocType.PA, ""), (DocType.FS, "A"), (DocType.ZK, "BL")}


def test_document_series_come_from_the_documents_when_gt_has_no_series_table(backend: Backend) -> None:
    erp = backend.open()
    erp.db.run(lambda tx: tx.execute("DROP TABLE si_SeriaDokumentu"), write=True)
    erp.write_document(small_order(erp, "S2", DocType.FS, series="B"))
    series = {(s.type, s.suffix) for s in erp.document_series()}
    assert series == {(DocType.ZK, ""), (DocType.FS, ""), (DocType.PA, ""), (DocType.FS, "B")}


def test_a_contractor_is_found_by_nip_in_any_spelling(backend: Backend) -> None:
    erp = backend.open()
    erp.db.run(lambda tx: tx.execute("UPDATE adr__Ewid SET adr_NIP = ? WHERE adr_NIP = ?", "526-000-12-46",
                                     "5260001246"), write=True)
    for spelling in ("5260001246", "PL5260001246", "PL 526-000-12-46"):
        found = erp.contractor_by_nip(spelling)
        assert found is not None and found.symbol == "KWIATEK", spelling
    assert found is not None
    assert (found.address.name, found.address.city, found.address.postcode) == (
        "Hurtownia Kwiatek sp. z o.o.", "Warszawa", "00-590")
    assert erp.contractor_by_nip("1111111111") is None and erp.contractor_by_nip("") is None


def test_contractors_are_found_by_email_ignoring_case(backend: Backend) -> None:
    erp = backend.open()
    [anna] = erp.contractors_by_email("Anna.Nowak@EXAMPLE.pl")
    assert (anna.person, anna.first_name, anna.last_name, anna.address.city) == (True, "Anna", "Nowak", "Gdańsk")
    assert erp.contractors_by_email("nobody@example.pl") == []


def test_ensure_contractor_creates_once_then_finds_by_nip_or_email(backend: Backend) -> None:
    erp = backend.open()
    request = ContractorRequest(Address(name="Sklep Żabka Łódź", nip="PL 725-100-20-30", street="ul. Piotrkowska",
                                        house_no="100", postcode="90-001", city="Łódź"), email="Lodz@Example.pl")
    made = erp.ensure_contractor(request)
    assert (made.symbol, made.address.nip, made.address.name) == ("7251002030", "7251002030", "Sklep Żabka Łódź")
    assert erp.ensure_contractor(request).id == made.id
    by_email_only = ContractorRequest(Address(name="Inna nazwa"), email="lodz@example.pl")
    assert erp.ensure_contractor(by_email_only).id == made.id
    assert count(erp, "SELECT COUNT(*) FROM kh__Kontrahent WHERE kh_Id = ?", made.id) == 1
    assert rows(erp, "SELECT COUNT(*) FROM adr__Ewid WHERE adr_IdObiektu = ? AND adr_TypAdresu = 1",
                made.id)[0][0] == 1


def test_texts_longer_than_gt_columns_are_cut_to_fit(backend: Backend) -> None:
    erp = backend.open()
    made = erp.ensure_contractor(ContractorRequest(Address(name="N" * 80, city="M" * 60), email="long@example.pl"))
    assert (len(made.address.name), len(made.address.city), len(made.address.full_name)) == (53, 40, 80)
