"""What a plugin type declares, and the context its run cycle gets."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .schema import Setting

if TYPE_CHECKING:
    from .baselinker import BaseLinkerClient
    from .erp.sqlerp import SqlErp
    from .state import StateStore

# Settings every plugin that talks to BaseLinker declares (add them to its own settings).
BASELINKER_SETTINGS = (
    Setting("token", str, required=True, secret=True, help="the BaseLinker API token (X-BLToken)"),
    Setting("baselinker_url", str, "https://api.baselinker.com/connector.php",
            help="the API address; the emulator's for tests and the demo"),
    Setting("rate_limit", int, 100, min=1, max=1000,
            help="requests per minute allowed for this token, shared by every plugin using it"),
)
# ... and every plugin that talks to the ERP.
ERP_SETTINGS = (
    Setting("erp", str, required=True,
            help="a SQLite file (the embedded ERP) or an ODBC connection string (DRIVER=...; or DSN=...)"),
)


@dataclass(frozen=True)
class Check:
    """One line of `sellintegro doctor`: ok / warning / error, why, and what to do."""

    name: str
    status: str  # "ok" | "warning" | "error"
    why: str
    fix: str = ""


@dataclass(frozen=True)
class PluginType:
    """A plugin type: its name (the entry-point name), settings and run cycle.

    `run(ctx)` performs one cycle. It calls `ctx.progress()` as work advances (that feeds the hang
    watchdog), returns when the cycle is done, and returns early when `ctx.cancelled` is set.
    An exception from `run` is logged and the cycle counts as failed; the worker lives on.
    """

    name: str
    run: Callable[[PluginContext], None]
    settings: tuple[Setting, ...] = ()
    description: str = ""
    # Checks for `sellintegro doctor`, run with a context as the plugin's own account would.
    checks: Callable[[PluginContext], list[Check]] | None = None


class PluginJournal:
    """The plugin's journal ("dziennik"): business events a shop owner reads, each about a subject.

    `subject` names what the event is about (an order id, a receipt id, a file); `message` says what
    happened in words the shop owner understands. Each entry is committed before the call returns.
    """

    def __init__(self, write: Callable[[str, str | None, str], None]) -> None:
        self._write = write

    def info(self, subject: str | None, message: str) -> None:
        self._write("info", subject, message)

    def warning(self, subject: str | None, message: str) -> None:
        self._write("warning", subject, message)

    def error(self, subject: str | None, message: str) -> None:
        self._write("error", subject, message)


@dataclass
class PluginContext:
    """The plugin's view of the endpoint, handed to every cycle."""

    code: str
    type: str
    settings: dict[str, Any]
    data_dir: Path
    log: logging.Logger
    cancelled: threading.Event
    journal: PluginJournal
    _progress: Callable[[int | None, int | None], None] = field(repr=False)
    _state: StateStore | None = field(default=None, repr=False)
    _baselinker: BaseLinkerClient | None = field(default=None, repr=False)
    _erp: SqlErp | None = field(default=None, repr=False)

    def baselinker(self) -> BaseLinkerClient:
        """The worker's BaseLinker client (from the BASELINKER_SETTINGS); its rate limit is the token's,
        shared with every process that uses the token, and its waits feed the hang watchdog."""
        if self._baselinker is None:
            from .baselinker import BaseLinkerClient, ratelimit

            s = self.settings
            self._baselinker = BaseLinkerClient(
                s["token"], url=s.get("baselinker_url") or BASELINKER_SETTINGS[1].default,
                per_minute=s.get("rate_limit") or 100, state_dir=ratelimit.state_dir(self.data_dir),
                progress=self.progress, cancelled=self.cancelled)
        return self._baselinker

    def erp(self) -> SqlErp:
        """The ERP connection (from the ERP_SETTINGS), opened on first use; it reconnects by itself."""
        if self._erp is None:
            from .erp.sqlerp import SqlErp

            self._erp = SqlErp.open(self.settings["erp"])
        return self._erp

    @property
    def state(self) -> StateStore:
        """Durable cursors and idempotency records of this plugin (opened on first use)."""
        if self._state is None:
            from .state import StateStore

            self._state = StateStore(self.data_dir, self.code)
        return self._state

    def progress(self, done: int | None = None, total: int | None = None) -> None:
        """Report that work advances (feeds the hang watchdog); optionally the backlog done/total."""
        self._progress(done, total)

    def child_logging(self, start_method: str | None = None) -> Any:
        """Call before starting child processes that log; pass the result to `sellintegro.childlog.attach`.

        With fork (Linux) the children inherit the worker's logging and this returns None; with spawn
        it returns a queue that a child hands to `attach()` first thing.
        """
        from . import childlog

        return childlog.enable(start_method)

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, reporting progress meanwhile; True if cancelled."""
        end = time.monotonic() + seconds
        while not self.cancelled.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return False
            self.progress()
            self.cancelled.wait(min(left, 1.0))
        return True

