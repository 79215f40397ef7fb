"""Errors of the fiscal printer driver, each telling whether the document was fiscalized.

Every error has `fiscalized`: False (certainly not: safe to print again), True (certainly yes) or
None (unknown: never print again before `reconcile`). Texts come in PL and EN (`texts.py`);
`str(err)` uses the user's language, `err.message("pl"|"en")` either.

FiscalError (sellintegro.errors.SellintegroError)
 ├── PrinterUnavailable            the printer could not be reached or answered nothing usable
 │    ├── ConnectFailed            no connection (nothing was sent)
 │    ├── ConnectionLost           the connection broke while waiting for a reply
 │    ├── ReplyTimeout             no reply in time
 │    └── GarbledReply             a reply that does not parse (bad CRC, wrong command)
 ├── PrinterNotReady               the mechanism stops printing (`sprn` pr != 0, `sdev` ds == 3)
 │    ├── PaperOut                 pr 5
 │    ├── CoverOpen                pr 1, 3, 10
 │    └── MechanismError           any other pr, or the device waits for a person
 ├── PrinterError                  the printer refused a command; .code, .command, .field, .line, .item
 │    ├── FrameError               `ERR ?n`: UnknownCommand 1, MissingField 2, ConversionError 3, BadToken 4,
 │    │                            BadChecksum 5, MissingMnemonic 6, InputBufferFull 11, ImmediateForbidden 12,
 │    │                            TokenNotFound 13, InputQueueFull 14, MissingChecksum 15
 │    └── CommandError             `cmd ?nnnn`: PrinterBusy 41; DailyReportError (ZeroReport 382,
 │                                 DailyReportMissing 383); DocumentLimitExceeded 1957; NoItems 1992;
 │                                 VatError (BadVatSlot 2000, NoActiveVat 2004, ItemLocked 2106);
 │                                 AmountError (BadPrice 2006, BadQuantity 2007, TotalMismatch 2008,
 │                                 ZeroReceipt 2041, PaymentsShort 2054); ReadOnlyMode 2036;
 │                                 TransactionStateError (AlreadyInTransaction 2038, BadTransactionState 2060);
 │                                 BadBuyerNip 2096
 ├── DocumentRefused               refused by the driver before anything was sent (bad input)
 │    └── VatRateMissing           a line's VAT rate is not programmed in the printer
 └── UncertainOutcome              `trend` was sent and its reply is lost: carries the DocumentMarker
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import SellintegroError
from .texts import has, text

if TYPE_CHECKING:
    from .model import DocumentMarker


class FiscalError(SellintegroError):
    """Base of the fiscal driver's errors."""

    # False: certainly not fiscalized; True: certainly fiscalized; None: unknown (reconcile first).
    fiscalized: bool | None = False
    # True when the same call may simply be tried again later: nothing happened on the printer.
    retryable: ClassVar[bool] = False

    def message(self, lang: str | None = None) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.message()


# -- the printer is not reachable -----------------------------------------------------------------------------

class PrinterUnavailable(FiscalError):
    retryable = True
    _key = "conn.lost"

    def __init__(self, where: str, command: str = "", reason: str = "", secs: float = 0.0) -> None:
        super().__init__()
        self.where = where
        self.command = command
        self.reason = reason
        self.secs = secs

    def message(self, lang: str | None = None) -> str:
        return text(self._key, lang, where=self.where, cmd=self.command, reason=self.reason, secs=self.secs)


class ConnectFailed(PrinterUnavailable):
    _key = "conn.connect"


class ConnectionLost(PrinterUnavailable):
    _key = "conn.lost"


class ReplyTimeout(PrinterUnavailable):
    _key = "conn.timeout"


class GarbledReply(PrinterUnavailable):
    _key = "conn.garbled"


# -- the mechanism is not ready -------------------------------------------------------------------------------

class PrinterNotReady(FiscalError):
    retryable = True

    def __init__(self, mechanism: int, during: str = "", transaction_open: bool = False, device: int = 0,
                 closing: bool = False) -> None:
        super().__init__()
        self.mechanism = mechanism
        self.device = device
        self.during = during
        self.transaction_open = transaction_open
        self.closing = closing
        if closing:  # a `trend` may wait in the printer's queue: it runs once the mechanism is fixed
            self.fiscalized = None

    def message(self, lang: str | None = None) -> str:
        if self.mechanism == 0 and self.device == 3:
            what = text("mech.device", lang)
        elif has(f"mech.{self.mechanism}"):
            what = text(f"mech.{self.mechanism}", lang)
        else:
            what = text("mech.unknown", lang, code=self.mechanism)
        during = text("mech.during_cmd", lang, cmd=self.during) if self.during else ""
        state = text("mech.closing" if self.closing else "mech.open_tx" if self.transaction_open else "mech.nothing",
                     lang)
        return text("mech.during", lang, during=during, text=what, state=state)


class PaperOut(PrinterNotReady):
    pass


class CoverOpen(PrinterNotReady):
    pass


class MechanismError(PrinterNotReady):
    pass


def not_ready(mechanism: int, during: str = "", transaction_open: bool = False, device: int = 0,
              closing: bool = False) -> PrinterNotReady:
    """The typed error for mechanism status `mechanism` (`sprn` pr) and device status `device` (`sdev` ds)."""
    cls: type[PrinterNotReady] = MechanismError
    if mechanism == 5:
        cls = PaperOut
    elif mechanism in (1, 3, 10):
        cls = CoverOpen
    return cls(mechanism, during, transaction_open, device, closing)


# -- the printer refused a command ----------------------------------------------------------------------------

class PrinterError(FiscalError):
    """A refusal by the printer; subclasses name each documented code (`code` class attribute)."""

    code: int = 0
    _prefix: ClassVar[str] = "cmd"

    def __init__(self, code: int | None = None, command: str = "", field: str | None = None) -> None:
        super().__init__()
        if code is not None:
            self.code = code
        self.command = command
        self.field = field
        self.line: int | None = None
        self.item: str | None = None

    def text(self, lang: str | None = None) -> str:
        """What the code means, without context."""
        key = f"{self._prefix}.{self.code}"
        return text(key if has(key) else "code.unknown", lang)

    def message(self, lang: str | None = None) -> str:
        field = text("where.field", lang, field=self.field) if self.field else ""
        if isinstance(self, FrameError):
            msg = text("error.frame", lang, cmd=self.command, code=self.code, field=field, text=self.text(lang))
        else:
            where = text("where.line", lang, line=self.line, item=self.item) if self.line is not None else ""
            msg = text("error.command", lang, cmd=self.command, code=self.code, where=where + field,
                       text=self.text(lang))
        if self.fiscalized is False and self.command in _DOCUMENT_COMMANDS:
            msg = msg.rstrip(".") + "." + text("outcome.not_fiscalized", lang)
        return msg


class FrameError(PrinterError):
    _prefix = "frame"


class UnknownCommand(FrameError):
    code = 1


class MissingField(FrameError):
    code = 2


class ConversionError(FrameError):
    code = 3


class BadToken(FrameError):
    code = 4


class BadChecksum(FrameError):
    code = 5
    retryable = True


class MissingMnemonic(FrameError):
    code = 6


class InputBufferFull(FrameError):
    code = 11
    retryable = True


class ImmediateForbidden(FrameError):
    code = 12


class TokenNotFound(FrameError):
    code = 13


class InputQueueFull(FrameError):
    code = 14
    retryable = True


class MissingChecksum(FrameError):
    code = 15


class CommandError(PrinterError):
    _prefix = "cmd"


class PrinterBusy(CommandError):
    code = 41
    retryable = True


class DailyReportError(CommandError):
    pass


class ZeroReport(DailyReportError):
    code = 382


class DailyReportMissing(DailyReportError):
    code = 383


class DocumentLimitExceeded(CommandError):
    code = 1957


class NoItems(CommandError):
    code = 1992


class VatError(CommandError):
    pass


class BadVatSlot(VatError):
    code = 2000


class NoActiveVat(VatError):
    code = 2004


class ItemLocked(VatError):
    code = 2106


class AmountError(CommandError):
    pass


class BadPrice(AmountError):
    code = 2006


class BadQuantity(AmountError):
    code = 2007


class TotalMismatch(AmountError):
    code = 2008


class ZeroReceipt(AmountError):
    code = 2041


class PaymentsShort(AmountError):
    code = 2054


class ReadOnlyMode(CommandError):
    code = 2036


class TransactionStateError(CommandError):
    pass


class AlreadyInTransaction(TransactionStateError):
    code = 2038


class BadTransactionState(TransactionStateError):
    code = 2060


class BadBuyerNip(CommandError):
    code = 2096


def _leaves(base: type[PrinterError]) -> dict[int, type[PrinterError]]:
    found: dict[int, type[PrinterError]] = {}
    stack = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__dict__.get("code"):
            found[cls.code] = cls
    return found


FRAME_ERRORS: dict[int, type[PrinterError]] = _leaves(FrameError)
COMMAND_ERRORS: dict[int, type[PrinterError]] = _leaves(CommandError)
# Commands that belong to a document: an error on them means the document was abandoned, unfiscalized.
_DOCUMENT_COMMANDS = frozenset({"trinit", "trnipset", "trline", "trpayment", "trend", "trfvinit", "trfvbuyer",
                                "trfvnumber"})


def printer_error(code: int, command: str, *, frame: bool, field: str | None = None) -> PrinterError:
    """The typed error for printer error `code` on `command` (a frame error when `frame`)."""
    table = FRAME_ERRORS if frame else COMMAND_ERRORS
    cls = table.get(code, FrameError if frame else CommandError)
    return cls(code, command, field)


# -- refused before printing, and uncertain outcomes -----------------------------------------------------------

def doc_label(doc: tuple[str, str], lang: str | None = None) -> str:
    """"receipt R-12" / "paragon R-12" for a (kind, id) pair."""
    kind, name = doc
    return text("doc.named", lang, kind=text(f"doc.{kind}", lang), name=name).strip()


class DocumentRefused(FiscalError):
    """Bad input found before anything was sent; the document must be fixed (a poison input)."""

    def __init__(self, doc: tuple[str, str], key: str, **fields: Any) -> None:
        super().__init__()
        self.doc = doc
        self.key = key
        self.fields = fields

    def reason(self, lang: str | None = None) -> str:
        fields = dict(self.fields)
        why = fields.pop("why", None)
        if why:  # a line-level reason is a text key of its own
            fields["reason"] = text(why, lang)
        return text(self.key, lang, **fields)

    def message(self, lang: str | None = None) -> str:
        return text("doc.refused", lang, doc=doc_label(self.doc, lang), reason=self.reason(lang))


class VatRateMissing(DocumentRefused):
    pass


class UncertainOutcome(FiscalError):
    """The document's `trend` was sent and its outcome is unknown: ask the printer with `reconcile(marker)`."""

    fiscalized = None

    def __init__(self, doc: tuple[str, str], marker: DocumentMarker, cause: FiscalError) -> None:
        super().__init__()
        self.doc = doc
        self.marker = marker
        self.cause = cause

    def message(self, lang: str | None = None) -> str:
        return text("uncertain", lang, doc=doc_label(self.doc, lang), reason=self.cause.message(lang))
