"""Where the fiscal printer is (`printer = "tcp://HOST[:PORT]"` or `"serial:PORT"`) and opening it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sellintegro.fiscal.transport import DEFAULT_TCP_PORT

if TYPE_CHECKING:
    from sellintegro.fiscal import PosnetPrinter

EXAMPLES = '"tcp://192.168.1.50:6666", "serial:COM3" or "serial:/dev/ttyUSB0"'


@dataclass(frozen=True)
class PrinterAddress:
    kind: str          # "tcp" | "serial"
    target: str        # host, or serial device
    port: int = DEFAULT_TCP_PORT

    def __str__(self) -> str:
        return f"tcp://{self.target}:{self.port}" if self.kind == "tcp" else f"serial:{self.target}"


def parse_address(text: str) -> PrinterAddress:
    """Parse the `printer` setting; ValueError says what is wrong in words."""
    value = text.strip()
    if value.lower().startswith("tcp://"):
        rest = value[6:].rstrip("/")
        host, port = rest, DEFAULT_TCP_PORT
        if rest.startswith("["):  # [IPv6]:port
            host, _, tail = rest[1:].partition("]")
            if tail:
                port = _port(tail.removeprefix(":"))
        elif rest.count(":") == 1:
            host, tail = rest.split(":")
            port = _port(tail)
        if not host:
            raise ValueError(f"no host in {text!r}; write it as {EXAMPLES}")
        return PrinterAddress("tcp", host, port)
    if value.lower().startswith("serial:"):
        device = value[7:].removeprefix("//")
        if not device:
            raise ValueError(f"no serial port in {text!r}; write it as {EXAMPLES}")
        return PrinterAddress("serial", device)
    raise ValueError(f"{text!r} is not a printer address; write it as {EXAMPLES}")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"{text!r} is not a TCP port (1-65535)")
    return int(text)


def check_address(value: object) -> str | None:
    """The settings check for `printer`: None when fine, else the reason."""
    try:
        parse_address(str(value))
    except ValueError as e:
        return str(e)
    return None


def open_printer(address: PrinterAddress, *, baudrate: int, reply_timeout: float) -> PosnetPrinter:
    """A driver for the printer at `address`; it connects on its first command."""
    # The driver is imported here: the supervisor imports this module for the settings only.
    from sellintegro.fiscal import PosnetPrinter, Timeouts

    timeouts = Timeouts(reply=reply_timeout)
    if address.kind == "tcp":
        return PosnetPrinter.tcp(address.target, address.port, timeouts=timeouts)
    return PosnetPrinter.serial(address.target, baudrate, timeouts=timeouts)
