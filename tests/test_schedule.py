"""When a cycle is due: interval, weekdays, hour windows, manual-only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sellintegro.schedule import Schedule, parse_hours

MON_10 = datetime(2026, 11, 30, 10, 0, 0)  # a Monday


def test_first_run_is_now_then_interval_after_the_end_of_the_last() -> None:
    s = Schedule.build(60, None, None, "auto")
    assert s.next_run(MON_10, None) == MON_10
    end = MON_10 + timedelta(seconds=5)
    assert s.next_run(end, end) == end + timedelta(seconds=60)


def test_manual_schedule_never_runs_by_itself() -> None:
    assert Schedule.build(60, None, None, "manual").next_run(MON_10, None) is None


def test_hour_window_defers_to_its_opening() -> None:
    s = Schedule.build(60, None, "07-15", "auto")
    assert s.next_run(MON_10, None) == MON_10
    evening = MON_10.replace(hour=16, minute=30)
    assert s.next_run(evening, None) == datetime(2026, 12, 1, 7, 0)


def test_weekdays_skip_to_the_next_allowed_day() -> None:
    s = Schedule.build(60, ["mon", "wed"], "08:30-09:00", "auto")
    assert s.next_run(MON_10, None) == datetime(2026, 12, 2, 8, 30)


def test_window_across_midnight_belongs_to_the_day_it_opened() -> None:
    s = Schedule.build(60, ["fri"], "22-06", "auto")
    fri_23 = datetime(2026, 12, 4, 23, 0)
    sat_03 = datetime(2026, 12, 5, 3, 0)
    sat_23 = datetime(2026, 12, 5, 23, 0)
    assert s.allowed(fri_23) and s.allowed(sat_03)
    assert not s.allowed(sat_23)
    assert s.next_run(sat_23, None) == datetime(2026, 12, 11, 22, 0)


@pytest.mark.parametrize("text,expected", [("07-15", (420, 900)), ("7:30-15:05", (450, 905)),
                                           ("22-06", (1320, 360))])
def test_parse_hours(text: str, expected: tuple[int, int]) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize("text", ["7 to 15", "25-26", "07-07", "07:61-08"])
def test_parse_hours_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)
