"""The BaseLinker invoice a PDF goes to, issued first when the order has none; never issued twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sellintegro_pdf import invoices

from sellintegro.backoff import Backoff
from sellintegro.baselinker import BaseLinkerClient, RetryPolicy, TransportError
from sellintegro.state import StateStore

from .conftest import TOKEN, Shop


@pytest.fixture
def tools(tmp_path: Path) -> Iterator[Callable[..., tuple[BaseLinkerClient, StateStore]]]:
    made: list[tuple[BaseLinkerClient, StateStore]] = []

    def make(shop: Shop, timeout: float = 30.0) -> tuple[BaseLinkerClient, StateStore]:
        client = BaseLinkerClient(TOKEN, url=shop.emu.url, state_dir=tmp_path / "rl", per_minute=1000, timeout=timeout,
                                  retry=RetryPolicy(attempts=2, backoff=Backoff(initial=0.01, cap=0.02, jitter=0)))
        made.append((client, StateStore(tmp_path, "INV")))
        return made[-1]

    yield make
    for client, state in made:
        client.close()
        state.close()


def test_the_orders_own_invoice_is_used_and_remembered(world: Callable[..., Shop], tools: Callable) -> None:
    shop = world(2)
    client, state = tools(shop)
    order = shop.orders[0]
    [own] = shop.invoice_of(order)
    target = invoices.ensure(client, state, order, "FS 1/2026", series=1)
    assert target == invoices.Target(own["invoice_id"], issued=False)
    requests = len(shop.emu.requests)
    assert invoices.ensure(client, state, order, "FS 1/2026", series=1) == target
    assert len(shop.emu.requests) == requests, "a known invoice costs no request"


def test_an_invoice_carrying_another_erp_document_is_not_overwritten(world: Callable[..., Shop],
                                                                      tools: Callable) -> None:
    shop = world(1)
    client, state = tools(shop)
    order = shop.orders[0]
    [own] = shop.invoice_of(order)
    shop.emu.account.invoices[own["invoice_id"]]["external_invoice_number"] = "FS 9/2026"
    with pytest.raises(invoices.OtherDocument) as raised:
        invoices.ensure(client, state, order, "FS 1/2026", series=1)
    assert raised.value.other == "FS 9/2026" and shop.emu.count("addInvoice") == 0
    second = shop.issue_invoice(order)
    assert invoices.ensure(client, state, order, "FS 1/2026", series=1).invoice_id == second
    assert invoices.ensure(client, state, order, "FS 9/2026", series=1).invoice_id == own["invoice_id"]


def test_without_an_invoice_one_is_issued_in_the_series_and_without_a_series_none_is(
        world: Callable[..., Shop], tools: Callable) -> None:
    shop = world(2, invoiced=0)
    client, state = tools(shop)
    with pytest.raises(invoices.NoInvoice):
        invoices.ensure(client, state, shop.orders[0], "FS 1/2026", series=None)
    assert shop.invoice_of(shop.orders[0]) == []
    target = invoices.ensure(client, state, shop.orders[1], "FS 2/2026", series=1)
    [issued] = shop.invoice_of(shop.orders[1])
    assert target == invoices.Target(issued["invoice_id"], issued=True) and issued["series_id"] == 1


def test_an_invoice_issued_before_a_lost_answer_is_found_not_issued_again(
        world: Callable[..., Shop], tools: Callable) -> None:
    """addInvoice reached BaseLinker, its answer was lost: the next attempt must find that invoice."""
    shop = world(1, invoiced=0)
    client, state = tools(shop, timeout=0.5)
    order = shop.orders[0]
    shop.emu.inject("timeout", method="addInvoice", delay=3)  # the answer comes too late for this client
    with pytest.raises(TransportError):
        invoices.ensure(client, state, order, "FS 1/2026", series=1)
    assert shop.emu.count("addInvoice") == 1, "addInvoice is never retried blindly"
    record = state.effect(invoices.key(order, "FS 1/2026"))
    assert record is not None and record.status == "pending"
    target = invoices.ensure(client, state, order, "FS 1/2026", series=1)
    [only] = shop.invoice_of(order)
    assert target.invoice_id == only["invoice_id"] and shop.emu.count("addInvoice") == 1
