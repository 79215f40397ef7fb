"""A page of handled orders, and what completes it: statuses written back, then the cursor moved past it.

Orders are handled one by one (their documents committed in Subiekt, their journal lines written), and
the page is completed in one go before the next page is read: one setOrderStatuses call per status
for the whole page, then `on_done` moves the cursor. A crash anywhere before that leaves the cursor
where it was, and the page is read again; its documents are found in Subiekt, not written twice.

An order Subiekt's database refused for a reason it did not explain as bad input is a *suspect*: it may
be poison, or the database may refuse everything. If an order after it in the same page was written,
the database works and the suspect gets the error status; otherwise the page is completed only up to
the suspect, and the cycle stops there, to try again next cycle.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sellintegro.baselinker import (
    AccountBlocked,
    BadToken,
    BaseLinkerClient,
    BaseLinkerError,
    Cancelled,
)

from .reading import Fetched, call

STATUS_BATCH = 100  # order ids per setOrderStatuses call (one page's worth)


class Outcome(enum.Enum):
    OK = "ok"            # its document is in Subiekt: status_ok
    ERROR = "error"      # poison: status_error
    WAIT = "wait"        # not in a status this plugin takes: remembered, status left alone
    SKIP = "skip"        # not from a source this plugin takes: passed over
    SUSPECT = "suspect"  # the database refused it without saying why; decided when the page completes


@dataclass
class Item:
    order: Fetched
    outcome: Outcome
    detail: str = ""


class StatusesPending(Exception):
    """The documents are in Subiekt but the statuses could not be written back; the page is read again."""

    def __init__(self, count: int, detail: str) -> None:
        self.count = count
        self.detail = detail
        super().__init__(detail)


class StoppedAt(Exception):
    """The page was completed up to a suspect order, and the cycle stops there."""

    def __init__(self, order_id: int, detail: str) -> None:
        self.order_id = order_id
        self.detail = detail
        super().__init__(detail)


class Batch:
    def __init__(self, client: BaseLinkerClient, status_ok: int | None, status_error: int | None,
                 on_done: Callable[[list[Item]], None], on_poison: Callable[[Item], None]) -> None:
        self.client = client
        self.status_ok = status_ok
        self.status_error = status_error
        self.on_done = on_done
        self.on_poison = on_poison
        self.items: list[Item] = []

    def add(self, order: Fetched, outcome: Outcome, detail: str = "") -> None:
        self.items.append(Item(order, outcome, detail))

    def __len__(self) -> int:
        return len(self.items)

    def complete(self) -> None:
        """Write the page's statuses back, then let `on_done` move the cursor; raise StoppedAt at a suspect."""
        if not self.items:
            return
        items, self.items = self.items, []
        last_ok = max((i for i, it in enumerate(items) if it.outcome is Outcome.OK), default=-1)
        stop: Item | None = None
        done = items
        for i, it in enumerate(items):
            if it.outcome is not Outcome.SUSPECT:
                continue
            if i < last_ok:
                it.outcome = Outcome.ERROR  # a later order was written: this one is poison
                self.on_poison(it)
            else:
                stop, done = it, items[:i]
                break
        ok = [it.order.order_id for it in done if it.outcome is Outcome.OK]
        errors = [it.order.order_id for it in done if it.outcome is Outcome.ERROR]
        try:
            if self.status_ok is not None:
                self._set(ok, self.status_ok)
            if self.status_error is not None:
                self._set(errors, self.status_error)
        except (Cancelled, BadToken, AccountBlocked):
            raise
        except BaseLinkerError as e:
            raise StatusesPending(len(ok) + len(errors), str(e)) from e
        self.on_done(done)
        if stop is not None:
            raise StoppedAt(stop.order.order_id, stop.detail)

    def _set(self, order_ids: Iterable[int], status_id: int) -> None:
        ids = list(order_ids)
        for start in range(0, len(ids), STATUS_BATCH):
            call(self.client, "setOrderStatuses", {"order_ids": ids[start:start + STATUS_BATCH],
                                                   "status_id": status_id})
