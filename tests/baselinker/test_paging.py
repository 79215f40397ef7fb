"""Walking getOrders over real HTTP: every confirmed order once, none skipped, none repeated."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from sellintegro.baselinker.client import BaseLinkerClient
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.models import Order
from sellintegro.baselinker.paging import PAGE_SIZE, OrderCursor
from sellintegro.baselinker.seed import generate_orders


def _by_confirmation(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(orders, key=lambda o: (int(o["date_confirmed"]), int(o["order_id"])))


def _tie(orders: list[dict[str, Any]], first: int, last: int) -> int:
    """Make the orders at sorted positions first..last share the confirmation second of `first`."""
    ordered = _by_confirmation(orders)
    second = int(ordered[first]["date_confirmed"])
    for o in ordered[first:last + 1]:
        o["date_confirmed"] = second
    return second


def _thousand_with_ties() -> tuple[list[dict[str, Any]], list[int]]:
    orders = generate_orders(1000, seed=7, unconfirmed_rate=0.0)
    ties = [_tie(orders, 90, 115), _tie(orders, 195, 205), _tie(orders, 480, 530)]
    hidden = generate_orders(20, seed=8, unconfirmed_rate=1.0, first_id=100_000)
    return orders + hidden, ties


def test_iter_orders_yields_each_of_1000_confirmed_orders_once_with_ties_across_page_boundaries(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    orders, ties = _thousand_with_ties()
    emu = emulator(orders, rate_limit=0)
    c = client(emu, per_minute=0)
    # The data really puts a same-second group across a page boundary: the first page ends inside it.
    first_page = c.get_orders(date_confirmed_from=0)
    assert len(first_page) == PAGE_SIZE
    assert first_page[-1].date_confirmed == ties[0]
    in_group = sum(1 for o in orders if o["confirmed"] and int(o["date_confirmed"]) == ties[0])
    assert sum(1 for o in first_page if o.date_confirmed == ties[0]) < in_group

    emu.reset_stats()
    got = list(c.iter_orders())

    ids = [o.order_id for o in got]
    assert len(ids) == 1000
    assert not [i for i, n in Counter(ids).items() if n > 1], "an order came twice"
    assert set(ids) == {int(o["order_id"]) for o in orders if o["confirmed"]}, "unconfirmed orders are hidden"
    assert [o.date_confirmed for o in got] == sorted(o.date_confirmed for o in got)
    assert emu.count("getOrders") <= 1000 // PAGE_SIZE + 6  # one page per 100, plus a re-read per boundary


def test_the_documented_plus_one_second_loop_would_skip_orders_on_the_same_data(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    """Control: the data above defeats `date_confirmed + 1` paging, so the test above can fail."""
    orders, _ = _thousand_with_ties()
    c = client(emulator(orders, rate_limit=0), per_minute=0)
    seen: set[int] = set()
    since = 0
    while True:
        page = c.get_orders(date_confirmed_from=since)
        seen |= {o.order_id for o in page}
        if len(page) < PAGE_SIZE:
            break
        since = page[-1].date_confirmed + 1
    assert len(seen) < 1000


def test_more_than_a_page_confirmed_in_one_second_are_all_read_once(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    orders = generate_orders(400, seed=11, unconfirmed_rate=0.0)
    crowded = _tie(orders, 50, 299)  # 250 orders in one second
    emu = emulator(orders, rate_limit=0)
    got = [o.order_id for o in client(emu, per_minute=0).iter_orders()]
    assert sorted(got) == sorted(int(o["order_id"]) for o in orders)
    assert len(got) == len(set(got))
    assert sum(1 for o in orders if o["date_confirmed"] == crowded) >= 250  # the precondition: a crowded second


def test_a_stored_cursor_resumes_in_the_middle_of_a_second_without_loss_or_repeat(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    orders, ties = _thousand_with_ties()
    c = client(emulator(orders, rate_limit=0), per_minute=0)
    cursor = OrderCursor()
    first_part: list[int] = []
    for order in c.iter_orders(cursor):
        first_part.append(order.order_id)
        cursor = cursor.after(order)  # "committed"
        if order.date_confirmed == ties[2] and len(cursor.done_ids) == 7:
            break  # the worker stops mid-second (a restart)
    stored = OrderCursor.from_json(copy.deepcopy(cursor.to_json()))
    assert stored == cursor
    rest = [o.order_id for o in c.iter_orders(stored)]
    assert not set(first_part) & set(rest)
    assert len(first_part) + len(rest) == 1000


def test_an_order_confirmed_later_in_the_cursors_own_second_is_still_read(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    orders = generate_orders(150, seed=3, unconfirmed_rate=0.0)
    emu = emulator(orders, rate_limit=0)
    c = client(emu, per_minute=0)
    cursor = OrderCursor()
    for order in c.iter_orders(cursor):
        cursor = cursor.after(order)
    late = generate_orders(1, seed=4, unconfirmed_rate=0.0, first_id=900_000)[0]
    late["date_confirmed"] = cursor.date_confirmed  # same second as the last one read, arriving afterwards
    emu.account.add_orders([late])
    assert [o.order_id for o in c.iter_orders(cursor)] == [900_000]


def test_cursor_json_round_trip_and_covers() -> None:
    cursor = OrderCursor(100, frozenset({5, 9}))
    assert OrderCursor.from_json(cursor.to_json()) == cursor
    assert OrderCursor.from_json(None) == OrderCursor()
    emu_order = generate_orders(1, seed=1, unconfirmed_rate=0.0)[0]
    order = Order.from_api({**emu_order, "order_id": 9, "date_confirmed": 100})
    assert cursor.covers(order)
    assert not cursor.covers(Order.from_api({**emu_order, "order_id": 10, "date_confirmed": 100}))
    assert cursor.after(Order.from_api({**emu_order, "order_id": 1, "date_confirmed": 101})) == OrderCursor(
        101, frozenset({1}))


@pytest.mark.parametrize("bad", [{"date_confirmed_from": 5}, {"id_from": 3}])
def test_iter_orders_refuses_paging_parameters_of_its_own(client: Callable[..., BaseLinkerClient],
                                                          bad: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        client(url="http://127.0.0.1:9/connector.php").iter_orders(**bad)
