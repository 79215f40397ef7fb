"""The emulator behaves like the documented service, over real HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from sellintegro.baselinker import errors
from sellintegro.baselinker.client import BaseLinkerClient
from sellintegro.baselinker.emulator import DEMO_TOKEN, Emulator
from sellintegro.baselinker.seed import generate_orders

from .conftest import TOKEN

PDF = b"%PDF-1.4\n% faktura z ERP\n%%EOF\n"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_unconfirmed_orders_are_hidden_unless_asked_for(emulator: Callable[..., Emulator],
                                                        client: Callable[..., BaseLinkerClient]) -> None:
    orders = generate_orders(60, seed=4, unconfirmed_rate=0.3)
    unconfirmed = {o["order_id"] for o in orders if not o["confirmed"]}
    assert unconfirmed
    c = client(emulator(orders, rate_limit=0), per_minute=0)
    assert not {o.order_id for o in c.get_orders()} & unconfirmed
    assert unconfirmed <= {o.order_id for o in c.get_orders(get_unconfirmed_orders=True)}
    one = sorted(unconfirmed)[0]
    found = c.get_order(one)
    assert found is not None and found.confirmed is False


def test_get_orders_answers_at_most_100_oldest_confirmation_first(emulator: Callable[..., Emulator],
                                                                  client: Callable[..., BaseLinkerClient]) -> None:
    c = client(emulator(generate_orders(250, seed=5), rate_limit=0), per_minute=0)
    page = c.get_orders(date_confirmed_from=0)
    assert len(page) == 100
    assert [(o.date_confirmed, o.order_id) for o in page] == sorted((o.date_confirmed, o.order_id) for o in page)
    assert all(o.date_confirmed >= page[50].date_confirmed for o in c.get_orders(
        date_confirmed_from=page[50].date_confirmed))


def test_status_changes_are_kept_and_journaled_and_a_batch_is_all_or_nothing(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(generate_orders(5, seed=6, unconfirmed_rate=0.0), rate_limit=0)
    c = client(emu, per_minute=0)
    statuses = {s.id: s for s in c.get_order_status_list()}
    assert 1003 in statuses and statuses[1003].color.startswith("#")
    ids = [o.order_id for o in c.get_orders()]
    last_log = max((e.id for e in c.get_journal_list()), default=0)
    c.set_order_statuses(ids[:3], 1003)
    c.set_order_status(ids[3], 1004)
    with pytest.raises(errors.OrderNotFound):
        c.set_order_statuses([ids[4], 999_999], 1006)
    now = {o.order_id: o.order_status_id for o in c.get_orders()}
    assert [now[i] for i in ids] == [1003, 1003, 1003, 1004, 1001]
    events = c.get_journal_list(last_log_id=last_log, logs_types=[18])
    assert [(e.order_id, e.object_id) for e in events] == [(i, 1003) for i in ids[:3]] + [(ids[3], 1004)]


def test_the_journal_reaches_back_three_days_and_is_empty_when_disabled(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    clock = Clock(1_800_000_000)
    emu = emulator(generate_orders(3, seed=1, unconfirmed_rate=0.0, now=clock.now), rate_limit=0, clock=clock)
    c = client(emu, per_minute=0)
    c.set_order_status(1, 1002)
    clock.now += 2 * 86400
    c.set_order_status(1, 1003)
    assert [e.object_id for e in c.get_journal_list(logs_types=[18])] == [1002, 1003]
    clock.now += 1.5 * 86400
    assert [e.object_id for e in c.get_journal_list(logs_types=[18])] == [1003]

    off = client(emulator(generate_orders(3, seed=1), rate_limit=0, journal_enabled=False), per_minute=0)
    off.set_order_status(1, 1002)
    assert off.get_journal_list() == []


def test_an_invoice_waits_for_its_file_and_the_file_comes_back(emulator: Callable[..., Emulator],
                                                               client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(generate_orders(4, seed=9, unconfirmed_rate=0.0), rate_limit=0)
    c = client(emu, per_minute=0)
    order = c.get_orders()[0]
    series = next(s for s in c.get_series() if s.type == "INVOICE")
    invoice_id = c.add_invoice(order.order_id, series.id)
    (invoice,) = c.get_invoices(order_id=order.order_id)
    assert invoice.invoice_id == invoice_id and invoice.total_price_brutto == order.total_brutto
    assert [i.invoice_id for i in c.get_invoices(get_external_invoices=False)] == [invoice_id]
    c.add_order_invoice_file(invoice_id, PDF, "FS 17/2026")
    assert c.get_invoices(get_external_invoices=False) == []
    assert c.get_invoice_file(invoice_id, get_external=True) == (PDF, "FS 17/2026")
    journal = c.get_journal_list(logs_types=[7])
    assert [(e.order_id, e.object_id) for e in journal] == [(order.order_id, invoice_id)]


def test_receipts_wait_in_the_queue_until_confirmed_or_reported_failed(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    orders = generate_orders(30, seed=12, unconfirmed_rate=0.0)
    emu = emulator(orders, rate_limit=0)
    c = client(emu, per_minute=0)
    queue = c.get_new_receipts(series_id=3)
    expected = {o["order_id"] for o in orders if o["want_invoice"] == "0"}
    assert {r.order_id for r in queue} == expected
    by_order = {o.order_id: o for o in c.get_orders()}
    for r in queue:
        assert r.total_brutto == by_order[r.order_id].total_brutto
        assert re.fullmatch(r"\d+/\d+/\d{4}/P", r.receipt_full_nr)
    first, second = queue[0], queue[1]
    c.set_order_receipt(first.receipt_id, "PAR 0042", int(time.time()), printer_name="POSNET Thermal HD")
    c.set_order_receipt(second.receipt_id, "", int(time.time()), printer_error=True)
    c.add_order_receipt_file(first.receipt_id, PDF, "PAR 0042")
    left = {r.receipt_id for r in c.get_new_receipts(series_id=3)}
    assert left == {r.receipt_id for r in queue} - {first.receipt_id, second.receipt_id}
    assert [r.receipt_id for r in c.get_new_receipts(series_id=3, id_from=queue[-1].receipt_id)] == [
        queue[-1].receipt_id], "id_from is inclusive"
    with pytest.raises(errors.BadParameters):
        c.call("setOrderReceipt", {"receipt_id": first.receipt_id, "receipt_nr": "x" * 21, "date": 1})


def test_the_emulator_sends_numbers_and_flags_with_the_types_the_service_uses(emulator: Callable[..., Emulator],
                                                                              client: Callable[..., BaseLinkerClient]
                                                                              ) -> None:
    orders = generate_orders(20, seed=13, unconfirmed_rate=0.0)
    c = client(emulator(orders, rate_limit=0), per_minute=0)
    raw = c.call("getOrders")["orders"]
    assert {type(o["payment_method_cod"]) for o in raw} == {str}
    assert {type(o["want_invoice"]) for o in raw} == {str}
    assert str in {type(o["delivery_price"]) for o in raw} and float in {type(o["delivery_price"]) for o in raw}
    assert {type(p["order_product_id"]) for o in raw for p in o["products"]} == {str}
    assert isinstance(c.call("getNewReceipts")["orders"], list), "the receipts list is named orders"


def test_the_deprecated_token_field_is_accepted_and_a_missing_token_is_refused(
        emulator: Callable[..., Emulator]) -> None:
    emu = emulator(rate_limit=0)
    with httpx.Client() as http:
        ok = http.post(emu.url, data={"token": TOKEN, "method": "getSeries", "parameters": "{}"}).json()
        missing = http.post(emu.url, data={"method": "getSeries", "parameters": "{}"}).json()
        bad_json = http.post(emu.url, headers={"X-BLToken": TOKEN},
                             data={"method": "getSeries", "parameters": "{nope"}).json()
        elsewhere = http.post(emu.url.replace("connector.php", "other.php"), data={})
    assert ok["status"] == "SUCCESS" and ok["series"]
    assert missing == {"status": "ERROR", "error_code": "ERROR_BAD_TOKEN", "error_message": missing["error_message"]}
    assert bad_json["error_code"] == "ERROR_BAD_PARAMETERS"
    assert elsewhere.status_code == 404


def test_going_over_the_limit_blocks_the_account_for_a_while_and_refusals_do_not_count(
        emulator: Callable[..., Emulator]) -> None:
    emu = emulator(rate_limit=3, rate_window=60.0, block_seconds=0.6)
    codes = []
    with httpx.Client(headers={"X-BLToken": TOKEN}) as http:
        def call() -> str:
            answer = http.post(emu.url, data={"method": "getSeries", "parameters": "{}"}).json()
            return str(answer.get("error_code", answer["status"]))
        codes = [call() for _ in range(6)]
        assert emu.limit_exceeded == 1
        time.sleep(0.7)  # the block is a span of time, not an event to await
        after = call()
    assert codes == ["SUCCESS"] * 3 + ["ERROR_USER_ACCOUNT_BLOCKED"] * 3
    # The window still holds 3 requests: the next one goes over again. Refused ones were not counted.
    assert after == "ERROR_USER_ACCOUNT_BLOCKED" and emu.limit_exceeded == 2


def test_admin_endpoints_report_requests_and_inject_faults_and_orders(emulator: Callable[..., Emulator],
                                                                      client: Callable[..., BaseLinkerClient]
                                                                      ) -> None:
    emu = emulator(rate_limit=0)
    admin = emu.url.replace("/connector.php", "/_admin")
    c = client(emu, per_minute=0)
    seed = generate_orders(2, seed=1, unconfirmed_rate=0.0)
    with httpx.Client() as http:
        added = http.post(f"{admin}/orders", json=seed).json()
        assert added == {"order_ids": [o["order_id"] for o in seed]}
        assert http.post(f"{admin}/faults", json={"kind": "503", "count": 1}).json() == {"ok": True}
        assert len(c.get_orders()) == 2  # after one 503 and a retry
        stats = http.get(f"{admin}/stats").json()
        assert http.post(f"{admin}/faults", json={"kind": "bogus"}).status_code == 400
    assert stats["requests"] == 2 and [e["outcome"] for e in stats["log"]] == ["fault:503", "SUCCESS"]
    assert [e["method"] for e in stats["log"]] == ["getOrders", "getOrders"]
    assert stats["limit_exceeded"] == 0


def test_sim_command_serves_seeded_orders_and_stops_on_sigterm(tmp_path: Path) -> None:
    orders_file = tmp_path / "orders.json"
    orders_file.write_text(json.dumps(generate_orders(7, seed=21, unconfirmed_rate=0.0), ensure_ascii=False),
                           encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "sellintegro.baselinker.emulator", "--port", "0", "--orders",
                             str(orders_file), "--rate-limit", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONWARNINGS": "error"})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = re.search(r"http://\S+/connector\.php", line)
        assert url, line
        with BaseLinkerClient(DEMO_TOKEN, url=url.group(0), per_minute=0) as c:
            orders = c.get_orders()
        assert len(orders) == 7 and any("ł" in o.delivery.fullname + o.delivery.city for o in orders)
        assert sum(o.total_brutto for o in orders) > Decimal(0)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.mark.parametrize("content,why", [(None, "cannot read"), ("{]", "not valid JSON"),
                                         ('{"orders": 1}', "JSON list of order objects")])
def test_sim_command_refuses_a_bad_orders_file_with_exit_2(tmp_path: Path, content: str | None, why: str) -> None:
    path = tmp_path / "orders.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sellintegro.baselinker.emulator", "--orders", str(path)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert str(path) in done.stderr and why in done.stderr
