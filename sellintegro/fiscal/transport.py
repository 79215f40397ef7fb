"""Byte transports to the printer: TCP (the ONLINE series' PC interface, port 6666 by default) and serial.

A transport only moves bytes; framing, tokens and timeouts live in `link.py`. Every failure is an
`OSError` (pyserial's SerialException is one); `recv` returns b"" when `timeout` passes quietly.
pyserial is imported only when a serial port is opened, so TCP users do not need it.
"""

from __future__ import annotations

import socket
from typing import Any, Protocol

DEFAULT_TCP_PORT = 6666
DEFAULT_BAUDRATE = 115200


class LinkDown(OSError):
    """The other end closed the connection."""


class Transport(Protocol):
    """What the link needs from a connection to the printer."""

    @property
    def description(self) -> str: ...

    @property
    def is_open(self) -> bool: ...

    def open(self, timeout: float) -> None: ...

    def close(self) -> None: ...

    def send(self, data: bytes) -> None: ...

    def recv(self, timeout: float) -> bytes: ...


class TcpTransport:
    def __init__(self, host: str, port: int = DEFAULT_TCP_PORT, send_timeout: float = 10.0) -> None:
        self.host = host
        self.port = port
        self._send_timeout = send_timeout
        self._sock: socket.socket | None = None

    @property
    def description(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def is_open(self) -> bool:
        return self._sock is not None

    def open(self, timeout: float) -> None:
        self.close()
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # A printer switched off mid-connection never sends a FIN: keepalive lets the OS notice.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        except OSError:
            sock.close()
            raise
        self._sock = sock

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _socket(self) -> socket.socket:
        if self._sock is None:
            raise LinkDown("not connected")
        return self._sock

    def send(self, data: bytes) -> None:
        sock = self._socket()
        sock.settimeout(self._send_timeout)
        sock.sendall(data)

    def recv(self, timeout: float) -> bytes:
        sock = self._socket()
        sock.settimeout(max(timeout, 0.001))
        try:
            data = sock.recv(4096)
        except TimeoutError:
            return b""
        if not data:
            raise LinkDown("the printer closed the connection")
        return data


class SerialTransport:
    """A serial port (COM3, /dev/ttyUSB0, a pty) or any pyserial URL; 8N1 by default."""

    def __init__(self, port: str, baudrate: int = DEFAULT_BAUDRATE, *, bytesize: int = 8, parity: str = "N",
                 stopbits: float = 1, rtscts: bool = False, send_timeout: float = 10.0) -> None:
        self.port = port
        self.settings: dict[str, Any] = {"baudrate": baudrate, "bytesize": bytesize, "parity": parity,
                                         "stopbits": stopbits, "rtscts": rtscts}
        self._send_timeout = send_timeout
        self._ser: Any = None

    @property
    def description(self) -> str:
        return f"{self.port} ({self.settings['baudrate']} {self.settings['bytesize']}{self.settings['parity']}"\
               f"{self.settings['stopbits']:g})"

    @property
    def is_open(self) -> bool:
        return self._ser is not None

    def open(self, timeout: float) -> None:
        self.close()
        try:
            import serial  # lazily: only serial users need pyserial
        except ImportError as e:  # pragma: no cover - pyserial is a dependency
            raise OSError(f"pyserial is not installed ({e}); install it with: pip install pyserial") from e
        self._ser = serial.serial_for_url(self.port, timeout=timeout, write_timeout=self._send_timeout,
                                          **self.settings)

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            try:
                ser.close()
            except OSError:
                pass

    def send(self, data: bytes) -> None:
        if self._ser is None:
            raise LinkDown("not connected")
        self._ser.write(data)
        self._ser.flush()

    def recv(self, timeout: float) -> bytes:
        if self._ser is None:
            raise LinkDown("not connected")
        self._ser.timeout = max(timeout, 0.001)
        waiting = self._ser.in_waiting
        data: bytes = self._ser.read(waiting or 1)
        return data
