"""One cycle of the `orders` plugin: new confirmed orders -> Subiekt documents -> statuses -> the cursor.

1. Read the confirmed orders after the date_confirmed cursor (state "orders"), a page at a time.
2. For each order, write its document keyed by order_id in dok_NrPelnyOryg (or refuse it, with the
   reason), and journal the outcome.
3. When the page is done, write the statuses back with setOrderStatuses (one call per status).
4. Then move the cursor past the page. Only then is the next page read.

Exactly once: the document write is idempotent in Subiekt itself (the same type and dok_NrPelnyOryg is
found under the database's counter lock, in the transaction that would write it), and before writing
the other two document types are looked up, so a changed setting or a changed want_invoice cannot
give an order a second document of another type. The cursor moves only after the documents and the
statuses of its page are committed; a crash anywhere before leaves it behind them, so the page is read
again: its documents are found, not written again, and its statuses are written again (harmless).

Before the new orders, the orders waiting in a status the plugin does not take are looked for in the
taken statuses (waiting.py). Progress goes to the hang watchdog with every order, and the backlog
(orders handled / orders read so far in this cycle) to `status` and the viewer.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sellintegro.api import PluginContext
from sellintegro.baselinker import (
    AccountBlocked,
    BadToken,
    BaseLinkerError,
    Cancelled,
    Order,
    OrderCursor,
)
from sellintegro.erp import (
    DocType,
    ErpError,
    ErpInputError,
    ErpSchemaError,
    StoredDocument,
)
from sellintegro.erp.errors import ErpDatabaseError

from . import mapping, reading, statuses, texts
from .batch import Batch, Item, Outcome, StatusesPending, StoppedAt
from .catalog import Catalog, SetupProblem
from .reading import BadOrder, Fetched
from .report import Reporter
from .report import since as journal_since
from .settings import OrdersSettings
from .waiting import Waiting

log = logging.getLogger("plugin.orders")

CURSOR = "orders"          # the date_confirmed cursor (paging.OrderCursor as JSON)
FIRST_RUN = "first_run"    # unix time of the plugin's first cycle
DAY = 86400


class CycleFailed(Exception):
    """The cycle could not do its work; the reason is journaled, and the next cycle tries again."""


def run(ctx: PluginContext) -> None:
    Cycle(ctx, OrdersSettings.from_settings(ctx.settings)).run()


class Cycle:
    def __init__(self, ctx: PluginContext, settings: OrdersSettings) -> None:
        self.ctx = ctx
        self.s = settings
        self.client = ctx.baselinker()
        self.erp = ctx.erp()
        self.state = ctx.state
        self.done = 0
        self.read: set[int] = set()  # ids of the orders read this cycle and not done before: the backlog

    # -- the cycle -------------------------------------------------------------------------------------------

    def run(self) -> None:
        self.ctx.progress(0, 0)
        self.floor, self.cursor = self._window()
        self.report = Reporter(self.ctx, journal_since(self.floor))
        try:
            self._run()
        except Cancelled:
            return
        except SetupProblem as e:
            self._fail("error", str(e))
        except BadToken:
            self._fail("error", texts.t("cycle.bl_token"))
        except AccountBlocked:
            self._fail("warning", texts.t("cycle.bl_blocked"))
        except StatusesPending as e:
            self._fail("warning", texts.t("cycle.statuses_pending", count=e.count, detail=e.detail))
        except StoppedAt as e:
            self._fail("error", texts.t("cycle.stopped_at", order=e.order_id,
                                        detail=texts.t("reason.erp_refused", detail=e.detail)))
        except BaseLinkerError as e:
            self._fail("warning", texts.t("cycle.bl_down", detail=e))
        except ErpSchemaError as e:
            self._fail("error", texts.t("cycle.erp_schema", detail=e))
        except ErpError as e:
            self._fail("warning", texts.t("cycle.erp_down", detail=e))
        else:
            self.report.cycle_ok()
        finally:
            self.report.close()
            self.ctx.progress(self.done, max(self.done, len(self.read)))

    def _run(self) -> None:
        self.statuses = statuses.resolve(self.client, self.ctx.code, self.s)
        self.catalog = Catalog(self.erp, self.s)
        self.today = date.today()
        self.waiting = Waiting(self.state)
        self._recheck()
        self._walk()

    def _fail(self, level: str, text: str) -> None:
        self.report.problem(level, text)
        raise CycleFailed(text) from None

    # -- where reading starts --------------------------------------------------------------------------------

    def _window(self) -> tuple[int, OrderCursor]:
        """The oldest confirmation taken (days_back, and the first-run window) and the cursor, moved up to it."""
        now = time.time()
        first = self.state.get_cursor(FIRST_RUN)
        if first is None:
            first = now
            self.state.set_cursor(FIRST_RUN, first)
        floor = int(max(now - self.s.days_back * DAY, float(first) - self.s.first_run_days_back * DAY))
        cursor = OrderCursor.from_json(self.state.get_cursor(CURSOR))
        if cursor.date_confirmed < floor:
            if cursor.date_confirmed > 0:
                self._gap(cursor, floor)
            cursor = OrderCursor(floor)
            self.state.set_cursor(CURSOR, cursor.to_json())
        return floor, cursor

    def _gap(self, cursor: OrderCursor, floor: int) -> None:
        """The cursor fell out of the window (the endpoint was off): say so if orders were left behind."""
        try:
            missed = [o for o in reading.page(self.client, {**self._filters(), "date_confirmed_from":
                                                            cursor.date_confirmed})
                      if o.date_confirmed < floor and not cursor.covers(_as_order(o))]
        except BaseLinkerError as e:
            log.warning("could not check for orders older than days_back: %s", e)
            return
        if missed:
            def when(t: int) -> str:
                return datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M")
            self.ctx.journal.warning(None, texts.t("cycle.gap", start=when(missed[0].date_confirmed),
                                                   end=when(floor), days=self.s.days_back))

    def _filters(self) -> dict[str, Any]:
        """getOrders filters: one source is filtered by BaseLinker; several are checked here."""
        if len(self.s.sources) == 1:
            source = self.s.sources[0]
            if source.id is None:
                return {"filter_order_source": source.type}
            return {"filter_order_source": source.type, "filter_order_source_id": source.id}
        return {}

    def _fetcher(self, batch: Batch, backlog: Callable[[Fetched], bool]) -> Callable[[dict[str, Any]],
                                                                                    list[Fetched]]:
        def fetch(params: dict[str, Any]) -> list[Fetched]:
            batch.complete()  # a page is finished (statuses, cursor) before the next one is read
            found = reading.page(self.client, params)
            self.read.update(o.order_id for o in found if backlog(o))
            self._progress()
            return found
        return fetch

    def _progress(self) -> None:
        self.ctx.progress(self.done, max(self.done, len(self.read)))

    # -- the new orders --------------------------------------------------------------------------------------

    def _walk(self) -> None:
        start = self.cursor
        batch = self._batch(self._after_page)
        fetch = self._fetcher(batch, lambda o: not start.covers(_as_order(o)))
        self._handle_all(reading.walk(fetch, start, self._filters()), batch, main=True)

    def _after_page(self, items: list[Item]) -> None:
        cursor = self.cursor
        for it in items:
            cursor = reading.advance(cursor, it.order)
            if self.statuses.taken and it.outcome in (Outcome.WAIT, Outcome.ERROR):
                status = self.statuses.error if it.outcome is Outcome.ERROR and self.statuses.error else (
                    it.order.order_status_id or 0)
                self.waiting.add(it.order.order_id, it.order.date_confirmed, status)
        self.waiting.save()  # before the cursor: a crash in between only remembers them again
        self.state.set_cursor(CURSOR, cursor.to_json())
        self.cursor = cursor

    # -- the waiting orders ----------------------------------------------------------------------------------

    def _recheck(self) -> None:
        taken = self.statuses.taken
        for order_id, _, status in self.waiting.expire(self.floor):
            if status not in (self.statuses.ok, self.statuses.error):
                self.report.wait_over(order_id, self.statuses.taken_text(), self.s.days_back)
        if not taken:
            for order_id in list(self.waiting.orders):
                self.waiting.remove(order_id)  # every status is taken now: nothing waits
        self.waiting.save()
        for status in sorted(taken):
            if not self.waiting or self.ctx.cancelled.is_set():
                return
            start = OrderCursor(self.waiting.oldest())
            batch = self._batch(self._after_recheck)
            fetch = self._fetcher(batch, lambda o: o.order_id in self.waiting)
            found = (o for o in reading.walk(fetch, start, {**self._filters(), "status_id": status})
                     if o.order_id in self.waiting)
            self._handle_all(found, batch, main=False)

    def _after_recheck(self, items: list[Item]) -> None:
        for it in items:
            if it.outcome is Outcome.OK:
                self.waiting.remove(it.order.order_id)
            elif it.outcome is Outcome.ERROR and self.statuses.error:
                self.waiting.add(it.order.order_id, it.order.date_confirmed, self.statuses.error)
        self.waiting.save()

    # -- one order -------------------------------------------------------------------------------------------

    def _batch(self, on_done: Callable[[list[Item]], None]) -> Batch:
        return Batch(self.client, self.statuses.ok, self.statuses.error, on_done, self._poison)

    def _handle_all(self, orders: Any, batch: Batch, main: bool) -> None:
        try:
            for order in orders:
                if self.ctx.cancelled.is_set():
                    break
                self._handle(order, batch, main)
                self.done += 1
                self._progress()
        except ErpError:
            # The database is gone or busy: complete what was done, then stop the cycle.
            with contextlib.suppress(BaseLinkerError, StatusesPending, StoppedAt):
                batch.complete()
            raise
        batch.complete()

    def _handle(self, order: Fetched, batch: Batch, main: bool) -> None:
        if main and not self._source_taken(order):
            log.debug("order %s: source %s:%s is not taken", order.order_id, order.order_source,
                      order.order_source_id)
            batch.add(order, Outcome.SKIP)
            return
        status = order.order_status_id
        if main and self.statuses.taken and status is not None and status not in self.statuses.taken:
            self._not_taken(order, status, batch)
            return
        if isinstance(order, BadOrder):
            self._reject(order, batch, texts.t("reason.malformed", detail=order.detail))
            return
        self._transfer(order, batch)

    def _source_taken(self, order: Fetched) -> bool:
        if not self.s.sources or order.order_source is None:
            return True  # an unreadable source: the order is refused (error status), not passed over
        return any(s.matches(order.order_source, order.order_source_id or 0) for s in self.s.sources)

    def _not_taken(self, order: Fetched, status: int, batch: Batch) -> None:
        if status == self.statuses.ok:
            # Most likely ours, read again after an interruption: its document says so.
            doc = self._existing(order.order_id, None)
            if doc is not None:
                self.report.written(order.order_id, doc, False, ())
                batch.add(order, Outcome.OK)
                return
        if status != self.statuses.error:
            self.report.waits(order.order_id, self.statuses.name(status), self.statuses.taken_text(),
                              self.s.days_back)
        batch.add(order, Outcome.WAIT)

    def _transfer(self, order: Order, batch: Batch) -> None:
        try:
            plan = mapping.plan(order, self.s, self.catalog, self.today)
        except mapping.Rejected as e:
            self._reject(order, batch, e.reason.text())
            return
        except ErpError:
            raise
        except Exception as e:  # noqa: BLE001 - a mapping bug met by one order must not block the others
            log.exception("order %s could not be mapped", order.order_id)
            self._reject(order, batch, texts.t("reason.internal", detail=f"{type(e).__name__}: {e}"))
            return
        doc = self._existing(order.order_id, plan.request.type)
        created = False
        if doc is None:
            try:
                result = self.erp.write_document(plan.request)
            except ErpInputError as e:
                self._reject(order, batch, texts.t("reason.erp_refused", detail=e.reason))
                return
            except ErpDatabaseError as e:
                log.warning("order %s: the database refused its document: %s", order.order_id, e)
                batch.add(order, Outcome.SUSPECT, str(e))
                return
            doc, created = result.document, result.created
        self.report.written(order.order_id, doc, created, plan.services)
        batch.add(order, Outcome.OK)

    def _existing(self, order_id: int, planned: DocType | None) -> StoredDocument | None:
        """A document of another type than `planned` already written for the order (the planned one is
        found by the write itself)."""
        for doc_type in DocType:
            if doc_type is not planned:
                doc = self.erp.find_document(doc_type, str(order_id))
                if doc is not None:
                    return doc
        return None

    def _reject(self, order: Fetched, batch: Batch, reason: str) -> None:
        self.report.rejected(order.order_id, reason, self._error_status_text())
        batch.add(order, Outcome.ERROR)

    def _poison(self, item: Item) -> None:
        self.report.rejected(item.order.order_id, texts.t("reason.erp_refused", detail=item.detail),
                             self._error_status_text())

    def _error_status_text(self) -> str:
        error = self.statuses.error
        if error is None:
            return ""
        if self.statuses.taken and error not in self.statuses.taken:
            return texts.t("order.failed_status", status=self.statuses.name(error),
                           taken=self.statuses.taken_text())
        return texts.t("order.failed_status_plain", status=self.statuses.name(error))


def _as_order(order: Fetched) -> Order:
    return order  # type: ignore[return-value] # the cursor reads only order_id and date_confirmed
