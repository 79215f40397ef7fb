"""The simulated printer's state machine: VAT table, transaction, totals, counters, fiscalized documents.

No sockets here (`simulator.py` serves it). `Device.execute(command, params)` runs one command the
way a POSNET ONLINE printer does and returns the reply's parameters, or raises DeviceError with
the documented code. Choices the specification leaves open, marked [U] in the reference:
- the receipt counter is continuous (never reset by the daily report); a cancelled receipt takes a
  number too (the printed "TRANSAKCJA ANULOWANA" slip carries one);
- `to` differing from the device's own sum answers 2008, like a line whose `wa` is not price x qty;
  `fp` not equal to the payments sent, or payments short of the total, answer 2054;
- more than 500 receipt / 120 invoice lines, or a value above the Kwota maximum, answer 1957;
- for the VAT lock (2106) an exempt rate counts as the lowest rate; locks are recorded when a
  document is fiscalized;
- the transaction totals read by `strns` are zeroed when a transaction starts or is cancelled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .frame import MAX_KWOTA, parse_bool, parse_kwota, parse_num

LETTERS = "ABCDEFG"
EXEMPT_VALUE = Decimal(100)
INACTIVE_VALUE = Decimal(101)
DEFAULT_VAT: tuple[str, ...] = ("23", "8", "5", "0", "101", "101", "100")  # A-D taxed, G exempt
TX_RECEIPT, TX_RECEIPT_BLOCK, TX_INVOICE = 16, 17, 33
PAYMENT_TYPES = frozenset({0, 2, 3, 4, 5, 6, 7, 8})
# Commands that move paper: they wait while the mechanism cannot print.
PRINTING = frozenset({"trinit", "trline", "trend", "prncancel", "trcancel", "hardprncancel", "trfvinit", "dailyrep"})
IMMEDIATE = frozenset({"sprn", "sdev"})


class DeviceError(Exception):
    """A refusal: a command error (`cmd ?code`), or a frame error (`ERR ?code`) when `frame`."""

    def __init__(self, code: int, *, frame: bool = False, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.frame = frame
        self.field = field


@dataclass(frozen=True)
class SoldLine:
    name: str
    slot: int
    price: int
    quantity: Decimal
    total: int
    unit: str = ""
    description: str = ""
    void: bool = False


@dataclass(frozen=True)
class PrintedDocument:
    """A document the simulator printed: fiscalized, or cancelled (`fiscal` False)."""

    kind: str                         # "receipt" | "invoice"
    number: int                       # receipt number (scnt bt) or invoice count (scnt fn)
    fiscal: bool
    lines: tuple[SoldLine, ...]
    totals: Mapping[str, int]         # gross per PTU letter
    rates: Mapping[str, Decimal]      # percent per letter used; 100 = exempt
    total: int
    payments: tuple[tuple[int, int, str], ...] = ()
    change: int = 0
    buyer_nip: str = ""
    invoice_number: str = ""
    buyer_name: str = ""
    buyer_address: str = ""
    time: datetime = field(default_factory=datetime.now)
    image: Path | None = None


@dataclass
class _Transaction:
    kind: str
    ts: int
    lines: list[SoldLine] = field(default_factory=list)
    payments: list[tuple[int, int, str]] = field(default_factory=list)
    change: list[tuple[int, int, str]] = field(default_factory=list)
    nip: str = ""
    buyer: tuple[str, str, str] | None = None     # name, nip, address
    number: str = ""

    def slot_totals(self) -> list[int]:
        totals = [0] * 7
        for line in self.lines:
            totals[line.slot] += -line.total if line.void else line.total
        return totals


def _value(price: int, quantity: Decimal) -> int:
    return int((Decimal(price) * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _item_key(name: str) -> str:
    # The printer tells items apart by letters and digits (case-insensitive), dot, comma, percent, slashes.
    return re.sub(r"[^0-9a-ząćęłńóśźż.,%/\\]", "", name.lower())


class Device:
    def __init__(self, vat: Sequence[str | Decimal] = DEFAULT_VAT, *, fiscal: bool = True, read_only: bool = False,
                 header: Sequence[str] = ("SKLEP DEMO SELLINTEGRO", "ul. Przykładowa 1", "00-001 Warszawa"),
                 nip: str = "5222628262", unique: str = "ZBF 1801007587") -> None:
        if len(vat) != 7:
            raise ValueError("the VAT table has 7 slots (A-G)")
        self.vat = [Decimal(str(v).replace(",", ".")) for v in vat]
        self.fiscal = fiscal
        self.read_only = read_only
        self.header = tuple(header)
        self.nip = nip
        self.unique = unique
        self.model = "POSNET THERMAL HD ONLINE"
        self.mechanism = 0               # sprn pr
        self.paper_near_end = False
        self.queue_empty = True
        self.daily_report_required = False
        self.tx: _Transaction | None = None
        self.last_ts = 0
        self.last_totals = [0] * 7
        self.last_paid = 0
        self.last_change = 0
        self.counters = {"rd": 0, "hn": 0, "bn": 0, "fn": 0, "bc": 0, "bt": 0, "fc": 0}
        self.documents: list[PrintedDocument] = []
        self.cancelled: list[PrintedDocument] = []
        self.locks: dict[str, tuple[Decimal, Decimal | None]] = {}   # item -> (last rate, locked maximum)
        self.sold_since_report = False
        # Called with each printed document; returns it (with its image, when one is drawn).
        self.on_print: Callable[[PrintedDocument], PrintedDocument] | None = None

    # -- the command table -----------------------------------------------------------------------------------
    def execute(self, command: str, params: Mapping[str, str]) -> list[tuple[str, str]]:
        handler = getattr(self, f"_cmd_{command}", None)
        if command in ("trcancel", "hardprncancel"):
            handler = self._cmd_prncancel
        if handler is None:
            raise DeviceError(1, frame=True)
        result: list[tuple[str, str]] = handler(params)
        return result

    # -- parameters --------------------------------------------------------------------------------------------
    @staticmethod
    def _req(p: Mapping[str, str], name: str) -> str:
        if name not in p:
            raise DeviceError(2, frame=True, field=name)
        return p[name]

    def _kwota(self, p: Mapping[str, str], name: str, required: bool = False) -> int | None:
        if name not in p and not required:
            return None
        try:
            return parse_kwota(self._req(p, name))
        except ValueError:
            raise DeviceError(3, frame=True, field=name) from None

    def _num(self, p: Mapping[str, str], name: str, default: Decimal) -> Decimal:
        if name not in p:
            return default
        try:
            return parse_num(p[name])
        except ValueError:
            raise DeviceError(3, frame=True, field=name) from None

    def _int(self, p: Mapping[str, str], name: str, low: int, high: int, default: int | None = None) -> int:
        if name not in p and default is not None:
            return default
        text = self._req(p, name)
        if not text.isdigit() or not low <= int(text) <= high:
            raise DeviceError(3, frame=True, field=name)
        return int(text)

    def _bool(self, p: Mapping[str, str], name: str, default: bool = False) -> bool:
        if name not in p:
            return default
        try:
            return parse_bool(p[name])
        except ValueError:
            raise DeviceError(3, frame=True, field=name) from None

    def _text(self, p: Mapping[str, str], name: str, limit: int, required: bool = False) -> str:
        if name not in p and not required:
            return ""
        value = self._req(p, name)
        if len(value) > limit:
            raise DeviceError(3, frame=True, field=name)
        return value

    def _tx(self, kind: str | None = None) -> _Transaction:
        if self.tx is None or (kind is not None and self.tx.kind != kind):
            raise DeviceError(2060)
        return self.tx

    def _may_start(self) -> None:
        if self.read_only:
            raise DeviceError(2036)
        if self.daily_report_required:
            raise DeviceError(383)
        if all(v == INACTIVE_VALUE for v in self.vat):
            raise DeviceError(2004)
        if self.tx is not None:
            raise DeviceError(2038)

    def _start(self, tx: _Transaction) -> None:
        self.tx = tx
        self.last_ts = tx.ts
        self.last_totals = [0] * 7
        self.last_paid = self.last_change = 0

    # -- transaction -------------------------------------------------------------------------------------------
    def _cmd_trinit(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        block = self._bool(p, "bm")
        self._may_start()
        self._start(_Transaction("receipt", TX_RECEIPT_BLOCK if block else TX_RECEIPT))
        return []

    def _cmd_trnipset(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        nip = self._text(p, "ni", 30, required=True)
        self._bool(p, "dw", True)
        self._text(p, "ds", 56)
        tx = self._tx("receipt")
        digits = re.sub(r"[\s-]", "", nip)
        if not (digits.isascii() and digits.isdigit() and len(digits) == 10):
            raise DeviceError(2096)
        tx.nip = digits
        return []

    def _cmd_trfvinit(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        self._text(p, "nm", 39)
        self._int(p, "cc", 0, 9, default=0)
        self._bool(p, "co", True)
        self._may_start()
        self._start(_Transaction("invoice", TX_INVOICE))
        return []

    def _cmd_trfvbuyer(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        name = self._text(p, "na", 256, required=True)
        nip = self._text(p, "ni", 20, required=True)
        address = self._text(p, "ad", 256)
        self._int(p, "sc", 0, 2)
        tx = self._tx("invoice")
        if not name.strip() or not nip.strip():
            raise DeviceError(3, frame=True, field="na" if not name.strip() else "ni")
        tx.buyer = (name, nip, address)
        return []

    def _cmd_trfvnumber(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        number = self._text(p, "nb", 40, required=True)
        self._int(p, "sc", 0, 2)
        tx = self._tx("invoice")
        if not number.strip():
            raise DeviceError(3, frame=True, field="nb")
        tx.number = number
        return []

    def _cmd_trline(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        name = self._text(p, "na", 80, required=True)
        vt = self._req(p, "vt")
        price = self._kwota(p, "pr", required=True)
        quantity = self._num(p, "il", Decimal(1))
        given = self._kwota(p, "wa")
        void = self._bool(p, "st")
        unit, description = self._text(p, "jm", 4), self._text(p, "op", 50)
        self._text(p, "np", 49)
        self._text(p, "nc", 51)
        tx = self._tx()
        if tx.kind == "invoice" and (tx.buyer is None or not tx.number):
            raise DeviceError(2060)
        if not vt.isdigit() or int(vt) > 6 or self.vat[int(vt)] == INACTIVE_VALUE:
            raise DeviceError(2000)
        slot = int(vt)
        assert price is not None
        if price <= 0:
            raise DeviceError(2006)
        if quantity <= 0:
            raise DeviceError(2007)
        total = _value(price, quantity)
        if given is not None and given != total:
            raise DeviceError(2008)
        if total > MAX_KWOTA or len(tx.lines) >= (500 if tx.kind == "receipt" else 120):
            raise DeviceError(1957)
        if sum(tx.slot_totals()) + (0 if void else total) > MAX_KWOTA:
            raise DeviceError(1957)
        if not void:
            _last, locked = self.locks.get(_item_key(name), (None, None))
            if locked is not None and self._lock_rate(slot) > locked:
                raise DeviceError(2106)
        tx.lines.append(SoldLine(name, slot, price, quantity, total, unit, description, void))
        self.last_totals = tx.slot_totals()
        return []

    def _cmd_trpayment(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        kind = self._int(p, "ty", 0, 8)
        amount = self._kwota(p, "wa", required=True)
        name = self._text(p, "na", 25)
        change = self._bool(p, "re")
        if kind not in PAYMENT_TYPES:
            raise DeviceError(3, frame=True, field="ty")
        tx = self._tx("receipt")
        assert amount is not None
        (tx.change if change else tx.payments).append((kind, amount, name))
        return []

    def _cmd_trend(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        to, fp, re_ = self._kwota(p, "to"), self._kwota(p, "fp"), self._kwota(p, "re")
        self._kwota(p, "op")
        self._kwota(p, "om")
        self._bool(p, "fe", True)
        tx = self._tx()
        if tx.kind == "invoice" and (tx.buyer is None or not tx.number):
            raise DeviceError(2060)
        if not any(not line.void for line in tx.lines):
            raise DeviceError(1992)
        slots = tx.slot_totals()
        total = sum(slots)
        if to is not None and to != total:
            raise DeviceError(2008)
        if total <= 0:
            raise DeviceError(2041)
        paid = sum(a for _k, a, _n in tx.payments)
        given_change = sum(a for _k, a, _n in tx.change)
        if fp is not None and fp != paid:
            raise DeviceError(2054)
        change = 0
        if tx.payments:
            if paid - given_change < total or (given_change and paid - given_change != total):
                raise DeviceError(2054)
            change = paid - total
        if re_ is not None and re_ != change:
            raise DeviceError(2054)
        return self._fiscalize(tx, slots, paid, change)

    def _fiscalize(self, tx: _Transaction, slots: list[int], paid: int, change: int) -> list[tuple[str, str]]:
        c = self.counters
        if tx.kind == "receipt":
            c["bn"] += 1
            c["bt"] += 1
            number = c["bt"]
        else:
            c["fn"] += 1
            number = c["fn"]
        c["hn"] += 1
        for line in tx.lines:
            if not line.void:
                self._record_lock(line.name, self._lock_rate(line.slot))
        self.tx = None
        self.last_totals = slots
        self.last_paid, self.last_change = paid, change
        self.sold_since_report = True
        buyer = tx.buyer or ("", tx.nip, "")
        doc = PrintedDocument(
            tx.kind, number, True, tuple(tx.lines), self._letters(slots), self._rates(slots), sum(slots),
            tuple(tx.payments), change, buyer[1], tx.number, buyer[0], buyer[2])
        self.documents.append(self._printed(doc))
        return []

    def _cmd_prncancel(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        tx = self.tx
        if tx is None:
            return []
        c = self.counters
        if tx.kind == "receipt":
            c["bc"] += 1
            c["bt"] += 1
            number = c["bt"]
        else:
            c["fc"] += 1
            number = c["fn"] + c["fc"]
        c["hn"] += 1
        slots = tx.slot_totals()
        buyer = tx.buyer or ("", tx.nip, "")
        doc = PrintedDocument(tx.kind, number, False, tuple(tx.lines), self._letters(slots), self._rates(slots),
                              sum(slots), tuple(tx.payments), 0, buyer[1], tx.number, buyer[0], buyer[2])
        self.tx = None
        self.last_totals = [0] * 7
        self.cancelled.append(self._printed(doc))
        return []

    def _printed(self, doc: PrintedDocument) -> PrintedDocument:
        return self.on_print(doc) if self.on_print is not None else doc

    def _letters(self, slots: list[int]) -> dict[str, int]:
        return {LETTERS[i]: v for i, v in enumerate(slots) if v}

    def _rates(self, slots: list[int]) -> dict[str, Decimal]:
        return {LETTERS[i]: self.vat[i] for i, v in enumerate(slots) if v}

    def _lock_rate(self, slot: int) -> Decimal:
        value = self.vat[slot]
        return Decimal(-1) if value == EXEMPT_VALUE else value

    def _record_lock(self, name: str, rate: Decimal) -> None:
        key = _item_key(name)
        last, locked = self.locks.get(key, (None, None))
        if last is not None and rate < last:  # lowered: from now on never above this rate
            locked = rate if locked is None else min(locked, rate)
        self.locks[key] = (rate, locked)

    # -- reports and status ------------------------------------------------------------------------------------
    def _cmd_dailyrep(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        if self.tx is not None:
            raise DeviceError(2038)
        if not self.sold_since_report:
            raise DeviceError(382)
        self.counters["rd"] += 1
        self.sold_since_report = False
        self.daily_report_required = False
        return []

    def _cmd_vatget(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        return [(f"v{letter.lower()}", f"{value:.2f}".replace(".", ",")) for letter, value in zip(LETTERS, self.vat,
                                                                                                   strict=True)]

    def _cmd_scomm(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        return [("fs", _b(self.fiscal)), ("tz", _b(not self.sold_since_report)),
                ("ts", str(self.tx.ts if self.tx else 0)), ("hr", "1"), ("nu", self.unique), ("td", _b(self.read_only))]

    def _cmd_sdev(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        return [("ds", "3" if self.mechanism else "0"), ("cp", "0"), ("qe", _b(self.queue_empty)),
                ("pe", _b(self.paper_near_end)), ("tl", "1" if self.tx else "0")]

    def _cmd_sprn(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        return [("pr", str(self.mechanism))]

    def _cmd_scnt(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        c = self.counters
        return [("rd", str(c["rd"])), ("hn", str(c["hn"])), ("bn", str(c["bn"])), ("fn", str(c["fn"])),
                ("nu", self.unique), ("bc", str(c["bc"])), ("bt", str(c["bt"])), ("fc", str(c["fc"]))]

    def _cmd_strns(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        tx = self.tx
        totals = tx.slot_totals() if tx else self.last_totals
        paid = sum(a for _k, a, _n in tx.payments) if tx else self.last_paid
        out = [("to", "1" if tx else "0"), ("ts", str(tx.ts if tx else self.last_ts))]
        out += [(f"v{letter.lower()}", str(v)) for letter, v in zip(LETTERS, totals, strict=True)]
        out += [("pp", "0"), ("pm", "0"), ("re", str(0 if tx else self.last_change)), ("fp", str(paid)), ("fe", "0")]
        return out

    def _cmd_sid(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        return [("nm", self.model), ("vr", "31.01")]

    def _cmd_getrealid(self, p: Mapping[str, str]) -> list[tuple[str, str]]:
        return [("nm", self.model), ("vr", "31.01"), ("nu", self.unique)]


def _b(value: bool) -> str:
    return "1" if value else "0"
