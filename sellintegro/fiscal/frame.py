"""POSNET frames and the protocol's data types.

A frame is `STX cmd TAB {pp<value> TAB}... [@NNNN TAB] #CRC ETX`: a lowercase mnemonic, then
parameters, each a two-letter id followed at once by its value and ended by TAB (order free), an
optional token, then `#` and the CRC of everything between STX and `#` as 4 uppercase hex digits.
Replies use the same shape; a refused command answers `cmd TAB ?nnnn #CRC`, a refused frame
`ERR TAB [@tok TAB] ?n TAB [cm<cmd> TAB [fd<field> TAB]] #CRC`. Text is Windows-1250.

Data types: Kwota = whole grosze, digits only (max 9 999 999 999); Num = decimal with `.` or `,`;
BOOL = 1/t/T/Y/y or 0/n/N.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .crc import crc_text

STX = 0x02
ETX = 0x03
TAB = "\t"
ENCODING = "cp1250"
MAX_KWOTA = 9_999_999_999

_NAME = re.compile(r"[a-z]{2}\Z")
_TOKEN = re.compile(r"[0-9]{4}\Z")
_HEX4 = re.compile(rb"[0-9A-Fa-f]{4}\Z")
_NUM = re.compile(r"[0-9]+([.,][0-9]+)?\Z")
# Characters a value may never carry: they would end or corrupt the frame.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class FrameDecodeError(ValueError):
    """A frame that breaks the protocol; `code` is the printer's frame-error number for it."""

    def __init__(self, code: int, reason: str, command: str | None = None, field: str | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.command = command
        self.field = field


@dataclass(frozen=True)
class Frame:
    """One request or reply. `command` keeps a leading `!` (immediate mode) when it has one."""

    command: str
    params: tuple[tuple[str, str], ...] = ()
    token: str | None = None
    error: int | None = None

    @property
    def name(self) -> str:
        """The mnemonic without the immediate-mode `!`."""
        return self.command.lstrip("!")

    @property
    def immediate(self) -> bool:
        return self.command.startswith("!")

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def as_dict(self) -> dict[str, str]:
        return dict(self.params)


def encode(frame: Frame) -> bytes:
    """The bytes of `frame`, STX to ETX, with its CRC."""
    if not frame.command or TAB in frame.command:
        raise ValueError(f"bad command mnemonic {frame.command!r}")
    body = frame.command + TAB
    if frame.token is not None:
        if not _TOKEN.match(frame.token):
            raise ValueError(f"a token is 4 digits, not {frame.token!r}")
        body += f"@{frame.token}{TAB}"
    if frame.error is not None:
        # A command error is `?nnnn` straight before `#`; a frame error (ERR) goes on with TAB and fields.
        body += f"?{frame.error}" + (TAB if frame.command == "ERR" else "")
    for name, value in frame.params:
        if not _NAME.match(name):
            raise ValueError(f"a parameter id is two lowercase letters, not {name!r}")
        if TAB in value or _CONTROL.search(value):
            raise ValueError(f"parameter {name}: a value may not hold TAB or control characters")
        body += f"{name}{value}{TAB}"
    data = body.encode(ENCODING, errors="replace")
    return bytes([STX]) + data + b"#" + crc_text(data).encode("ascii") + bytes([ETX])


def decode(inner: bytes) -> Frame:
    """The frame whose bytes between STX and ETX are `inner`; FrameDecodeError names what is wrong."""
    mark = inner.rfind(b"#")
    if mark < 0:
        raise FrameDecodeError(15, "no checksum (#CRC) in the frame")
    data, crc = inner[:mark], inner[mark + 1:]
    if not _HEX4.match(crc):
        raise FrameDecodeError(5, f"the checksum is not 4 hex digits: {crc!r}")
    if crc.decode("ascii").upper() != crc_text(data):
        raise FrameDecodeError(5, f"bad checksum {crc.decode('ascii')}, expected {crc_text(data)}")
    text = data.decode(ENCODING, errors="replace")
    items = text.split(TAB)
    command = items[0]
    if not command:
        raise FrameDecodeError(1, "no command mnemonic")
    token: str | None = None
    error: int | None = None
    params: list[tuple[str, str]] = []
    for item in items[1:]:
        if not item:
            continue
        if item.startswith("@"):
            if not _TOKEN.match(item[1:]):
                raise FrameDecodeError(4, f"bad token {item!r}", command)
            token = item[1:]
        elif item.startswith("?") and error is None:
            try:
                error = int(item[1:])
            except ValueError:
                raise FrameDecodeError(3, f"bad error number {item!r}", command) from None
        elif len(item) < 2 or not _NAME.match(item[:2]):
            raise FrameDecodeError(6, f"a parameter without a two-letter id: {item!r}", command)
        else:
            params.append((item[:2], item[2:]))
    return Frame(command, tuple(params), token, error)


class FrameReader:
    """Cuts a byte stream into frames: bytes before STX are dropped, a new STX restarts the frame."""

    def __init__(self, max_frame: int = 65536) -> None:
        self._buf = bytearray()
        self._max = max_frame

    def feed(self, data: bytes) -> list[bytes | None]:
        """The inner bytes of every frame completed by `data`; None for a frame that overran the buffer."""
        out: list[bytes | None] = []
        self._buf += data
        while True:
            start = self._buf.find(STX)
            if start < 0:
                self._buf.clear()
                return out
            del self._buf[:start]
            end = self._buf.find(ETX, 1)
            restart = self._buf.find(STX, 1)
            if 0 < restart and (end < 0 or restart < end):
                del self._buf[:restart]  # a frame cut short by a new STX: drop its head
                continue
            if end < 0:
                if len(self._buf) > self._max:
                    self._buf.clear()
                    out.append(None)
                return out
            out.append(bytes(self._buf[1:end]))
            del self._buf[:end + 1]

    def clear(self) -> None:
        self._buf.clear()


# -- data types ---------------------------------------------------------------------------------------------

def kwota(grosze: int) -> str:
    """A Kwota value: whole grosze, no separator."""
    if isinstance(grosze, bool) or not isinstance(grosze, int) or not 0 <= grosze <= MAX_KWOTA:
        raise ValueError(f"an amount (Kwota) is 0..{MAX_KWOTA} grosze, not {grosze!r}")
    return str(grosze)


def parse_kwota(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"not a Kwota (whole grosze, digits only): {text!r}")
    value = int(text)
    if value > MAX_KWOTA:
        raise ValueError(f"Kwota above {MAX_KWOTA}: {text!r}")
    return value


def num(value: Decimal | int) -> str:
    """A Num value, plain decimal notation (`1.5`, `2`)."""
    d = Decimal(value)
    if not d.is_finite() or d < 0:
        raise ValueError(f"not a non-negative number: {value!r}")
    text = format(d.normalize(), "f")
    return text


def parse_num(text: str) -> Decimal:
    if not _NUM.match(text):
        raise ValueError(f"not a Num (decimal with . or ,): {text!r}")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError(f"not a Num: {text!r}") from None


def flag(value: bool) -> str:
    return "1" if value else "0"


def parse_bool(text: str) -> bool:
    if text in ("1", "t", "T", "Y", "y"):
        return True
    if text in ("0", "n", "N"):
        return False
    raise ValueError(f"not a BOOL (1/t/T/Y/y or 0/n/N): {text!r}")


def clean_text(value: str, limit: int, keep_newlines: bool = False) -> str:
    """`value` made safe for a frame: control characters (TAB, STX, ETX...) become spaces, cut to `limit`."""
    if keep_newlines:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        parts: Iterable[str] = (_CONTROL.sub(" ", p.replace(TAB, " ")) for p in value.split("\n"))
        value = "\n".join(parts)
    else:
        value = _CONTROL.sub(" ", value.replace(TAB, " ").replace("\n", " "))
    # Characters outside Windows-1250 would arrive as '?': say so now, in the text we keep.
    value = value.encode(ENCODING, errors="replace").decode(ENCODING)
    return value[:limit]
