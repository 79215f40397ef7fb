"""One command, one reply: tokens, timeouts, mechanism probes and reconnects over a transport.

Every request carries a fresh token (`@NNNN`); a reply with another token is a late answer to an
earlier command (after a timeout) and is skipped. Commands queue in the printer and are answered
after they run, so a command that waits for paper or a closed cover simply does not answer: when a
reply is late by `Timeouts.probe`, the link asks the mechanism with the immediate `!sprn` and stops
waiting as soon as the printer says it cannot print.

After any failure that leaves the byte stream in doubt (timeout, lost connection, unreadable reply,
stalled mechanism) the link closes the connection; the next call opens a new one. It never resends
a command by itself: whether a command may be repeated is the caller's decision.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import ConnectFailed, ConnectionLost, GarbledReply, ReplyTimeout, not_ready, printer_error
from .frame import Frame, FrameDecodeError, FrameReader, decode, encode
from .transport import Transport

log = logging.getLogger("sellintegro.fiscal.link")


@dataclass(frozen=True)
class Timeouts:
    """Seconds. `reply` bounds one command (a long receipt's `trend` prints for a while)."""

    connect: float = 5.0
    reply: float = 30.0
    probe: float = 2.0          # a reply this late: ask the mechanism why (`!sprn`)
    status: float = 5.0         # immediate status queries
    connect_attempts: int = 3
    retry_delay: float = 0.5    # before the 2nd connect attempt; doubles after each


class PosnetLink:
    def __init__(self, transport: Transport, timeouts: Timeouts | None = None) -> None:
        self.transport = transport
        self.timeouts = timeouts or Timeouts()
        self._reader = FrameReader()
        self._pending: deque[bytes | None] = deque()
        self._token = random.randint(1, 9999)
        # Counts the connections opened; the driver drops what it cached about the printer when it moves.
        self.generation = 0

    @property
    def where(self) -> str:
        return self.transport.description

    def ensure_open(self) -> None:
        if self.transport.is_open:
            return
        delay = self.timeouts.retry_delay
        last: OSError | None = None
        for attempt in range(max(1, self.timeouts.connect_attempts)):
            if attempt:
                time.sleep(delay)
                delay *= 2
            try:
                self.transport.open(self.timeouts.connect)
            except OSError as e:
                last = e
                log.debug("connect to %s failed (attempt %d): %s", self.where, attempt + 1, e)
                continue
            self.generation += 1
            self._reader.clear()
            self._pending.clear()
            return
        raise ConnectFailed(self.where, reason=str(last))

    def close(self) -> None:
        self.transport.close()
        self._reader.clear()
        self._pending.clear()

    def _next_token(self) -> str:
        self._token = self._token % 9999 + 1
        return f"{self._token:04d}"

    def call(self, command: str, params: Iterable[tuple[str, str]] = (), *, timeout: float | None = None) -> Frame:
        """Send `command` and return its successful reply; a refusal raises its typed PrinterError.

        A leading `!` sends it in immediate mode (answered at once, never queued; no probing).
        """
        self.ensure_open()
        name = command.lstrip("!")
        token = self._next_token()
        request = Frame(command, tuple(params), token)
        data = encode(request)
        log.debug("-> %s %s", command, _show(request))
        try:
            self.transport.send(data)
            wait = timeout or (self.timeouts.status if request.immediate else self.timeouts.reply)
            reply = self._await(name, token, wait, probe=not request.immediate)
        except OSError as e:
            self.close()
            raise ConnectionLost(self.where, command, str(e) or type(e).__name__) from e
        except BaseException:  # a timeout, a stalled mechanism, even Ctrl-C: the stream is in doubt now
            self.close()
            raise
        log.debug("<- %s %s", reply.command, _show(reply))
        if reply.name == "ERR":
            code = reply.error if reply.error is not None else _int(reply.get("er"), 0)
            raise printer_error(code, reply.get("cm") or name, frame=True, field=reply.get("fd"))
        if reply.error is not None:
            raise printer_error(reply.error, name, frame=False)
        return reply

    def _await(self, name: str, token: str, timeout: float, probe: bool) -> Frame:
        start = time.monotonic()
        deadline = start + timeout
        next_probe = start + self.timeouts.probe if probe else float("inf")
        probe_token: str | None = None
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise ReplyTimeout(self.where, name, secs=timeout)
            if now >= next_probe:
                probe_token = self._next_token()
                self.transport.send(encode(Frame("!sprn", (), probe_token)))
                next_probe = float("inf")
            frame = self._next_frame(min(deadline, next_probe) - now, name)
            if frame is None:
                continue
            if frame.token == token or (frame.token is None and _answers(frame, name)):
                if frame.name not in (name, "ERR"):
                    raise GarbledReply(self.where, name, reason=f"a reply to {frame.command}")
                return frame
            if probe_token is not None and (frame.token == probe_token or
                                            (frame.token is None and frame.name == "sprn")):
                mechanism = _int(frame.get("pr"), 0)
                if mechanism != 0:
                    # The command stays queued in the printer until a person fixes the mechanism.
                    raise not_ready(mechanism, during=name)
                probe_token = None
                next_probe = time.monotonic() + self.timeouts.probe
                continue
            log.debug("skipped a late reply %s (token %s) while waiting for %s", frame.command, frame.token, name)

    def _next_frame(self, wait: float, name: str) -> Frame | None:
        if not self._pending:
            data = self.transport.recv(max(wait, 0.0))
            if data:
                self._pending.extend(self._reader.feed(data))
            if not self._pending:
                return None
        inner = self._pending.popleft()
        if inner is None:
            raise GarbledReply(self.where, name, reason="a reply longer than the input buffer")
        try:
            return decode(inner)
        except FrameDecodeError as e:
            raise GarbledReply(self.where, name, reason=e.reason) from e


def _answers(frame: Frame, name: str) -> bool:
    if frame.name == "ERR":
        return frame.get("cm") in (None, name)
    return frame.name == name


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _show(frame: Frame) -> str:
    parts = [f"{k}{v}" for k, v in frame.params]
    if frame.error is not None:
        parts.insert(0, f"?{frame.error}")
    return " ".join(parts)
