"""The `orders` plugin's declared settings, and the typed view its cycle reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sellintegro.api import BASELINKER_SETTINGS, ERP_SETTINGS
from sellintegro.baselinker.models import VAT_NP, VAT_OO, VAT_ZW, vat_label
from sellintegro.erp import DocType
from sellintegro.schema import Setting

DOCUMENT_TYPES = ("ZK", "FS", "PA", "auto")
MATCH_KEYS = ("sku", "ean", "name")
UNKNOWN_PRODUCT = ("error", "service")
HIGHEST = "highest"
_VAT_WORDS = {"ZW": VAT_ZW, "EXPT": VAT_ZW, "NP": VAT_NP, "OO": VAT_OO}
_SOURCE = re.compile(r"^[a-z0-9_]+(:\d+)?$")


def vat_key(value: object) -> str:
    """The label of a BaseLinker VAT rate as written by a person: "23", "8", "ZW", "NP", "OO" (also "-1", "zw")."""
    text = str(value).strip()
    if text.upper() in _VAT_WORDS:
        return vat_label(_VAT_WORDS[text.upper()])
    try:
        return vat_label(Decimal(text.replace(",", ".")))
    except (InvalidOperation, ValueError):
        raise ValueError(f'"{text}" is not a VAT rate (0-100, ZW, NP or OO)') from None


def _is_status(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value > 0) or (
        isinstance(value, str) and value.strip() != "")


def _check_status(value: object) -> str | None:
    return None if _is_status(value) else "must be a BaseLinker status id (a whole number) or its name"


def _check_statuses(value: object) -> str | None:
    if not isinstance(value, list):
        return "must be a list"
    bad = [v for v in value if not _is_status(v)]
    return f"{bad[0]!r} is not a BaseLinker status id or name" if bad else None


def _check_sources(value: object) -> str | None:
    if not isinstance(value, list):
        return "must be a list"
    for v in value:
        if not isinstance(v, str) or not _SOURCE.match(v.strip().lower()):
            return (f'{v!r} is not an order source: use BaseLinker\'s source type ("shop", "allegro", "personal", '
                    '...), optionally with the account id after a colon ("allegro:11223")')
    return None


def _check_match(value: object) -> str | None:
    if not isinstance(value, list) or not value:
        return f"must be a non-empty list of {', '.join(MATCH_KEYS)}"
    for v in value:
        if v not in MATCH_KEYS:
            return f"{v!r} is not one of {', '.join(MATCH_KEYS)}"
    return "each key may appear once" if len(set(value)) != len(value) else None


def _check_vat_map(value: object) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a table"
    for key, target in value.items():
        try:
            vat_key(key)
        except ValueError as e:
            return f"key {e}"
        if not ((isinstance(target, str) and target.strip()) or (isinstance(target, int)
                                                                  and not isinstance(target, bool))):
            return f"{key} = {target!r}: the value must be a Subiekt VAT symbol (\"23\", \"zw\") or a VAT id"
    return None


def _check_delivery_vat(value: object) -> str | None:
    if value == HIGHEST:
        return None
    try:
        vat_key(value)
    except ValueError as e:
        return f'{e}; or "{HIGHEST}": the highest rate among the order\'s lines'
    return None


def _check_series(value: object) -> str | None:
    return "must be at most 3 characters (Subiekt's dok_NrRoz)" if len(str(value).strip()) > 3 else None


SETTINGS: tuple[Setting, ...] = (
    *BASELINKER_SETTINGS,
    *ERP_SETTINGS,
    Setting("sources", list, None, check=_check_sources,
            help='order sources to take: "shop", "allegro", "personal", ..., or one account as "allegro:11223"; '
                 "unset: every source"),
    Setting("statuses", list, None, check=_check_statuses,
            help="BaseLinker statuses (ids or names) whose orders are taken; unset: every status. An order in "
                 "another status waits, for up to days_back days, until it moves into one of them"),
    Setting("status_ok", object, None, check=_check_status,
            help="the status (id or name) an order gets once its document is in Subiekt; unset: leave it"),
    Setting("status_error", object, None, check=_check_status,
            help="the status (id or name) an order gets when it cannot be transferred; unset: leave it"),
    Setting("document_type", str, "ZK", choices=DOCUMENT_TYPES,
            help='ZK (customer order), FS (invoice), PA (receipt), or "auto": FS when the buyer wants an '
                 "invoice, PA otherwise"),
    Setting("warehouse", str, "", help="the warehouse's symbol (or id) in Subiekt; empty: the main warehouse"),
    Setting("series", str, "", check=_check_series,
            help="the document series (Subiekt's dok_NrRoz, e.g. \"A\" for \"FS 12/A/2026\"); empty: default"),
    Setting("match_products", list, None, check=_check_match,
            help='how a line finds its product, in order: "sku" (= the product\'s symbol), "ean" (its main '
                 'barcode), "name"; default ["sku", "ean"]'),
    Setting("unknown_product", str, "error", choices=UNKNOWN_PRODUCT,
            help='a line whose product is not in Subiekt: "error" (the order is not transferred) or "service" '
                 "(a one-off service line with the line's name, price and VAT)"),
    Setting("create_contractors", bool, True,
            help="the buyer is found by NIP (a buyer without one: by e-mail); create a contractor card when none "
                 "matches (false: such an order is not transferred)"),
    Setting("delivery_name", str, "", help="the name of the delivery line; empty: the order's delivery method"),
    Setting("delivery_symbol", str, "",
            help="the symbol of a service card for delivery (e.g. TRANSPORT); empty: a one-off service line"),
    Setting("delivery_vat", str, "23", check=_check_delivery_vat,
            help=f'the VAT rate of delivery ("23", "8", ..., "ZW"), or "{HIGHEST}": the highest among the lines'),
    Setting("vat_map", dict, None, check=_check_vat_map,
            help='BaseLinker VAT rate -> Subiekt VAT symbol or id, e.g. {ZW = "zw", "23" = "23"}; a rate not '
                 "listed is found by its percentage and kind (ZW, NP, OO)"),
    Setting("payment_days", int, 7, min=0, max=365,
            help="days to pay for an order neither paid nor cash on delivery (the document's due date)"),
    Setting("days_back", int, 7, min=1, max=150,
            help="orders confirmed more than this many days ago are not taken (nor waited for)"),
    Setting("first_run_days_back", float, 1.0, min=0, max=90,
            help="on the plugin's first run, take orders confirmed at most this many days before it "
                 "(0: only orders confirmed from then on)"),
)


@dataclass(frozen=True)
class Source:
    type: str
    id: int | None = None

    def matches(self, order_source: str, order_source_id: int) -> bool:
        return order_source.lower() == self.type and (self.id is None or self.id == order_source_id)


@dataclass(frozen=True)
class OrdersSettings:
    """The settings as the cycle uses them (validated already by the endpoint's config loader)."""

    sources: tuple[Source, ...] = ()
    statuses: tuple[int | str, ...] = ()
    status_ok: int | str | None = None
    status_error: int | str | None = None
    document_type: str = "ZK"
    warehouse: str = ""
    series: str = ""
    match_products: tuple[str, ...] = ("sku", "ean")
    unknown_product: str = "error"
    create_contractors: bool = True
    delivery_name: str = ""
    delivery_symbol: str = ""
    delivery_vat: str = "23"
    vat_map: Mapping[str, str | int] = field(default_factory=dict)
    payment_days: int = 7
    days_back: int = 7
    first_run_days_back: float = 1.0

    @classmethod
    def from_settings(cls, s: Mapping[str, Any]) -> OrdersSettings:
        sources = []
        for text in s.get("sources") or ():
            kind, _, sid = text.strip().lower().partition(":")
            sources.append(Source(kind, int(sid) if sid else None))
        delivery_vat = s.get("delivery_vat") or "23"
        return cls(
            sources=tuple(sources), statuses=tuple(_status(v) for v in s.get("statuses") or ()),
            status_ok=_optional_status(s.get("status_ok")), status_error=_optional_status(s.get("status_error")),
            document_type=s.get("document_type") or "ZK", warehouse=(s.get("warehouse") or "").strip(),
            series=(s.get("series") or "").strip(), match_products=tuple(s.get("match_products") or ("sku", "ean")),
            unknown_product=s.get("unknown_product") or "error",
            create_contractors=bool(s.get("create_contractors", True)),
            delivery_name=(s.get("delivery_name") or "").strip(),
            delivery_symbol=(s.get("delivery_symbol") or "").strip(),
            delivery_vat=delivery_vat if delivery_vat == HIGHEST else vat_key(delivery_vat),
            vat_map={vat_key(k): v for k, v in (s.get("vat_map") or {}).items()},
            payment_days=int(s.get("payment_days", 7)), days_back=int(s.get("days_back", 7)),
            first_run_days_back=float(s.get("first_run_days_back", 1.0)))

    def fixed_type(self) -> DocType | None:
        """The one document type written, or None when it follows want_invoice ("auto")."""
        return None if self.document_type == "auto" else DocType[self.document_type]


def _optional_status(value: object) -> int | str | None:
    return None if value is None else _status(value)


def _status(value: object) -> int | str:
    """A status as configured: an id (also one written as text, "1003"), or a name."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else text
