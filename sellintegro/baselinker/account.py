"""The emulated BaseLinker account behind the emulator: orders, statuses, journal, invoices, receipts.

No HTTP here: `Account.call(method, parameters)` answers what the method's envelope holds besides
`status`, or raises ApiFailure(code, message). emulator.py puts the wire, the token, the rate limit
and the faults around it. Behaviour follows reference/baselinker-api.md; where the reference leaves
a choice open ([U]) it is said next to the code that makes it.
"""

from __future__ import annotations

import base64
import copy
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import loose
from .errors import CODES

PAGE_SIZE = 100  # getOrders [D]; also used for invoices, receipts and journal pages [U]
JOURNAL_DAYS = 3  # getJournalList only reaches back this far [D]
FILE_MAX = 5 * 1024 * 1024  # an uploaded PDF larger than this is refused [U]

# Journal log types used here (reference §1.3).
LOG_ORDER_CREATED, LOG_INVOICE, LOG_RECEIPT, LOG_ORDER_EDITED, LOG_STATUS = 1, 7, 8, 16, 18

DEFAULT_STATUSES: list[dict[str, Any]] = [
    {"id": 1001, "name": "Nowe zamówienia", "name_for_customer": "Przyjęte", "color": "#3c8dbc"},
    {"id": 1002, "name": "Do realizacji", "name_for_customer": "W realizacji", "color": "#f39c12"},
    {"id": 1003, "name": "Przeniesione do ERP", "name_for_customer": "W realizacji", "color": "#00a65a"},
    {"id": 1004, "name": "Wysłane", "name_for_customer": "Wysłane", "color": "#605ca8"},
    {"id": 1005, "name": "Błąd integracji", "name_for_customer": "W realizacji", "color": "#dd4b39"},
    {"id": 1006, "name": "Anulowane", "name_for_customer": "Anulowane", "color": "#777777"},
]
DEFAULT_SERIES: list[dict[str, Any]] = [
    {"id": 1, "type": "INVOICE", "name": "Faktury", "format": "FV %N/%M/%Y"},
    {"id": 2, "type": "CORRECTION", "name": "Korekty", "format": "KOR %N/%M/%Y"},
    {"id": 3, "type": "RECEIPT", "name": "Paragony", "format": "%N/%M/%Y/P"},
]
_VAT_WORDS = {"EXPT": Decimal("-1"), "ZW": Decimal("-1"), "NP": Decimal("-0.02"), "OO": Decimal("-0.03")}
_ORDER_FIELDS = {"admin_comments": 200, "user_comments": 510, "payment_method": 100, "email": 150, "phone": 100,
                 "user_login": 100, "delivery_method": 100, "extra_field_1": 50, "extra_field_2": 500}
_ORDER_FIELDS.update({f"delivery_{k}": 100 for k in ("fullname", "company", "address", "postcode", "city", "state",
                                                     "country_code", "point_id", "point_name", "point_address",
                                                     "point_postcode", "point_city")})
_ORDER_FIELDS.update({f"invoice_{k}": 100 for k in ("fullname", "company", "nip", "address", "postcode", "city",
                                                    "state", "country_code")})


class ApiFailure(Exception):
    """An answer with status ERROR."""

    def __init__(self, code: str, message: str) -> None:
        assert code in CODES, code  # the client maps every code the emulator sends
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


def _bad(message: str) -> ApiFailure:
    return ApiFailure("ERROR_BAD_PARAMETERS", message)


class _Params:
    """A method's parameters, read as the service reads them: loosely, with a clear error otherwise."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def whole(self, name: str, default: int | None = None) -> int:
        if not self.has(name):
            if default is None:
                raise _bad(f"parameter {name} is required")
            return default
        try:
            return loose.as_int(self.raw[name])
        except ValueError:
            raise _bad(f"parameter {name} must be a whole number") from None

    def flag(self, name: str, default: bool = False) -> bool:
        if not self.has(name):
            return default
        try:
            return loose.as_bool(self.raw[name])
        except ValueError:
            raise _bad(f"parameter {name} must be true or false") from None

    def text(self, name: str, max_len: int, default: str = "") -> str:
        value = self.raw.get(name, default)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise _bad(f"parameter {name} must be text")
        text = loose.as_str(value)
        if len(text) > max_len:
            raise _bad(f"parameter {name} is longer than {max_len} characters")
        return text

    def pdf(self, name: str = "file") -> bytes:
        value = self.raw.get(name)
        if not isinstance(value, str) or not value.startswith("data:"):
            raise ApiFailure("ERROR_BAD_FILE", f"{name} must be \"data:\" followed by the base64 of the file")
        try:
            data = base64.b64decode(value[5:], validate=True)
        except ValueError:
            raise ApiFailure("ERROR_BAD_FILE", f"{name} is not valid base64") from None
        if not data.startswith(b"%PDF-"):
            raise ApiFailure("ERROR_BAD_FILE", f"{name} is not a PDF file")
        if len(data) > FILE_MAX:
            raise ApiFailure("ERROR_BAD_FILE", f"{name} is larger than {FILE_MAX} bytes")
        return data


def _num(value: Decimal) -> int | float:
    """A JSON number the way the service writes amounts (12, 12.5)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Account:
    """One BaseLinker account's data and its API methods; thread-safe."""

    def __init__(self, orders: Iterable[Mapping[str, Any]] = (), *, clock: Callable[[], float] = time.time,
                 journal_enabled: bool = True, auto_receipts: bool = True,
                 statuses: list[dict[str, Any]] | None = None, series: list[dict[str, Any]] | None = None) -> None:
        self.clock = clock
        self.journal_enabled = journal_enabled
        self.auto_receipts = auto_receipts
        self.lock = threading.RLock()
        self.statuses = copy.deepcopy(statuses or DEFAULT_STATUSES)
        self.series = copy.deepcopy(series or DEFAULT_SERIES)
        self.orders: dict[int, dict[str, Any]] = {}
        self.journal: list[dict[str, Any]] = []
        self.invoices: dict[int, dict[str, Any]] = {}
        self.invoice_files: dict[int, bytes] = {}
        self.receipts: dict[int, dict[str, Any]] = {}
        self.receipt_files: dict[int, bytes] = {}
        self._numbers: dict[tuple[int, int, int], int] = {}  # (series, year, month) -> last number
        self.methods: dict[str, Callable[[_Params], dict[str, Any]]] = {
            "getOrders": self.get_orders, "getOrderStatusList": self.get_order_status_list,
            "setOrderStatus": self.set_order_status, "setOrderStatuses": self.set_order_statuses,
            "setOrderFields": self.set_order_fields, "getOrderSources": self.get_order_sources,
            "getJournalList": self.get_journal_list, "getInvoices": self.get_invoices,
            "addInvoice": self.add_invoice, "addOrderInvoiceFile": self.add_order_invoice_file,
            "getInvoiceFile": self.get_invoice_file, "getSeries": self.get_series,
            "getNewReceipts": self.get_new_receipts, "getReceipts": self.get_receipts,
            "getReceipt": self.get_receipt, "setOrderReceipt": self.set_order_receipt,
            "addOrderReceiptFile": self.add_order_receipt_file,
        }
        self.add_orders(orders)

    def call(self, method: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """Run one API method; raises ApiFailure for an ERROR answer."""
        handler = self.methods.get(method)
        if handler is None:
            raise ApiFailure("ERROR_UNKNOWN_METHOD", f"unknown method: {method[:60]}" if method else "no method")
        with self.lock:
            return handler(_Params(parameters))

    # -- seeding -----------------------------------------------------------------------------------------

    def add_orders(self, orders: Iterable[Mapping[str, Any]]) -> list[int]:
        """Add orders shaped as getOrders returns them (kept as given, loose types and all); returns their ids."""
        added = []
        with self.lock:
            for raw in orders:
                if not isinstance(raw, Mapping):
                    raise ValueError(f"an order must be an object, not {type(raw).__name__}")
                order = copy.deepcopy(dict(raw))
                try:
                    order_id = loose.as_int(order.get("order_id"), 0)
                    loose.as_int(order.get("date_confirmed"))
                    loose.as_int(order.get("date_add"))
                except ValueError as e:
                    raise ValueError(f"order {order.get('order_id')!r}: {e}") from None
                if order_id <= 0:
                    order_id = max(self.orders, default=0) + 1
                    order["order_id"] = order_id
                if order_id in self.orders:
                    raise ValueError(f"order {order_id} is there already")
                order.setdefault("products", [])
                self.orders[order_id] = order
                self._log(LOG_ORDER_CREATED, order_id, 0, loose.as_int(order.get("date_add")) or None)
                if self.auto_receipts and loose.as_bool(order.get("confirmed")) and not loose.as_bool(
                        order.get("want_invoice")):
                    self.issue_receipt(order_id)
                added.append(order_id)
        return added

    def issue_receipt(self, order_id: int, series_id: int | None = None) -> int:
        """A receipt for the order, waiting in getNewReceipts until setOrderReceipt; returns its id."""
        with self.lock:
            order = self._order(order_id)
            series = self._series(series_id, "RECEIPT") if series_id else next(
                s for s in self.series if s["type"] == "RECEIPT")
            now = int(self.clock())
            number, year, month = self._next_number(series, now)
            lines: list[dict[str, Any]] = []
            total = Decimal(0)
            for p in order["products"]:
                price, quantity = loose.as_decimal(p.get("price_brutto")), loose.as_int(p.get("quantity"))
                lines.append({"name": loose.as_str(p.get("name")), "sku": loose.as_str(p.get("sku")),
                              "ean": loose.as_str(p.get("ean")), "price_brutto": _num(price),
                              "tax_rate": _num(loose.as_decimal(p.get("tax_rate"))), "quantity": quantity})
                total += price * quantity
            delivery = loose.as_decimal(order.get("delivery_price"))
            if delivery > 0:
                lines.append({"name": loose.as_str(order.get("delivery_method")) or "Dostawa", "sku": "", "ean": "",
                              "price_brutto": _num(delivery), "tax_rate": 23, "quantity": 1})
                total += delivery
            receipt_id = max(self.receipts, default=0) + 1
            self.receipts[receipt_id] = {
                "receipt_id": receipt_id, "series_id": series["id"], "receipt_full_nr": number, "year": year,
                "month": month, "sub_id": 0, "order_id": order_id, "date_add": now,
                "payment_method": loose.as_str(order.get("payment_method")),
                "nip": loose.as_str(order.get("invoice_nip")),
                "currency": loose.as_str(order.get("currency")) or "PLN", "total_price_brutto": _num(total),
                "external_receipt_number": "", "products": lines,
                # Ours, not sent by getNewReceipts: the printing outcome.
                "_pending": True, "_receipt_nr": "", "_date": 0, "_printer_error": False, "_printer_name": "",
            }
            self._log(LOG_RECEIPT, order_id, receipt_id)
            return receipt_id

    # -- helpers -------------------------------------------------------------------------------------------

    def _log(self, log_type: int, order_id: int, object_id: int, date: int | None = None) -> None:
        self.journal.append({"id": len(self.journal) + 1, "order_id": order_id, "log_type": log_type,
                             "object_id": object_id, "date": int(self.clock()) if date is None else date})

    def _order(self, order_id: int) -> dict[str, Any]:
        if order_id not in self.orders:
            raise ApiFailure("ERROR_ORDER_NOT_FOUND", f"order {order_id} does not exist")
        return self.orders[order_id]

    def _series(self, series_id: int, kind: str) -> dict[str, Any]:
        for s in self.series:
            if s["id"] == series_id:
                if s["type"] != kind:
                    raise _bad(f"series {series_id} is a {s['type']} series, not {kind}")
                return s
        raise ApiFailure("ERROR_SERIES_NOT_FOUND", f"series {series_id} does not exist")

    def _next_number(self, series: dict[str, Any], now: int) -> tuple[str, int, int]:
        t = time.localtime(now)
        key = (series["id"], t.tm_year, t.tm_mon)
        self._numbers[key] = n = self._numbers.get(key, 0) + 1
        text = series["format"].replace("%N", str(n)).replace("%M", str(t.tm_mon)).replace("%Y", str(t.tm_year))
        return text, t.tm_year, t.tm_mon

    def _status_ids(self) -> set[int]:
        return {int(s["id"]) for s in self.statuses}

    def _set_status(self, order: dict[str, Any], status_id: int) -> None:
        # Types as the service writes them for a status change: ints.
        order["order_status_id"] = status_id
        order["date_in_status"] = int(self.clock())
        self._log(LOG_STATUS, loose.as_int(order["order_id"]), status_id)

    # -- orders --------------------------------------------------------------------------------------------

    def get_orders(self, p: _Params) -> dict[str, Any]:
        unconfirmed = p.flag("get_unconfirmed_orders")
        found = []
        for order_id, o in self.orders.items():
            confirmed = loose.as_bool(o.get("confirmed"))
            date_confirmed = loose.as_int(o.get("date_confirmed"))
            if not confirmed and not unconfirmed:
                continue  # the service hides unconfirmed (possibly incomplete) orders by default [D]
            if p.has("order_id") and order_id != p.whole("order_id"):
                continue
            if p.has("date_confirmed_from") and date_confirmed < p.whole("date_confirmed_from"):
                continue
            if p.has("date_from") and loose.as_int(o.get("date_add")) < p.whole("date_from"):
                continue
            if p.has("id_from") and order_id < p.whole("id_from"):  # inclusive [U]
                continue
            if p.has("status_id") and loose.as_int(o.get("order_status_id")) != p.whole("status_id"):
                continue
            if p.has("filter_email") and loose.as_str(o.get("email")).lower() != p.text("filter_email", 150).lower():
                continue
            if p.has("filter_order_source") and loose.as_str(o.get("order_source")) != p.text("filter_order_source",
                                                                                              50):
                continue
            if p.has("filter_order_source_id") and loose.as_int(o.get("order_source_id")) != p.whole(
                    "filter_order_source_id"):
                continue
            if p.has("filter_shop_order_id") and loose.as_str(o.get("shop_order_id")) != p.text(
                    "filter_shop_order_id", 50):
                continue
            found.append((date_confirmed, order_id, o))
        # Oldest confirmation first, ties by id [U]; by id alone when paging by id_from only.
        if p.has("id_from") and not p.has("date_confirmed_from"):
            found.sort(key=lambda f: f[1])
        else:
            found.sort(key=lambda f: (f[0], f[1]))
        out = []
        for _, _, o in found[:PAGE_SIZE]:
            order = copy.deepcopy(o)
            for flag, key in (("include_custom_extra_fields", "custom_extra_fields"),
                              ("include_commission_data", "commission"), ("include_connect_data", "connect_data")):
                if not p.flag(flag):
                    order.pop(key, None)
            out.append(order)
        return {"orders": out}

    def get_order_status_list(self, p: _Params) -> dict[str, Any]:
        return {"statuses": copy.deepcopy(self.statuses)}

    def set_order_status(self, p: _Params) -> dict[str, Any]:
        order = self._order(p.whole("order_id"))
        status_id = p.whole("status_id")
        if status_id not in self._status_ids():
            raise ApiFailure("ERROR_STATUS_NOT_FOUND", f"status {status_id} does not exist")
        self._set_status(order, status_id)
        return {}

    def set_order_statuses(self, p: _Params) -> dict[str, Any]:
        ids = p.raw.get("order_ids")
        if not isinstance(ids, list) or not ids:
            raise _bad("parameter order_ids must be a non-empty list")
        try:
            order_ids = [loose.as_int(i) for i in ids]
        except ValueError:
            raise _bad("parameter order_ids must hold order ids") from None
        status_id = p.whole("status_id")
        if status_id not in self._status_ids():
            raise ApiFailure("ERROR_STATUS_NOT_FOUND", f"status {status_id} does not exist")
        orders = [self._order(i) for i in order_ids]  # all or nothing [U]
        for order in orders:
            self._set_status(order, status_id)
        return {}

    def set_order_fields(self, p: _Params) -> dict[str, Any]:
        order = self._order(p.whole("order_id"))
        changes: dict[str, Any] = {}
        for key in p.raw:
            if key == "order_id":
                continue
            if key in _ORDER_FIELDS:
                changes[key] = p.text(key, _ORDER_FIELDS[key])
            elif key in ("payment_method_cod", "want_invoice", "pick_state", "pack_state"):
                changes[key] = "1" if p.flag(key) else "0"
            elif key == "delivery_price":
                try:
                    changes[key] = _num(loose.as_decimal(p.raw[key]))
                except ValueError:
                    raise _bad("parameter delivery_price must be a number") from None
            elif key == "custom_extra_fields" and isinstance(p.raw[key], dict):
                fields = dict(order.get("custom_extra_fields") or {})
                for fid, value in p.raw[key].items():
                    if value == "":
                        fields.pop(str(fid), None)
                    else:
                        fields[str(fid)] = value
                changes[key] = fields
            else:
                raise _bad(f"setOrderFields cannot set {key[:60]}")
        order.update(changes)
        self._log(LOG_ORDER_EDITED, loose.as_int(order["order_id"]), 0)
        return {}

    def get_order_sources(self, p: _Params) -> dict[str, Any]:
        sources: dict[str, dict[str, str]] = {"personal": {"0": "Osobiście / telefonicznie"}}
        for o in self.orders.values():
            kind = loose.as_str(o.get("order_source")) or "personal"
            sid = loose.as_str(o.get("order_source_id")) or "0"
            sources.setdefault(kind, {}).setdefault(sid, loose.as_str(o.get("order_source_info")) or kind)
        return {"sources": sources}

    def get_journal_list(self, p: _Params) -> dict[str, Any]:
        if not self.journal_enabled:
            return {"logs": []}  # not enabled in the account's API settings [D]
        last = p.whole("last_log_id", 0)
        types_raw = p.raw.get("logs_types")
        if types_raw is not None and not isinstance(types_raw, list):
            raise _bad("parameter logs_types must be a list")
        try:
            types = {loose.as_int(t) for t in types_raw} if types_raw else None
        except ValueError:
            raise _bad("parameter logs_types must hold log type numbers") from None
        order_id = p.whole("order_id", 0)
        oldest = int(self.clock()) - JOURNAL_DAYS * 86400
        logs = [e for e in self.journal if e["id"] > last and e["date"] >= oldest
                and (types is None or e["log_type"] in types) and (not order_id or e["order_id"] == order_id)]
        return {"logs": copy.deepcopy(logs[:PAGE_SIZE])}

    # -- invoices ------------------------------------------------------------------------------------------

    def get_invoices(self, p: _Params) -> dict[str, Any]:
        external = p.flag("get_external_invoices", True)  # default true [U]
        found = [i for iid, i in sorted(self.invoices.items())
                 if (not p.has("invoice_id") or iid == p.whole("invoice_id"))
                 and (not p.has("order_id") or i["order_id"] == p.whole("order_id"))
                 and (not p.has("date_from") or i["date_add"] >= p.whole("date_from"))
                 and (not p.has("id_from") or iid >= p.whole("id_from"))
                 and (not p.has("series_id") or i["series_id"] == p.whole("series_id"))
                 and (external or iid not in self.invoice_files)]
        return {"invoices": copy.deepcopy(found[:PAGE_SIZE])}

    def add_invoice(self, p: _Params) -> dict[str, Any]:
        order_id = p.whole("order_id")
        order = self._order(order_id)
        series = self._series(p.whole("series_id"), "INVOICE")
        forced = self._vat_rate(p.raw.get("vat_rate", "DEFAULT"))
        now = int(self.clock())
        items = []
        for prod in order["products"]:
            items.append(self._invoice_item(loose.as_str(prod.get("name")), loose.as_decimal(prod.get("price_brutto")),
                                            forced if forced is not None else loose.as_decimal(prod.get("tax_rate")),
                                            loose.as_int(prod.get("quantity")), False,
                                            loose.as_str(prod.get("order_product_id")), prod))
        delivery = loose.as_decimal(order.get("delivery_price"))
        if delivery > 0:
            items.append(self._invoice_item(loose.as_str(order.get("delivery_method")) or "Dostawa", delivery,
                                            forced if forced is not None else Decimal(23), 1, True, "", {}))
        brutto = sum((Decimal(str(i["price_brutto"])) * i["quantity"] for i in items), Decimal(0))
        netto = sum((Decimal(str(i["price_netto"])) * i["quantity"] for i in items), Decimal(0))
        number, year, month = self._next_number(series, now)
        invoice_id = max(self.invoices, default=0) + 1
        buyer = {f"invoice_{k}": loose.as_str(order.get(f"invoice_{k}")) or loose.as_str(order.get(f"delivery_{k}"))
                 for k in ("fullname", "company", "address", "postcode", "city", "country", "country_code")}
        self.invoices[invoice_id] = {
            "invoice_id": invoice_id, "order_id": order_id, "series_id": series["id"], "type": "normal",
            "number": number, "sub_id": 0, "month": month, "year": year, "postfix": "", "date_add": now,
            "date_sell": now, "date_pay_to": 0, "currency": loose.as_str(order.get("currency")) or "PLN",
            "total_price_brutto": _num(_money(brutto)), "total_price_netto": _num(_money(netto)),
            "payment": loose.as_str(order.get("payment_method")), "additional_info": "",
            **buyer, "invoice_nip": loose.as_str(order.get("invoice_nip")), "seller": "Sklep Demo Sp. z o.o.",
            "issuer": "Sellintegro", "correcting_to_invoice_id": 0, "correcting_reason": "",
            "correcting_items": False, "correcting_data": False, "external_invoice_number": "",
            "exchange_currency": "", "exchange_rate": "", "exchange_date": "", "exchange_info": "",
            "external_id": 0, "items": items,
        }
        self._log(LOG_INVOICE, order_id, invoice_id)
        return {"invoice_id": invoice_id}

    @staticmethod
    def _vat_rate(value: Any) -> Decimal | None:
        """addInvoice's vat_rate: None for the items' own rates (DEFAULT, ITEM), else the one rate for all."""
        if isinstance(value, str) and value.upper() in ("DEFAULT", "ITEM", ""):
            return None
        if isinstance(value, str) and value.upper() in _VAT_WORDS:
            return _VAT_WORDS[value.upper()]
        try:
            rate = loose.as_decimal(value)
        except ValueError:
            raise _bad("parameter vat_rate must be DEFAULT, ITEM, EXPT, ZW, NP, OO or 0-100") from None
        if not 0 <= rate <= 100:
            raise _bad("parameter vat_rate must be DEFAULT, ITEM, EXPT, ZW, NP, OO or 0-100")
        return rate

    @staticmethod
    def _invoice_item(name: str, brutto: Decimal, rate: Decimal, quantity: int, shipment: bool,
                      order_product_id: str, prod: Mapping[str, Any]) -> dict[str, Any]:
        netto = brutto if rate <= 0 else _money(brutto / (1 + rate / 100))
        return {"name": name, "sku": loose.as_str(prod.get("sku")), "ean": loose.as_str(prod.get("ean")),
                "price_brutto": _num(brutto), "price_netto": _num(netto), "tax_rate": _num(rate),
                "quantity": quantity, "is_shipment": 1 if shipment else 0, "order_product_id": order_product_id}

    def _invoice(self, invoice_id: int) -> dict[str, Any]:
        if invoice_id not in self.invoices:
            raise ApiFailure("ERROR_INVOICE_NOT_FOUND", f"invoice {invoice_id} does not exist")
        return self.invoices[invoice_id]

    def add_order_invoice_file(self, p: _Params) -> dict[str, Any]:
        invoice = self._invoice(p.whole("invoice_id"))
        number = p.text("external_invoice_number", 30)
        self.invoice_files[invoice["invoice_id"]] = p.pdf()
        invoice["external_invoice_number"] = number
        return {}

    def get_invoice_file(self, p: _Params) -> dict[str, Any]:
        invoice = self._invoice(p.whole("invoice_id"))
        external = p.flag("get_external") and invoice["invoice_id"] in self.invoice_files
        if external:
            pdf, number = self.invoice_files[invoice["invoice_id"]], invoice["external_invoice_number"]
        else:
            pdf, number = b"%PDF-1.4\n% BaseLinker emulator invoice " + invoice["number"].encode() + b"\n%%EOF\n", \
                invoice["number"]
        return {"invoice": "data:" + base64.b64encode(pdf).decode("ascii"), "invoice_number": number}

    def get_series(self, p: _Params) -> dict[str, Any]:
        return {"series": copy.deepcopy(self.series)}

    # -- receipts ------------------------------------------------------------------------------------------

    @staticmethod
    def _public(receipt: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
        return {k: copy.deepcopy(receipt[k]) for k in keys}

    _QUEUE_KEYS = ("receipt_id", "series_id", "receipt_full_nr", "order_id", "date_add", "payment_method", "nip",
                   "products")

    def get_new_receipts(self, p: _Params) -> dict[str, Any]:
        series_id = p.whole("series_id", 0)
        id_from = p.whole("id_from", 0)
        found = [r for rid, r in sorted(self.receipts.items()) if r["_pending"] and rid >= id_from  # inclusive [U]
                 and (not series_id or r["series_id"] == series_id)]
        # The list is called `orders` in this method's answer [D].
        return {"orders": [self._public(r, self._QUEUE_KEYS) for r in found[:PAGE_SIZE]]}

    def get_receipts(self, p: _Params) -> dict[str, Any]:
        series_id = p.whole("series_id", 0)
        id_from = p.whole("id_from", 0)
        date_from, date_to = p.whole("date_from", 0), p.whole("date_to", 0)
        found = [r for rid, r in sorted(self.receipts.items()) if rid >= id_from  # inclusive [D]
                 and (not series_id or r["series_id"] == series_id) and r["date_add"] >= date_from
                 and (not date_to or r["date_add"] <= date_to)]
        return {"receipts": [self._public(r, self._QUEUE_KEYS) for r in found[:PAGE_SIZE]]}

    def _receipt(self, receipt_id: int) -> dict[str, Any]:
        if receipt_id not in self.receipts:
            raise ApiFailure("ERROR_RECEIPT_NOT_FOUND", f"receipt {receipt_id} does not exist")
        return self.receipts[receipt_id]

    def get_receipt(self, p: _Params) -> dict[str, Any]:
        if p.has("receipt_id"):
            receipt = self._receipt(p.whole("receipt_id"))
        else:
            order_id = p.whole("order_id")
            match = [r for r in self.receipts.values() if r["order_id"] == order_id]
            if not match:
                raise ApiFailure("ERROR_RECEIPT_NOT_FOUND", f"order {order_id} has no receipt")
            receipt = match[-1]
        flat = self._public(receipt, ("receipt_id", "series_id", "receipt_full_nr", "year", "month", "sub_id",
                                      "order_id", "date_add", "payment_method", "nip", "currency",
                                      "total_price_brutto", "external_receipt_number"))
        flat.update({"exchange_currency": "", "exchange_rate": "", "exchange_date": "", "exchange_info": "",
                     "items": copy.deepcopy(receipt["products"])})
        return flat

    def set_order_receipt(self, p: _Params) -> dict[str, Any]:
        receipt = self._receipt(p.whole("receipt_id"))
        number = p.text("receipt_nr", 20)
        date = p.whole("date")
        printer_error = p.flag("printer_error")
        printer_name = p.text("printer_name", 50)
        # Confirmed again: the last word wins [U]. A printer error also takes it off the queue: a person
        # issues it again in the panel, rather than a loop printing it twice [U].
        receipt.update({"_pending": False, "_receipt_nr": number, "_date": date, "_printer_error": printer_error,
                        "_printer_name": printer_name})
        return {}

    def add_order_receipt_file(self, p: _Params) -> dict[str, Any]:
        receipt = self._receipt(p.whole("receipt_id"))
        number = p.text("external_receipt_number", 20)
        self.receipt_files[receipt["receipt_id"]] = p.pdf()
        receipt["external_receipt_number"] = number
        return {}
