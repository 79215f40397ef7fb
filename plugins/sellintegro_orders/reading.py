"""Reading BaseLinker for the cycle: pages of orders where one unreadable order does not spoil the page.

The client's `get_orders` parses a whole page at once, so one order with a broken field would fail
the page and block every order behind it. Here each order is parsed on its own; one that cannot be
read becomes a `BadOrder` that still has its id and confirmation date, so it gets the error status
and the cursor moves past it. A cut-off answer (the service's or a proxy's) is asked for again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sellintegro.baselinker import BaseLinkerClient, MalformedResponse, Order, OrderCursor, loose
from sellintegro.baselinker.paging import walk_orders

log = logging.getLogger("plugin.orders.reading")

T = TypeVar("T")
ATTEMPTS = 3  # tries of one call whose answer came cut off or unreadable (the client retries the rest)


@dataclass(frozen=True)
class BadOrder:
    """An order BaseLinker sent that cannot be read: enough of it to give it the error status."""

    order_id: int
    date_confirmed: int
    detail: str
    raw: Mapping[str, Any]
    # What the filters look at, when it can be read: an unreadable order of another source or in a
    # status the plugin does not take is not this plugin's to refuse.
    order_source: str | None = None
    order_source_id: int | None = None
    order_status_id: int | None = None


Fetched = Order | BadOrder


def call(client: BaseLinkerClient, method: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """One API call, asked again when its answer came unreadable (every method used here is safe to repeat)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return client.call(method, parameters)
        except MalformedResponse as e:
            if attempt == ATTEMPTS:
                raise
            log.warning("%s; asking again (%d of %d)", e, attempt, ATTEMPTS - 1)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def parse(raw: Any, date_floor: int) -> Fetched | None:
    """One order of a getOrders answer; a BadOrder when a field cannot be read; None without a usable id."""
    try:
        return Order.from_api(raw)
    except MalformedResponse as e:
        detail = str(e).removeprefix("BaseLinker: ")
    if not isinstance(raw, Mapping):
        log.warning("getOrders sent an order that is not an object; it is ignored: %.200r", raw)
        return None
    try:
        order_id = loose.as_int(raw.get("order_id"))
    except ValueError:
        order_id = 0
    if order_id <= 0:
        log.warning("getOrders sent an order without a usable order_id; it is ignored: %.200r", raw)
        return None
    try:
        confirmed = loose.as_int(raw.get("date_confirmed"))
    except ValueError:
        confirmed = 0
    # An unreadable date still needs a place in the walk: the second being read keeps it in order.
    return BadOrder(order_id, max(confirmed, date_floor), detail, raw, _readable(raw, "order_source", loose.as_str),
                    _readable(raw, "order_source_id", loose.as_int), _readable(raw, "order_status_id", loose.as_int))


def _readable(raw: Mapping[str, Any], key: str, reader: Callable[[Any], T]) -> T | None:
    try:
        return reader(raw.get(key)) if key in raw else None
    except ValueError:
        return None


def page(client: BaseLinkerClient, params: dict[str, Any]) -> list[Fetched]:
    """One getOrders page, each order parsed on its own."""
    data = call(client, "getOrders", params)
    items = data.get("orders", [])
    if isinstance(items, Mapping):  # PHP sends a list with gaps as an object
        items = list(items.values())
    if not isinstance(items, list):
        raise MalformedResponse("`orders` is not a list", "getOrders")
    floor = int(params.get("date_confirmed_from") or 0)
    return [o for o in (parse(raw, floor) for raw in items) if o is not None]


def walk(fetch: Callable[[dict[str, Any]], list[Fetched]], cursor: OrderCursor,
         filters: Mapping[str, Any]) -> Iterator[Fetched]:
    """Every confirmed order after `cursor` (paging.walk_orders, which reads only ids and dates of a BadOrder)."""
    return cast(Iterator[Fetched], walk_orders(cast(Callable[[dict[str, Any]], list[Order]], fetch), cursor,
                                               filters))


def advance(cursor: OrderCursor, order: Fetched) -> OrderCursor:
    return cursor.after(cast(Order, order))
