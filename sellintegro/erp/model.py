"""What the ERP holds and what we ask it to write: products, contractors, VAT rates, documents.

Money is `Decimal` in złoty with exact grosze; `grosze()` gives the integer a fiscal printer or a
test compares. Ids are the ERP's own (`tw_Id`, `kh_Id`, `vat_Id`, `dok_Id`, ...).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

GROSZ = Decimal("0.01")


def grosze(amount: Decimal) -> int:
    """`amount` in grosze; refuses a value that is not a whole number of grosze."""
    scaled = amount * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of grosze")
    return int(scaled)


class DocType(enum.IntEnum):
    """Sales documents we write; the values are Subiekt GT's `dok_Typ` codes."""

    FS = 2    # faktura sprzedaży (invoice)
    ZK = 16   # zamówienie od klienta (customer order)
    PA = 21   # paragon (receipt)

    @property
    def symbol(self) -> str:
        return self.name


class ItemKind(enum.IntEnum):
    """`tw_Rodzaj` / `ob_TowRodzaj`: goods or a service (delivery is a service)."""

    GOODS = 1
    SERVICE = 2


class VatKind(enum.Enum):
    """How a VAT rate taxes: a percentage, or one of the zero-tax kinds an invoice must tell apart."""

    TAXED = "taxed"          # 23, 8, 5, 0 %
    EXEMPT = "zw"            # zwolniony (BaseLinker tax_rate -1, "EXPT")
    NOT_SUBJECT = "np"       # nie podlega (BaseLinker -0.02)
    REVERSE_CHARGE = "oo"    # odwrotne obciążenie (BaseLinker -0.03)


# BaseLinker's encodings of the non-percentage rates (reference: baselinker-api.md, "VAT encoding").
_BASELINKER_KINDS = {Decimal("-1"): VatKind.EXEMPT, Decimal("-0.02"): VatKind.NOT_SUBJECT,
                     Decimal("-0.03"): VatKind.REVERSE_CHARGE}


@dataclass(frozen=True)
class VatRate:
    """One row of `sl_StawkaVAT`. Ids differ between databases: find a rate by kind and percent."""

    id: int
    symbol: str
    name: str
    percent: Decimal

    @property
    def kind(self) -> VatKind:
        sym = self.symbol.strip().lower()
        for kind in (VatKind.EXEMPT, VatKind.NOT_SUBJECT, VatKind.REVERSE_CHARGE):
            if sym == kind.value:
                return kind
        return VatKind.TAXED

    def matches(self, kind: VatKind, percent: Decimal | None = None) -> bool:
        if kind is not VatKind.TAXED:
            return self.kind is kind
        return self.kind is VatKind.TAXED and percent is not None and self.percent == percent


def find_vat_rate(rates: list[VatRate], tax_rate: Decimal | float | int | str) -> VatRate | None:
    """The rate for a BaseLinker `tax_rate` (0-100, or -1 ZW, -0.02 NP, -0.03 OO), or None."""
    value = Decimal(str(tax_rate))
    kind = _BASELINKER_KINDS.get(value, VatKind.TAXED)
    return next((r for r in rates if r.matches(kind, value)), None)


@dataclass(frozen=True)
class Warehouse:
    """One row of `sl_Magazyn`."""

    id: int
    symbol: str
    name: str
    main: bool


@dataclass(frozen=True)
class DocumentSeries:
    """A numbering series: a document type and its `dok_NrRoz` suffix ("" is the default series)."""

    type: DocType
    suffix: str
    name: str


@dataclass(frozen=True)
class Product:
    """A card of `tw__Towar` with its sales VAT rate and level-1 price (`tw_Cena`)."""

    id: int
    symbol: str
    name: str
    ean: str
    unit: str
    kind: ItemKind
    vat_id: int | None
    blocked: bool
    price_net: Decimal | None = None
    price_gross: Decimal | None = None


_NIP_SEPARATORS = re.compile(r"[\s\-./]")


def normalize_nip(nip: str) -> str:
    """A tax id without separators and without the "PL" prefix; foreign ids keep their country letters."""
    value = _NIP_SEPARATORS.sub("", nip or "").upper()
    if value.startswith("PL") and value[2:].isdigit():
        value = value[2:]
    return value


@dataclass(frozen=True)
class Address:
    """A contractor's main address (`adr__Ewid`, `adr_TypAdresu` = 1), which also holds name and NIP."""

    name: str
    full_name: str = ""
    nip: str = ""
    street: str = ""
    house_no: str = ""
    flat_no: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    country_id: int | None = None


@dataclass(frozen=True)
class Contractor:
    """A card of `kh__Kontrahent` with its main address."""

    id: int
    symbol: str
    email: str
    person: bool
    first_name: str
    last_name: str
    blocked: bool
    address: Address


@dataclass(frozen=True)
class ContractorRequest:
    """A buyer as an order describes it: found by NIP, then by e-mail, or created."""

    address: Address
    email: str = ""
    person: bool = False
    first_name: str = ""
    last_name: str = ""
    symbol: str = ""      # kh_Symbol for a new card; default: the NIP, else "SI-<kh_Id>"


class PaymentMethod(enum.Enum):
    """Where a document's gross goes in the payment breakdown (`dok_Kw*`)."""

    CASH = "cash"                          # dok_KwGotowka
    CARD = "card"                          # dok_KwKarta
    TRANSFER = "transfer"                  # dok_KwPrzelew: paid by transfer (or online payment)
    CASH_ON_DELIVERY = "cash_on_delivery"  # dok_KwKredyt, due on delivery: the courier collects it
    DEFERRED = "deferred"                  # dok_KwKredyt with a due date (trade credit)


@dataclass(frozen=True)
class Payment:
    """How the document is paid; the whole gross goes to one method."""

    method: PaymentMethod
    due: date | None = None


@dataclass(frozen=True)
class LineRequest:
    """One line to write. `product_id` None makes a one-off service (name and VAT required).

    Prices are gross (`LiczonyOdCenBrutto`): BaseLinker's `price_brutto` is what the buyer paid.
    `vat_id` None takes the product's sales rate (`tw_IdVatSp`).
    """

    quantity: Decimal
    unit_gross: Decimal
    product_id: int | None = None
    name: str = ""
    vat_id: int | None = None
    kind: ItemKind | None = None
    unit: str = ""

    @classmethod
    def delivery(cls, name: str, gross: Decimal, vat_id: int, product_id: int | None = None) -> LineRequest:
        """Delivery as a service line: quantity 1, the shipping price as its gross."""
        return cls(quantity=Decimal(1), unit_gross=gross, product_id=product_id, name=name, vat_id=vat_id,
                   kind=ItemKind.SERVICE, unit="usł.")


@dataclass(frozen=True)
class DocumentRequest:
    """A sales document to write, keyed by (`type`, `original_number` = `dok_NrPelnyOryg`).

    `contractor` is a card id (`kh_Id`), a request (find or create), or None (a receipt only).
    """

    type: DocType
    original_number: str
    lines: tuple[LineRequest, ...]
    payment: Payment
    contractor: int | ContractorRequest | None = None
    warehouse_id: int | None = None       # default: the main warehouse
    series: str = ""                      # dok_NrRoz; "" is the default series
    issue_date: datetime | None = None    # default: now
    notes: str = ""
    issued_by: str = "Sellintegro"
    based_on_id: int | None = None        # dok_DoDokId, e.g. the ZK an FS is made from
    currency: str = "PLN"


@dataclass(frozen=True)
class StoredLine:
    """A line as the ERP holds it (`dok_Pozycja`)."""

    id: int
    lp: int
    product_id: int | None
    kind: ItemKind
    name: str
    quantity: Decimal
    unit: str
    unit_net: Decimal
    unit_gross: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_id: int | None
    vat_percent: Decimal


@dataclass(frozen=True)
class StoredDocument:
    """A document as the ERP holds it (`dok__Dokument` with its lines), totals as stored."""

    id: int
    type: DocType
    nr: int
    series: str
    number: str               # dok_NrPelny, e.g. "ZK 45/2026"
    original_number: str      # dok_NrPelnyOryg
    issue_date: datetime
    contractor_id: int | None
    payer_address_id: int | None   # dok_PlatnikAdreshId -> adr_Historia
    warehouse_id: int | None
    net: Decimal
    vat: Decimal
    gross: Decimal
    goods_net: Decimal
    goods_gross: Decimal
    services_net: Decimal
    services_gross: Decimal
    cash: Decimal
    card: Decimal
    transfer: Decimal
    credit: Decimal
    to_pay: Decimal
    due: datetime | None
    based_on_id: int | None
    notes: str
    lines: tuple[StoredLine, ...] = field(default=())


@dataclass(frozen=True)
class WriteResult:
    """The document written, or the one that already existed for the same type and original number."""

    document: StoredDocument
    created: bool
