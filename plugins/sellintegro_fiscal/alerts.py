"""Problems of the printer or of BaseLinker as a whole, journaled when they start, change or end.

A printer out of paper is seen by every cycle (every few seconds); the journal gets one entry when it
starts and one when it is over, not one per cycle. What is open is kept in the plugin's state, so a
restarted worker does not announce a known problem again.
"""

from __future__ import annotations

from sellintegro.api import PluginContext

CURSOR = "alerts"


class Alerts:
    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.open: dict[str, str] = dict(ctx.state.get_cursor(CURSOR, {}) or {})

    def report(self, area: str, code: str, subject: str, message: str, level: str = "error") -> None:
        """Problem `code` in `area` ("printer", "paper", "baselinker"): journaled unless already open."""
        if self.open.get(area) == code:
            self.ctx.log.warning("%s (still)", message)
            return
        getattr(self.ctx.journal, level)(subject, message)
        self.open[area] = code
        self.ctx.state.set_cursor(CURSOR, self.open)

    def clear(self, area: str, subject: str, message: str | None) -> None:
        """The problem in `area` is over; `message` (if any) is journaled as good news."""
        if area not in self.open:
            return
        del self.open[area]
        self.ctx.state.set_cursor(CURSOR, self.open)
        if message:
            self.ctx.journal.info(subject, message)
