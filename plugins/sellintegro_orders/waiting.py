"""Orders read in a status this plugin does not take: they wait, and are looked for again every cycle.

The date_confirmed cursor passes an order once it has been read, but a seller often moves an order into
the status the plugin takes hours later ("orders in unconfigured statuses wait"). So such an order is
remembered here (in the plugin's state, with its confirmation date) until it shows up in a taken
status, or until it is older than days_back. Orders given the error status wait the same way: moved
back into a taken status after the cause is fixed, they are transferred again.
"""

from __future__ import annotations

from sellintegro.state import StateStore

NAME = "waiting"


class Waiting:
    def __init__(self, state: StateStore) -> None:
        self.state = state
        raw = state.get_cursor(NAME, {}) or {}
        # order_id -> (date_confirmed, the status it had when last seen)
        self.orders: dict[int, tuple[int, int]] = {int(k): (int(v[0]), int(v[1])) for k, v in raw.items()}
        self._changed = False

    def __contains__(self, order_id: object) -> bool:
        return order_id in self.orders

    def __len__(self) -> int:
        return len(self.orders)

    def add(self, order_id: int, date_confirmed: int, status_id: int) -> None:
        if self.orders.get(order_id) != (date_confirmed, status_id):
            self.orders[order_id] = (date_confirmed, status_id)
            self._changed = True

    def remove(self, order_id: int) -> None:
        if self.orders.pop(order_id, None) is not None:
            self._changed = True

    def expire(self, floor: int) -> list[tuple[int, int, int]]:
        """Forget the orders confirmed before `floor`; (order_id, date_confirmed, status) of each."""
        over = [(oid, d, s) for oid, (d, s) in sorted(self.orders.items()) if d < floor]
        for oid, _, _ in over:
            self.remove(oid)
        return over

    def oldest(self) -> int:
        return min(d for d, _ in self.orders.values())

    def save(self) -> None:
        if self._changed:
            self.state.set_cursor(NAME, {str(k): list(v) for k, v in sorted(self.orders.items())})
            self._changed = False
