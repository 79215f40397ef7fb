"""What the journal says about each order, and about a cycle that could not do its work.

An order's line is written once, when its outcome is known: "order 123 → ZK 45/2026", or why it was
not transferred. An order read again after an interruption (its page was not finished) may have been
journaled already; before such a line is written the journal is asked whether it holds it, so a crash
neither loses nor repeats a line. Only orders that can be repeats are asked about: documents that were
in Subiekt already, refused orders and waiting ones. A cycle-level problem (BaseLinker unreachable,
a wrong setting) is journaled when it starts, not again each cycle while it lasts.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from sellintegro.api import PluginContext
from sellintegro.erp import StoredDocument
from sellintegro.journal import Journal

from . import texts

log = logging.getLogger("plugin.orders.report")

_last_problem: dict[str, str] = {}  # plugin code -> the cycle problem journaled last (per worker process)


class Reporter:
    def __init__(self, ctx: PluginContext, since: float) -> None:
        self.ctx = ctx
        self.since = since  # orders confirmed before this are never read again: their lines need no lookup
        self._journal: Journal | None = None

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()

    def _has(self, subject: str, level: str, contains: str) -> bool:
        if self._journal is None:
            self._journal = Journal(Path(self.ctx.data_dir))
        entries = self._journal.query(plugin=self.ctx.code, since=self.since, subject=subject)
        return any(e.level == level and contains in e.message for e in entries)

    def _write(self, level: str, order_id: int, message: str, check: str | None) -> None:
        subject = str(order_id)
        if check is not None and self._has(subject, level, check):
            log.debug("order %s: already in the journal: %s", order_id, message)
            return
        getattr(self.ctx.journal, level)(subject, message)

    def written(self, order_id: int, doc: StoredDocument, created: bool, services: tuple[str, ...]) -> None:
        text = texts.t("order.written" if created else "order.exists", order=order_id, doc=doc.number)
        if services:
            text += texts.t("order.services", lines="; ".join(services))
        # A document that was there already may have been journaled by the attempt that wrote it.
        self._write("warning" if services else "info", order_id, text, None if created else doc.number)

    def rejected(self, order_id: int, reason: str, status: str) -> None:
        text = texts.t("order.failed", order=order_id, reason=reason, status=status)
        self._write("error", order_id, text, text)

    def waits(self, order_id: int, status: str, taken: str, days: int) -> None:
        text = texts.t("order.waits", order=order_id, status=status, taken=taken, days=days)
        self._write("info", order_id, text, text)

    def wait_over(self, order_id: int, taken: str, days: int) -> None:
        self._write("info", order_id, texts.t("order.wait_over", order=order_id, taken=taken, days=days), None)

    def problem(self, level: str, text: str) -> None:
        """A cycle-level problem: journaled when it is new, not again while it lasts."""
        if _last_problem.get(self.ctx.code) != text:
            getattr(self.ctx.journal, level)(None, text)
            _last_problem[self.ctx.code] = text

    def cycle_ok(self) -> None:
        _last_problem.pop(self.ctx.code, None)


def since(floor: int) -> float:
    """How far back the journal is searched: a day before the oldest order that can be read again."""
    return min(floor, time.time()) - 86400.0
