"""When a plugin's cycle is due: interval, weekdays, an hour window, or manual runs only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$")


def parse_hours(text: str) -> tuple[int, int]:
    """'07-15' or '07:30-15:00' -> (start, end) in minutes after midnight; raises ValueError."""
    m = _HOURS.match(text)
    if not m:
        raise ValueError(f'must look like "07-15" or "07:30-15:00", not "{text}"')
    h1, m1, h2, m2 = (int(g) if g else 0 for g in m.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or h1 * 60 + m1 > 1440 or h2 * 60 + m2 > 1440:
        raise ValueError(f'"{text}" is not a time range within one day')
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise ValueError(f'"{text}" is an empty window')
    return start, end


def check_hours(value: str) -> str | None:
    try:
        parse_hours(value)
    except ValueError as e:
        return str(e)
    return None


def check_weekdays(value: list[str]) -> str | None:
    bad = [d for d in value if d.lower() not in WEEKDAYS]
    if bad:
        return f'unknown day "{bad[0]}"; use {", ".join(WEEKDAYS)}'
    if not value:
        return "an empty list would never run; leave the key out to run every day"
    return None


@dataclass(frozen=True)
class Schedule:
    interval: float = 60.0
    weekdays: frozenset[int] = frozenset(range(7))
    window: tuple[int, int] | None = None
    manual: bool = False

    @classmethod
    def build(cls, interval: float, weekdays: list[str] | None, hours: str | None, start: str) -> Schedule:
        days = frozenset(WEEKDAYS.index(d.lower()) for d in weekdays) if weekdays else frozenset(range(7))
        return cls(interval, days, parse_hours(hours) if hours else None, start == "manual")

    def allowed(self, t: datetime) -> bool:
        """Whether a cycle may start at wall time `t`."""
        if self.window is None:
            return t.weekday() in self.weekdays
        minute = t.hour * 60 + t.minute
        start, end = self.window
        if start < end:
            return t.weekday() in self.weekdays and start <= minute < end
        # A window across midnight ("22-06") belongs to the day it opened on.
        if minute >= start:
            return t.weekday() in self.weekdays
        return minute < end and (t.weekday() - 1) % 7 in self.weekdays

    def next_run(self, now: datetime, last_end: datetime | None) -> datetime | None:
        """The earliest wall time at or after `now` for the next automatic cycle; None if manual only."""
        if self.manual:
            return None
        t = now if last_end is None else max(now, last_end + timedelta(seconds=self.interval))
        if self.allowed(t):
            return t
        # Step to the next minute boundary, then minute by minute: at most one week of minutes.
        t = t.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(7 * 24 * 60 + 1):
            if self.allowed(t):
                return t
            t += timedelta(minutes=1)
        return None
