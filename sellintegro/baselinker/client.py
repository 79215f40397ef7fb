"""The BaseLinker API client (httpx, synchronous).

Three layers, each in its own method:
  public methods (get_orders, set_order_status, ...)  build parameters, parse typed records
  _with_retry                                          retries transport faults, timeouts and 5xx
                                                       with jittered exponential backoff; never an
                                                       ERROR envelope; records account blocks
  _send_once                                           waits for the token's shared rate limit,
                                                       then one POST, mapped into errors.py

The wire format (reference/baselinker-api.md): POST form fields `method` and `parameters` (a JSON
string), the token in the `X-BLToken` header (never the deprecated `token` field), and an envelope
`{"status": "SUCCESS", ...}` or `{"status": "ERROR", "error_code", "error_message"}` read whatever
the HTTP status is.

The token never leaves this module in any text: messages are masked with a Redactor that knows it.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from .. import __version__
from ..backoff import Backoff
from ..redact import Redactor
from . import loose
from .errors import (
    AccountBlocked,
    BadToken,
    BaseLinkerError,
    Cancelled,
    MalformedResponse,
    ServerError,
    Timeout,
    TransportError,
    api_error,
)
from .models import Invoice, JournalEntry, Order, OrderStatus, Receipt, Series
from .paging import OrderCursor, walk_orders
from .ratelimit import DEFAULT_PER_MINUTE, RateLimiter

# httpx imports its command-line tool's libraries (click, pygments) whenever they are installed: ~2 MB in
# every worker, which never runs that tool. A None entry makes the import fail as if they were absent,
# which httpx expects (its `httpx.main` then asks for httpx[cli]).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
import httpx  # noqa: E402

log = logging.getLogger("sellintegro.baselinker.client")

API_URL = "https://api.baselinker.com/connector.php"

GET_ORDERS_FILTERS = frozenset({
    "order_id", "date_confirmed_from", "date_from", "id_from", "get_unconfirmed_orders", "status_id",
    "filter_email", "filter_order_source", "filter_order_source_id", "filter_shop_order_id",
    "include_custom_extra_fields", "include_commission_data", "include_connect_data"})
GET_INVOICES_FILTERS = frozenset({"invoice_id", "order_id", "date_from", "id_from", "series_id",
                                  "get_external_invoices"})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a transient fault is retried."""

    attempts: int = 5  # tries in all, the first one included
    backoff: Backoff = field(default_factory=lambda: Backoff(initial=1.0, cap=30.0, jitter=0.2))


class BaseLinkerClient:
    """One token's client. Give it `http` (an httpx.Client it will not close) or `transport` (for tests:
    httpx.MockTransport), and `state_dir` (ratelimit.state_dir(data_dir)) so that every process using
    the token shares one budget. `progress()` is called while it waits (feed the hang watchdog with
    it); setting `cancelled` ends a wait with Cancelled. `blocked_pause` is how long every user of the
    token pauses after ERROR_USER_ACCOUNT_BLOCKED (the service does not say how long the block lasts).
    """

    def __init__(self, token: str, *, url: str = API_URL, http: httpx.Client | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: float = 30.0,
                 per_minute: int = DEFAULT_PER_MINUTE, state_dir: Path | None = None,
                 limiter: RateLimiter | None = None, retry: RetryPolicy | None = None,
                 blocked_pause: float = 300.0, progress: Callable[[], None] | None = None,
                 cancelled: threading.Event | None = None, rand: Callable[[], float] = random.random) -> None:
        if not token:
            raise ValueError("a BaseLinker API token is required")
        if httpx.URL(url).scheme not in ("http", "https"):
            raise ValueError(f"the BaseLinker URL must be http or https: {url!r}")
        self._token = token
        self._redact = Redactor([token])
        self.url = url
        self._own_http = http is None
        self._http = http if http is not None else httpx.Client(
            transport=transport, timeout=timeout, headers={"User-Agent": f"sellintegro/{__version__}"})
        self.limiter = limiter if limiter is not None else RateLimiter(token, per_minute, folder=state_dir)
        self.retry = retry or RetryPolicy()
        self.blocked_pause = blocked_pause
        self.progress = progress
        self.cancelled = cancelled
        self._rand = rand

    def __repr__(self) -> str:
        return f"BaseLinkerClient(url={self.url!r}, token=sha256:{self.limiter.key})"

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- generic call ------------------------------------------------------------------------------------

    def call(self, method: str, parameters: dict[str, Any] | None = None, *, retry_safe: bool = True) -> dict[str, Any]:
        """Call any API method; returns the envelope's keys besides `status` (raw, loosely typed).

        `retry_safe=False` is for calls that must not run twice (addInvoice): they are retried only
        when the request surely never reached the server (the connection could not be made).
        Raises a BaseLinkerError subclass (errors.py).
        """
        body = json.dumps(parameters or {}, ensure_ascii=False, separators=(",", ":"))
        return self._with_retry(method, body, retry_safe)

    # -- layer 2: retries and account blocks ----------------------------------------------------------------

    def _with_retry(self, method: str, body: str, retry_safe: bool) -> dict[str, Any]:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send_once(method, body)
            except AccountBlocked as e:
                # Every user of the token stops; retrying now could only prolong the block.
                e.retry_at = self.limiter.block(self.blocked_pause)
                log.warning("%s: the BaseLinker account is blocked (rate limit); every user of this token "
                            "pauses for %.0f s", method, self.blocked_pause)
                raise
            except (TransportError, ServerError) as e:
                surely_unsent = isinstance(e, TransportError) and not e.sent
                if attempt >= self.retry.attempts or not (retry_safe or surely_unsent):
                    raise
                delay = self.retry.backoff.delay(attempt, self._rand)
                log.warning("%s; retry %d of %d in %.1f s", e, attempt, self.retry.attempts - 1, delay)
                self.pause(delay)

    def pause(self, seconds: float) -> None:
        """Sleep `seconds` in short steps, calling progress() between them; raise Cancelled when cancelled."""
        end = time.monotonic() + seconds
        while True:
            if self.cancelled is not None and self.cancelled.is_set():
                raise Cancelled("cancelled while waiting")
            left = end - time.monotonic()
            if left <= 0:
                return
            if self.progress is not None:
                self.progress()
            if self.cancelled is not None:
                self.cancelled.wait(min(left, 0.5))
            else:
                time.sleep(min(left, 0.5))

    # -- layer 3: one request ---------------------------------------------------------------------------

    def _send_once(self, method: str, body: str) -> dict[str, Any]:
        slot = self.limiter.acquire(self.pause)
        started = time.monotonic()
        try:
            response = self._http.post(self.url, data={"method": method, "parameters": body},
                                       headers={"X-BLToken": self._token})
        except httpx.TimeoutException as e:
            raise _transport(Timeout, f"timed out ({type(e).__name__})", method, e) from None
        except httpx.TransportError as e:
            raise _transport(TransportError, f"{type(e).__name__}: {self._redact(str(e))}", method, e) from None
        except httpx.RequestError as e:  # an answer came but could not be decoded (or redirected in a loop)
            raise MalformedResponse(f"{type(e).__name__}: {self._redact(str(e))}", method) from None
        finally:
            self.limiter.release(slot)
        log.debug("%s: HTTP %d in %.3f s", method, response.status_code, time.monotonic() - started)
        return self._envelope(method, response)

    def _envelope(self, method: str, response: httpx.Response) -> dict[str, Any]:
        status_code = response.status_code
        try:
            data = json.loads(response.content.decode("utf-8-sig"))
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("status") not in ("SUCCESS", "ERROR"):
            snippet = self._redact(response.content[:120].decode("utf-8", "replace")).replace("\n", " ")
            if status_code >= 500:
                raise ServerError(f"HTTP {status_code} ({snippet!r})", method, status_code)
            raise MalformedResponse(f"HTTP {status_code}: not a BaseLinker envelope: {snippet!r}", method)
        if data["status"] == "ERROR":
            code = loose.as_str(data.get("error_code")) or "ERROR_UNKNOWN"
            error = api_error(code, self._redact(loose.as_str(data.get("error_message"))), method)
            if isinstance(error, BadToken):
                log.error("%s: BaseLinker refused the API token (%s)", method, code)
            raise error
        del data["status"]
        return data

    # -- orders --------------------------------------------------------------------------------------------

    def get_orders(self, **filters: Any) -> list[Order]:
        """getOrders: at most 100 orders matching `filters` (order_id, date_confirmed_from, date_from,
        id_from, get_unconfirmed_orders, status_id, filter_email, filter_order_source,
        filter_order_source_id, filter_shop_order_id, include_*). Unconfirmed orders are left out
        unless get_unconfirmed_orders=True. For more than one page use iter_orders()."""
        unknown = set(filters) - GET_ORDERS_FILTERS
        if unknown:
            raise TypeError(f"getOrders has no parameter(s) {', '.join(sorted(unknown))}")
        return [Order.from_api(o) for o in _items(self.call("getOrders", filters), "orders", "getOrders")]

    def get_order(self, order_id: int) -> Order | None:
        """One order by id (there is no getOrderDetails: getOrders with order_id), confirmed or not."""
        orders = self.get_orders(order_id=order_id, get_unconfirmed_orders=True)
        return orders[0] if orders else None

    def iter_orders(self, cursor: OrderCursor | None = None, **filters: Any) -> Iterator[Order]:
        """Every confirmed order after `cursor`, oldest confirmation first, page after page.

        No order is skipped or repeated, including orders confirmed in the same second across a page
        boundary (paging.py says how). Advance the cursor with `cursor.after(order)` once the
        order's effect is committed, and store `cursor.to_json()`.
        """
        if {"date_confirmed_from", "id_from"} & set(filters):
            raise TypeError("iter_orders pages by date_confirmed_from and id_from itself; pass a cursor")
        return walk_orders(lambda params: self.get_orders(**params), cursor or OrderCursor(), filters)

    def get_order_status_list(self) -> list[OrderStatus]:
        """getOrderStatusList: the account's order statuses."""
        data = self.call("getOrderStatusList")
        return [OrderStatus.from_api(s) for s in _items(data, "statuses", "getOrderStatusList")]

    def set_order_status(self, order_id: int, status_id: int) -> None:
        """setOrderStatus: move one order to `status_id`."""
        self.call("setOrderStatus", {"order_id": order_id, "status_id": status_id})

    def set_order_statuses(self, order_ids: Iterable[int], status_id: int) -> None:
        """setOrderStatuses: move many orders to `status_id` in one request."""
        self.call("setOrderStatuses", {"order_ids": list(order_ids), "status_id": status_id})

    def get_journal_list(self, last_log_id: int = 0, logs_types: Iterable[int] | None = None,
                         order_id: int | None = None) -> list[JournalEntry]:
        """getJournalList: events after `last_log_id` (the service keeps 3 days of them; an account
        without the journal enabled in its API settings always gets an empty list)."""
        params: dict[str, Any] = {"last_log_id": last_log_id}
        if logs_types is not None:
            params["logs_types"] = list(logs_types)
        if order_id is not None:
            params["order_id"] = order_id
        data = self.call("getJournalList", params)
        return [JournalEntry.from_api(e) for e in _items(data, "logs", "getJournalList")]

    # -- invoices ------------------------------------------------------------------------------------------

    def get_invoices(self, **filters: Any) -> list[Invoice]:
        """getInvoices: at most 100 invoices matching `filters` (invoice_id, order_id, date_from,
        id_from, series_id, get_external_invoices: False leaves out invoices that already have a file)."""
        unknown = set(filters) - GET_INVOICES_FILTERS
        if unknown:
            raise TypeError(f"getInvoices has no parameter(s) {', '.join(sorted(unknown))}")
        return [Invoice.from_api(i) for i in _items(self.call("getInvoices", filters), "invoices", "getInvoices")]

    def add_invoice(self, order_id: int, series_id: int, vat_rate: str | int | None = None) -> int:
        """addInvoice: issue a BaseLinker invoice for the order; returns its invoice_id.

        Not idempotent, so it is never retried once the request may have reached the server: look
        for the order's invoice with get_invoices(order_id=...) before trying again.
        """
        params: dict[str, Any] = {"order_id": order_id, "series_id": series_id}
        if vat_rate is not None:
            params["vat_rate"] = vat_rate
        data = self.call("addInvoice", params, retry_safe=False)
        return _whole(data, "invoice_id", "addInvoice")

    def add_order_invoice_file(self, invoice_id: int, pdf: bytes, external_invoice_number: str) -> None:
        """addOrderInvoiceFile: attach the ERP's PDF to a BaseLinker invoice, under the ERP's number (≤30)."""
        if len(external_invoice_number) > 30:
            raise ValueError(f"external_invoice_number is longer than 30 characters: {external_invoice_number!r}")
        self.call("addOrderInvoiceFile", {"invoice_id": invoice_id, "file": _data_uri(pdf),
                                          "external_invoice_number": external_invoice_number})

    def get_invoice_file(self, invoice_id: int, get_external: bool = False) -> tuple[bytes, str]:
        """getInvoiceFile: the invoice's PDF and number (the uploaded external file with get_external)."""
        data = self.call("getInvoiceFile", {"invoice_id": invoice_id, "get_external": get_external})
        text = loose.as_str(data.get("invoice"))
        try:
            pdf = base64.b64decode(text.removeprefix("data:"), validate=True)
        except ValueError:
            raise MalformedResponse("invoice is not data: + base64", "getInvoiceFile") from None
        return pdf, loose.as_str(data.get("invoice_number"))

    def get_series(self) -> list[Series]:
        """getSeries: invoice, correction and receipt numbering series."""
        return [Series.from_api(s) for s in _items(self.call("getSeries"), "series", "getSeries")]

    # -- receipts ------------------------------------------------------------------------------------------

    def get_new_receipts(self, series_id: int | None = None, id_from: int = 0) -> list[Receipt]:
        """getNewReceipts: receipts waiting to be printed (they stay until set_order_receipt)."""
        params: dict[str, Any] = {"id_from": id_from}
        if series_id is not None:
            params["series_id"] = series_id
        # The list is named `orders` in this method's answer.
        return [Receipt.from_api(r) for r in _items(self.call("getNewReceipts", params), "orders", "getNewReceipts")]

    def set_order_receipt(self, receipt_id: int, receipt_nr: str, date: int, printer_error: bool = False,
                          printer_name: str | None = None) -> None:
        """setOrderReceipt: confirm a receipt printed as `receipt_nr` (≤20, may be "") at `date` (unix
        seconds), or report `printer_error`; either takes it off the getNewReceipts queue."""
        if len(receipt_nr) > 20:
            raise ValueError(f"receipt_nr is longer than 20 characters: {receipt_nr!r}")
        params: dict[str, Any] = {"receipt_id": receipt_id, "receipt_nr": receipt_nr, "date": int(date),
                                  "printer_error": printer_error}
        if printer_name is not None:
            params["printer_name"] = printer_name[:50]
        self.call("setOrderReceipt", params)

    def add_order_receipt_file(self, receipt_id: int, pdf: bytes, external_receipt_number: str) -> None:
        """addOrderReceiptFile: attach a receipt's PDF under the printer's number (≤20)."""
        if len(external_receipt_number) > 20:
            raise ValueError(f"external_receipt_number is longer than 20 characters: {external_receipt_number!r}")
        self.call("addOrderReceiptFile", {"receipt_id": receipt_id, "file": _data_uri(pdf),
                                          "external_receipt_number": external_receipt_number})


def _transport(kind: type[TransportError], message: str, method: str, cause: httpx.TransportError) -> TransportError:
    error = kind(message, method)
    # A failed connect (or no free connection) means the request never left: safe to send again.
    error.sent = not isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    return error


def _items(data: dict[str, Any], key: str, method: str) -> list[Any]:
    value = data.get(key, [])
    if isinstance(value, dict):  # PHP serialises a list with gaps as an object
        value = list(value.values())
    if not isinstance(value, list):
        raise MalformedResponse(f"`{key}` is not a list", method)
    return value


def _whole(data: dict[str, Any], key: str, method: str) -> int:
    try:
        return loose.as_int(data.get(key))
    except ValueError as e:
        raise MalformedResponse(f"{key}: {e}", method) from None


def _data_uri(pdf: bytes) -> str:
    return "data:" + base64.b64encode(pdf).decode("ascii")


__all__ = ["API_URL", "BaseLinkerClient", "BaseLinkerError", "RetryPolicy"]
