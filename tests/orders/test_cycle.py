"""The cycle, run in the test process against the emulator and the embedded ERP: outcomes, the cursor,
waiting orders, poison orders, and what the journal says."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from sellintegro.baselinker.emulator import Emulator
from sellintegro.erp import DocType
from sellintegro.state import StateStore

from .conftest import CODE, Harness, add_products, line, order, statuses

Make = Callable[..., Any]


def status_of(emu: Emulator, order_id: int) -> int:
    return int(emu.account.orders[order_id]["order_status_id"])


@pytest.fixture
def setup(emulator: Make, erp_on: Make, harness: Make) -> Callable[..., tuple[Emulator, Harness, dict[str, int]]]:
    def make(orders: list[dict[str, Any]], **settings: Any) -> tuple[Emulator, Harness, dict[str, int]]:
        emu = emulator(orders)
        ids = statuses(emu)
        settings.setdefault("status_ok", ids["Przeniesione do ERP"])
        settings.setdefault("status_error", ids["Błąd integracji"])
        return emu, harness(emu, erp_on("sqlite3"), **settings), ids
    return make


def test_poison_orders_get_the_error_status_with_a_reason_and_the_others_go_through(setup: Make) -> None:
    orders = [
        order(1),
        order(2, line("ABC-1", "10.00", 23, 1, name="Kubek bez karty")),                 # unknown SKU
        order(3, line("KUB-CER-300", "19.99", 23, 0)),                                   # zero quantity
        order(4, line("KUB-CER-300", "-5.00", 23, 1)),                                   # negative price
        order(5, line("KUB-CER-300", "nie-liczba", 23, 1)),                              # malformed
        order(6, line("KUB-CER-300", "33.333", 23, 3)),                                  # total in fractions of a grosz
        order(7, line("KS-PAN-TAD", "39.99", 5, 1)),
        order(8, products=[]),                                                           # no products
        order(9, line("KUB-CER-300", "19.99", 17, 1)),                                   # a rate Subiekt lacks
    ]
    orders[7]["products"] = []
    emu, h, ids = setup(orders)
    assert h.cycle() is None
    ok, error = ids["Przeniesione do ERP"], ids["Błąd integracji"]
    assert {o: status_of(emu, o) for o in range(1, 10)} == {1: ok, 2: error, 3: error, 4: error, 5: error, 6: error,
                                                             7: ok, 8: error, 9: error}
    assert [len(h.document(o)) for o in range(1, 10)] == [1, 0, 0, 0, 0, 0, 1, 0, 0]
    errors = {int(e.subject or 0): e.message for e in h.journal() if e.level == "error"}
    assert 'SKU ABC-1 not found in Subiekt (line 1: "Kubek bez karty")' in errors[2]
    assert "has quantity 0; it must be at least 1" in errors[3]
    assert "has a negative price (-5.00)" in errors[4]
    assert "BaseLinker sent data that cannot be read" in errors[5] and "price_brutto" in errors[5]
    assert "the total does not add up: the lines and delivery come to 116.899 PLN" in errors[6]
    assert "the order has no products" in errors[8]
    assert "VAT rate 17 % (line 1) has no match in Subiekt" in errors[9]
    assert all(m.startswith(f"order {o} not transferred: ") and 'status is set to "Błąd integracji"' in m
               for o, m in errors.items())
    infos = [e.message for e in h.journal() if e.level == "info"]
    assert infos == [f"order 1 → {h.document(1)[0].number}", f"order 7 → {h.document(7)[0].number}"]


def test_the_cursor_stays_behind_a_page_whose_statuses_could_not_be_written_back(setup: Make) -> None:
    emu, h, ids = setup([order(i) for i in range(1, 6)])
    emu.inject("500", count=100, method="setOrderStatuses")
    assert h.cycle() is not None
    assert all(len(h.document(i)) == 1 for i in range(1, 6))          # the documents are in Subiekt ...
    assert all(status_of(emu, i) == ids["Nowe zamówienia"] for i in range(1, 6))
    assert h.cursor()["done_ids"] == []                                 # ... but the cursor did not pass them
    assert any("their statuses could not be written back" in e.message for e in h.journal() if e.level == "warning")
    emu.clear_faults()
    assert h.cycle() is None
    assert all(len(h.document(i)) == 1 for i in range(1, 6))
    assert all(status_of(emu, i) == ids["Przeniesione do ERP"] for i in range(1, 6))
    assert h.cursor()["done_ids"] == [5]
    lines = [e.subject for e in h.journal() if e.level == "info"]
    assert sorted(lines) == ["1", "2", "3", "4", "5"], "each order journaled once, not again when read again"


class Crash(BaseException):
    """The process dies here: nothing after this point runs, nothing is cleaned up."""


def crash_at(h: Harness, what: str, n: int) -> None:
    """Make the n-th call of the context's `progress` or journal write die like a killed process."""
    ctx = h.context()
    calls = [0]
    if what == "progress":
        def progress(d: int | None, t: int | None) -> None:
            if d:
                calls[0] += 1
                if calls[0] == n:
                    raise Crash()
        ctx._progress = progress
    else:
        write = ctx.journal._write

        def journal(level: str, subject: str | None, message: str) -> None:
            calls[0] += 1
            if calls[0] == n:
                raise Crash()
            write(level, subject, message)
        ctx.journal._write = journal


def restart(h: Harness) -> None:
    """A new worker process: a new context on the same data directory."""
    h.close()
    h.ctx = None
    h.client = type(h.client)(h.client._token, url=h.emu.url, retry=h.client.retry, per_minute=1000,
                              state_dir=h.data_dir / "state" / "ratelimit")


@pytest.mark.parametrize("where", ["progress", "journal"])
def test_a_page_cut_short_by_a_crash_is_read_again_without_a_second_document_or_journal_line(
        setup: Make, where: str) -> None:
    """A crash after order 7's document was committed: after its journal line ("progress"), or before it
    ("journal"). Either way each order ends with one document and one journal line."""
    emu, h, ids = setup([order(i) for i in range(1, 21)])
    crash_at(h, where, 7)
    with pytest.raises(Crash):
        h.cycle()
    assert sum(len(h.document(i)) for i in range(1, 21)) == 7
    assert all(status_of(emu, i) == ids["Nowe zamówienia"] for i in range(1, 21))
    assert h.cursor()["done_ids"] == [], "the page was not complete: the cursor stays"
    restart(h)
    assert h.cycle() is None
    assert [len(h.document(i)) for i in range(1, 21)] == [1] * 20
    assert all(status_of(emu, i) == ids["Przeniesione do ERP"] for i in range(1, 21))
    entries = [e for e in h.journal() if e.level == "info"]
    assert sorted((e.subject for e in entries), key=lambda s: int(s or 0)) == [str(i) for i in range(1, 21)]
    if where == "journal":
        assert next(e.message for e in entries if e.subject == "7").endswith(
            "(it was in Subiekt already; not written again)")


def test_a_polite_stop_completes_the_orders_done_so_far(setup: Make) -> None:
    emu, h, ids = setup([order(i) for i in range(1, 21)])
    h.context()._progress = lambda d, n: h.cancelled.set() if d and d >= 7 else None
    assert h.cycle() is None
    assert [status_of(emu, i) == ids["Przeniesione do ERP"] for i in range(1, 21)] == [True] * 7 + [False] * 13
    assert h.cursor()["done_ids"] == [7]
    h.cancelled.clear()
    h.context()._progress = lambda d, n: None
    assert h.cycle() is None
    assert [len(h.document(i)) for i in range(1, 21)] == [1] * 20


def test_orders_in_a_status_not_taken_wait_and_are_taken_once_moved_into_one(setup: Make) -> None:
    emu, h, ids = setup([order(i) for i in range(1, 5)], statuses=["Do realizacji"])
    assert h.cycle() is None
    assert all(not h.document(i) for i in range(1, 5))
    waits = [e.message for e in h.journal()]
    assert waits[0] == ('order 1 waits: its status "Nowe zamówienia" is not one this plugin takes ("Do realizacji"); '
                        "it is taken when it moves to one of them within 7 days of its confirmation")
    emu.account.call("setOrderStatuses", {"order_ids": [2, 4], "status_id": ids["Do realizacji"]})
    assert h.cycle() is None
    assert [len(h.document(i)) for i in range(1, 5)] == [0, 1, 0, 1]
    assert [status_of(emu, i) for i in (2, 4)] == [ids["Przeniesione do ERP"]] * 2
    assert h.cycle() is None
    assert len(h.journal()) == 6, "a waiting order is journaled once, not every cycle"


def test_an_order_refused_for_a_missing_product_goes_through_once_fixed_and_moved_back(setup: Make) -> None:
    emu, h, ids = setup([order(1, line("NOWY-1", "10.00", 23, 1, name="Nowość")), order(2)],
                        statuses=["Nowe zamówienia"])
    assert h.cycle() is None
    assert status_of(emu, 1) == ids["Błąd integracji"]
    failed = next(e.message for e in h.journal() if e.level == "error")
    assert failed.endswith('move it back to "Nowe zamówienia" to have it transferred again')
    add_products(h.erp(), {"NOWY-1": ("Nowość", Decimal(23))})
    emu.account.call("setOrderStatus", {"order_id": 1, "status_id": ids["Nowe zamówienia"]})
    assert h.cycle() is None
    assert len(h.document(1)) == 1 and status_of(emu, 1) == ids["Przeniesione do ERP"]


def test_only_orders_of_the_configured_sources_are_taken(setup: Make) -> None:
    orders = [order(1), order(2, order_source="allegro", order_source_id=11223), order(3, order_source="personal",
                                                                                          order_source_id=0)]
    emu, h, ids = setup(orders, sources=["allegro", "personal"])
    assert h.cycle() is None
    assert [len(h.document(i)) for i in (1, 2, 3)] == [0, 1, 1]
    assert status_of(emu, 1) == ids["Nowe zamówienia"], "an order of another source is left alone"


def test_orders_confirmed_before_the_first_run_window_are_not_taken(setup: Make) -> None:
    now = int(time.time())
    emu, h, _ = setup([order(1, confirmed_at=now - 3 * 86400), order(2, confirmed_at=now - 3600)],
                      first_run_days_back=1.0)
    assert h.cycle() is None
    assert [len(h.document(i)) for i in (1, 2)] == [0, 1]


def test_a_changed_document_type_does_not_give_an_order_a_second_document(setup: Make) -> None:
    emu, h, _ = setup([order(1)], document_type="ZK")
    assert h.cycle() is None
    store = StateStore(h.data_dir, CODE)
    store.set_cursor("orders", {"date_confirmed": 0, "done_ids": []})  # as if the page were read again
    store.close()
    h.settings["document_type"] = "FS"
    h.ctx = None
    assert h.cycle() is None
    docs = h.document(1)
    assert [d.type for d in docs] == [DocType.ZK]
    assert len([e for e in h.journal() if e.subject == "1"]) == 1


def test_a_status_that_does_not_exist_is_refused_before_any_document_is_written(setup: Make) -> None:
    emu, h, _ = setup([order(1)], status_ok=9999)
    error = h.cycle()
    assert error is not None and "status 9999 (setting status_ok) does not exist in BaseLinker" in str(error)
    assert not h.document(1)
    assert [e.level for e in h.journal()] == ["error"]
    assert h.cycle() is not None
    assert len(h.journal()) == 1, "a lasting problem is journaled once"


def test_one_order_the_database_refuses_does_not_block_the_orders_after_it(setup: Make) -> None:
    emu, h, ids = setup([order(i) for i in range(1, 6)])
    trigger = ("CREATE TRIGGER refuse_3 BEFORE INSERT ON dok__Dokument WHEN NEW.dok_NrPelnyOryg = '3' "
               "BEGIN SELECT RAISE(ABORT, 'dok_NrPelnyOryg 3 is reserved'); END")
    h.erp().db.run(lambda tx: tx.execute(trigger), write=True)
    assert h.cycle() is None
    assert [len(h.document(i)) for i in range(1, 6)] == [1, 1, 0, 1, 1]
    assert status_of(emu, 3) == ids["Błąd integracji"]
    assert "Subiekt refused the document" in next(e.message for e in h.journal() if e.subject == "3")


def test_a_database_that_refuses_every_document_stops_the_cycle_without_error_statuses(setup: Make) -> None:
    emu, h, ids = setup([order(i) for i in range(1, 6)])
    trigger = ("CREATE TRIGGER refuse_all BEFORE INSERT ON dok__Dokument "
               "BEGIN SELECT RAISE(ABORT, 'read-only'); END")
    h.erp().db.run(lambda tx: tx.execute(trigger), write=True)
    error = h.cycle()
    assert error is not None and "stopped at order 1" in str(error)
    assert all(status_of(emu, i) == ids["Nowe zamówienia"] for i in range(1, 6))
    h.erp().db.run(lambda tx: tx.execute("DROP TRIGGER refuse_all"), write=True)
    assert h.cycle() is None
    assert all(status_of(emu, i) == ids["Przeniesione do ERP"] for i in range(1, 6))


def test_journal_lines_are_in_polish_on_a_polish_system(setup: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    emu, h, _ = setup([order(1), order(2, line("ABC-1", "10.00", 23, 1, name="Kubek"))])
    assert h.cycle() is None
    messages = [e.message for e in h.journal()]
    assert messages[0].startswith("zamówienie 1 → ")
    assert messages[1].startswith("zamówienie 2 nie zostało przeniesione: nie znaleziono w Subiekcie: SKU ABC-1 "
                                  "(pozycja 1: „Kubek”). Ustawiono mu status „Błąd integracji”")


def test_backlog_progress_counts_up_to_the_orders_read(setup: Make) -> None:
    emu, h, _ = setup([order(i) for i in range(1, 151)])
    assert h.cycle() is None
    reported = [p for p in h.progress if p[1]]
    assert reported[-1] == (150, 150)
    assert all(d is not None and n is not None and d <= n for d, n in reported)
    assert any(n == 100 for _, n in reported), "the first page is the backlog known before the second is read"


def test_unknown_products_become_one_off_services_when_so_configured(setup: Make) -> None:
    emu, h, ids = setup([order(1, line("ABC-1", "10.00", 23, 2, name="Kubek bez karty"), line("KUB-CER-300", "19.99"))],
                        unknown_product="service")
    assert h.cycle() is None
    doc = h.document(1)[0]
    assert [(ln.product_id is None, ln.name, ln.quantity) for ln in doc.lines][:2] == [
        (True, "Kubek bez karty", Decimal(2)), (False, "Kubek ceramiczny 300 ml", Decimal(1))]
    entry = next(e for e in h.journal() if e.subject == "1")
    assert entry.level == "warning" and 'written as one-off services, not found in Subiekt: SKU ABC-1' in entry.message


def test_without_creating_contractors_an_unknown_buyer_is_refused(setup: Make) -> None:
    emu, h, ids = setup([order(1, email="biuro@kwiatek.example.pl"), order(2, email="nowy@example.pl")],
                        create_contractors=False)
    assert h.cycle() is None
    assert len(h.document(1)) == 1 and not h.document(2)
    assert "the buyer (e-mail nowy@example.pl) is not in Subiekt" in next(
        e.message for e in h.journal() if e.subject == "2")


def test_an_invoice_goes_to_the_card_with_its_nip_never_to_another_found_by_e_mail(setup: Make) -> None:
    """Regression: a buyer who bought for one company and then for another (same e-mail) got the second
    invoice on the first company's card, because a NIP not found fell back to matching by e-mail."""
    same = {"email": "jan.sek@poczta.example.pl", "want_invoice": "1", "invoice_address": "ul. Długa 1",
            "invoice_city": "Gdańsk", "invoice_postcode": "80-001"}
    emu, h, _ = setup([order(1, invoice_company="Sęk Usługi", invoice_nip="526-000-12-46", **same),
                       order(2, invoice_company="Sęk Handel Sp. z o.o.", invoice_nip="PL7251002030", **same),
                       order(3, email="jan.sek@poczta.example.pl")], document_type="auto")
    assert h.cycle() is None
    nips = {}
    for i in (1, 2, 3):
        [doc] = h.document(i)
        nips[i] = h.erp().db.run(lambda tx, d=doc: tx.one(
            "SELECT adr_NIP FROM adr__Ewid WHERE adr_IdObiektu = ? AND adr_TypAdresu = 1", d.contractor_id),
            write=False)[0]
    assert (nips[1], nips[2]) == ("5260001246", "7251002030")
    assert nips[3] in (nips[1], nips[2]), "a buyer without a NIP is still found by the e-mail"


def test_an_unreadable_order_of_another_source_is_left_alone_not_refused(setup: Make) -> None:
    emu, h, ids = setup([order(1, line("KUB-CER-300", "zła cena"), order_source="allegro", order_source_id=11223),
                         order(2, line("KUB-CER-300", "zła cena"))], sources=["shop", "personal"])
    assert h.cycle() is None
    assert (status_of(emu, 1), status_of(emu, 2)) == (ids["Nowe zamówienia"], ids["Błąd integracji"])
    assert [e.subject for e in h.journal()] == ["2"]


def test_orders_left_behind_while_the_endpoint_was_off_longer_than_days_back_are_named(setup: Make) -> None:
    now = int(time.time())
    emu, h, _ = setup([order(1, confirmed_at=now - 10 * 86400), order(2, confirmed_at=now - 9 * 86400),
                       order(3, confirmed_at=now - 3600)], days_back=7, first_run_days_back=30.0)
    store = StateStore(h.data_dir, CODE)
    store.set_cursor("orders", {"date_confirmed": now - 11 * 86400, "done_ids": []})  # last run 11 days ago
    store.close()
    assert h.cycle() is None
    assert [len(h.document(i)) for i in (1, 2, 3)] == [0, 0, 1]
    gap = next(e for e in h.journal() if e.level == "warning")
    assert "were not taken: they are older than days_back (7 days)" in gap.message
    assert h.cycle() is None
    assert len([e for e in h.journal() if e.level == "warning"]) == 1, "said once: the cursor moved on"
