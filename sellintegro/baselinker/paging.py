"""Walking getOrders by confirmation date: every confirmed order once, none skipped, none repeated.

getOrders returns at most 100 orders, oldest confirmation first. The documented loop asks again from
the last order's `date_confirmed + 1`, which skips every order confirmed in that same second that did
not fit on the page. Instead we ask again from the last `date_confirmed` itself and drop the orders
of that second we have already seen (the cursor keeps their ids). When a whole page falls in one
second (more than 100 orders confirmed at once) asking from that second returns the same page again,
so we page inside the second by `id_from` (orders of one second come in order_id order [U]) and go on
from the next second when it is exhausted. `id_from` is asked from the last id seen, not the next one:
whether the real API counts it inclusive is not documented, and the repeat is dropped like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .models import Order

PAGE_SIZE = 100  # getOrders returns at most this many orders per call [D]


@dataclass(frozen=True)
class OrderCursor:
    """Where a reader of confirmed orders stands: the confirmation second it is in, and the ids it has done there.

    Advance it with `after(order)` only once the order's effect is committed; store it as `to_json()`.
    """

    date_confirmed: int = 0
    done_ids: frozenset[int] = frozenset()

    def after(self, order: Order) -> OrderCursor:
        """The cursor once `order` is done."""
        if order.date_confirmed > self.date_confirmed:
            return OrderCursor(order.date_confirmed, frozenset({order.order_id}))
        if order.date_confirmed == self.date_confirmed:
            return OrderCursor(self.date_confirmed, self.done_ids | {order.order_id})
        return self  # an order from before the cursor: already covered

    def covers(self, order: Order) -> bool:
        """True if `order` is at or before this cursor (done already)."""
        return order.date_confirmed < self.date_confirmed or (
            order.date_confirmed == self.date_confirmed and order.order_id in self.done_ids)

    def to_json(self) -> dict[str, Any]:
        return {"date_confirmed": self.date_confirmed, "done_ids": sorted(self.done_ids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> OrderCursor:
        if not data:
            return cls()
        return cls(int(data.get("date_confirmed", 0)), frozenset(int(i) for i in data.get("done_ids", ())))


def walk_orders(fetch: Callable[[dict[str, Any]], list[Order]], cursor: OrderCursor,
                filters: Mapping[str, Any] | None = None, page_size: int = PAGE_SIZE) -> Iterator[Order]:
    """Yield every confirmed order after `cursor`, oldest confirmation first; `fetch(params)` is one getOrders."""
    base = dict(filters or {})
    second = cursor.date_confirmed
    seen = set(cursor.done_ids)  # ids already yielded (or done before) in `second`
    inside: int | None = None  # id_from while paging inside one crowded second
    while True:
        params = {**base, "date_confirmed_from": second}
        if inside is not None:
            params["id_from"] = inside
        page = sorted(fetch(params), key=lambda o: (o.date_confirmed, o.order_id))
        full = len(page) >= page_size
        if inside is not None:
            # Paging inside `second`: only its orders count here; later ones come again from second + 1.
            ours = [o for o in page if o.date_confirmed == second]
            for order in ours:
                if order.order_id not in seen:
                    seen.add(order.order_id)
                    yield order
            if full and len(ours) == len(page):
                inside = max(o.order_id for o in ours)
                continue
            second, seen, inside = second + 1, set(), None
            continue
        for order in page:
            if order.date_confirmed < second or (order.date_confirmed == second and order.order_id in seen):
                continue
            if order.date_confirmed > second:
                second, seen = order.date_confirmed, set()
            seen.add(order.order_id)
            yield order
        if not full:
            return
        if all(o.date_confirmed == page[-1].date_confirmed for o in page):
            # The whole page is one second: asking from it again would return this same page.
            second = page[-1].date_confirmed
            seen |= {o.order_id for o in page}
            inside = max(o.order_id for o in page)
