"""The `fiscal` plugin's declared settings, and the typed view its cycle reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sellintegro.api import BASELINKER_SETTINGS
from sellintegro.fiscal import PaymentType
from sellintegro.schema import Setting

from .connection import PrinterAddress, check_address, parse_address

# The payment form printed on a receipt for its whole amount; "none" prints no payment line.
PAYMENTS: dict[str, PaymentType | None] = {
    "none": None, "cash": PaymentType.CASH, "card": PaymentType.CARD, "transfer": PaymentType.TRANSFER,
    "credit": PaymentType.CREDIT, "voucher": PaymentType.VOUCHER, "other": PaymentType.OTHER,
}
_PAYMENT_NAMES = ", ".join(PAYMENTS)


def _check_printer_name(value: object) -> str | None:
    return "must be 1 to 50 characters (BaseLinker's printer_name)" if not 0 < len(str(value)) <= 50 else None


def _check_payment_methods(value: object) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a table"
    for method, form in value.items():
        if form not in PAYMENTS:
            return f'"{method}" = {form!r}: the payment form must be one of {_PAYMENT_NAMES}'
    return None


SETTINGS: tuple[Setting, ...] = (
    *BASELINKER_SETTINGS,
    Setting("printer", str, required=True, check=check_address,
            help='the POSNET ONLINE fiscal printer: "tcp://HOST[:PORT]" (port 6666 by default) or "serial:PORT" '
                 '(COM3, /dev/ttyUSB0)'),
    Setting("baudrate", int, 115200, choices=(9600, 19200, 38400, 57600, 115200),
            help="serial line speed (8N1); serial printers only"),
    Setting("printer_name", str, "POSNET", check=_check_printer_name,
            help="the printer's name as BaseLinker shows it with each receipt and each printer error"),
    Setting("receipt_series", int, required=True, min=1,
            help="the BaseLinker receipt series this printer prints (getNewReceipts series_id); one series per "
                 "printer"),
    Setting("invoice_series", int, None, min=1,
            help="a BaseLinker invoice series whose invoices are printed on this printer as fiscal invoices "
                 "(trfv*); unset: the printer prints receipts only"),
    Setting("invoices_days_back", int, 0, min=0, max=30,
            help="on the first run, also print the invoices of invoice_series added in the last N days "
                 "(0: only invoices added from then on)"),
    Setting("payment", str, "transfer", choices=tuple(PAYMENTS),
            help="the payment form printed on each receipt for its whole amount; none: no payment line"),
    Setting("payment_methods", dict, None, check=_check_payment_methods,
            help='another payment form for some BaseLinker payment methods, e.g. {"Pobranie" = "cash", '
                 '"Karta" = "card"} (case does not matter)'),
    Setting("buyer_nip", bool, True,
            help="print the buyer's NIP on the receipt when BaseLinker has a valid Polish one"),
    Setting("reply_timeout", float, 30.0, min=1, max=300,
            help="seconds to wait for the printer's answer to one command (a long receipt prints a while)"),
)


@dataclass(frozen=True)
class FiscalSettings:
    printer: PrinterAddress
    baudrate: int
    printer_name: str
    receipt_series: int
    invoice_series: int | None
    invoices_days_back: int
    payment: str
    payment_methods: Mapping[str, str] = field(default_factory=dict)
    buyer_nip: bool = True
    reply_timeout: float = 30.0

    @classmethod
    def from_settings(cls, s: Mapping[str, Any]) -> FiscalSettings:
        """From the validated settings (defaults filled in by the config loader)."""
        return cls(printer=parse_address(s["printer"]), baudrate=s.get("baudrate") or 115200,
                   printer_name=s.get("printer_name") or "POSNET", receipt_series=int(s["receipt_series"]),
                   invoice_series=s.get("invoice_series"), invoices_days_back=s.get("invoices_days_back") or 0,
                   payment=s.get("payment") or "transfer",
                   payment_methods={str(k).strip().lower(): v for k, v in (s.get("payment_methods") or {}).items()},
                   buyer_nip=s.get("buyer_nip", True) is not False,
                   reply_timeout=float(s.get("reply_timeout") or 30.0))

    def payment_for(self, method: str) -> PaymentType | None:
        """The payment form for a BaseLinker payment_method (None: print no payment line)."""
        return PAYMENTS[self.payment_methods.get(method.strip().lower(), self.payment)]
