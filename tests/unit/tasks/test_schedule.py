"""The schedule: cron in WIB, a malformed cron refused, each entry due when its line says."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jangkau.errors import InvalidInput
from jangkau.tasks.schedule import due, effective_schedule, parse_cron

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("expression", ["61 * * * *", "0 1 1 *", "every day", "0 25 * * *", "0 1 32 * *"])
def test_an_invalid_cron_expression_is_refused(expression: str) -> None:
    with pytest.raises(InvalidInput, match="cron") as refused:
        parse_cron(expression)
    assert "tidak valid" in refused.value.message_id


def test_the_billing_run_is_due_at_one_wib_on_the_first_not_at_one_utc() -> None:
    wib_one = dt.datetime(2026, 11, 1, 1, 0, tzinfo=WIB)
    names = {entry.task.name: args for entry, args in due(wib_one.astimezone(dt.UTC), {})}
    assert names["billing.run"] == {"month": "2026-11"}
    utc_one = dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
    assert "billing.run" not in {entry.task.name for entry, _ in due(utc_one, {})}


def test_daily_tasks_get_the_wib_day_even_when_utc_is_still_yesterday() -> None:
    at = dt.datetime(2026, 11, 10, 1, 30, tzinfo=WIB)  # 18:30 UTC on the 9th
    names = {entry.task.name: args for entry, args in due(at.astimezone(dt.UTC), {})}
    assert names["coverage.lapse"] == {"day": "2026-11-10"}


def test_a_schedule_edit_moves_a_task_and_an_invalid_edit_is_refused() -> None:
    edited = {e.task.name: e.cron for e in effective_schedule("coverage.remind=0 10 * * *")}
    assert edited["coverage.remind"] == "0 10 * * *"
    assert edited["billing.run"] == "0 1 1 * *"
    with pytest.raises(InvalidInput, match="invalid cron"):
        effective_schedule("coverage.remind=0 10 * *")
    with pytest.raises(InvalidInput, match="expected task=cron"):
        effective_schedule("coverage.nothing=0 10 * * *")
