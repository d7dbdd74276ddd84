"""A simulated month of the schedule (frozen clock, immediate queue, two workers ticking): each bill issued once,
the lapse job and reminders once per day, and a payment on the dashboard after the next refresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.integration.funding.conftest import Town

from jangkau.db.outbox import CoverageChange
from jangkau.funding.models import Bill, Reminder
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.tasks.models import TaskRecord
from jangkau.tasks.schedule import run_due

WIB = ZoneInfo("Asia/Jakarta")
Units = Callable[[], AbstractContextManager[Session]]
TICKS = ((0, 0), (1, 0), (1, 30), (2, 0), (2, 15), (4, 0), (9, 0))  # 03:00 (nightly rebuild): once, at the end


def _day(day: int) -> None:
    for hour, minute in TICKS:
        at = dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB).astimezone(dt.UTC)
        run_due(at)
        run_due(at)  # a second worker's tick in the same minute


def _runs(session: Session, name: str) -> list[TaskRecord]:
    return list(session.scalars(select(TaskRecord).where(TaskRecord.name == name).order_by(TaskRecord.period)))


@pytest.mark.usefixtures("immediate")
def test_a_month_of_the_schedule_runs_each_task_once_per_period(session: Session, town: Town) -> None:
    for day in range(1, 11):
        _day(day)
    bills = session.scalars(select(Bill).where(Bill.month == dt.date(2026, 11, 1))).all()
    assert bills, "the billing run on the 1st made November's bills"
    assert len({(b.payer_id, b.kind) for b in bills}) == len(bills)  # each payer billed once
    reminders_after_ten_days = session.scalar(select(func.count()).select_from(Reminder))

    bpu_bill = next(b for b in bills if b.kind == "bpu")
    record_payment(
        session, PaymentIn(reference=bpu_bill.reference, amount=bpu_bill.amount, paid_on=dt.date(2026, 11, 10)), "test"
    )
    assert session.scalar(select(func.count()).select_from(CoverageChange)), "the payment marked its village and month"
    _day(11)
    assert not session.scalar(select(func.count()).select_from(CoverageChange)), "the next refresh drained the marks"
    for day in range(12, 31):
        _day(day)
    run_due(dt.datetime(2026, 11, 30, 3, 0, tzinfo=WIB).astimezone(dt.UTC))  # one nightly rebuild

    billing = _runs(session, "billing.run")
    assert [(r.period, r.status, r.attempts, r.started_by) for r in billing] == [
        ("2026-11", "done", 1, "schedule:billing.run")
    ]
    for name in ("coverage.lapse", "coverage.remind", "jobs.check_hires", "claims.deadline_check"):
        runs = _runs(session, name)
        assert [r.period for r in runs] == [f"2026-11-{d:02d}" for d in range(1, 31)], name
        assert {(r.status, r.attempts) for r in runs} == {("done", 1)}, name
    assert [r.period for r in _runs(session, "compliance.scan")] == ["2026-11"]
    assert session.scalar(select(func.count()).select_from(Reminder)) >= (reminders_after_ten_days or 0)
    assert len(_runs(session, "report.refresh")) == 30 * len(TICKS) + 1
    assert [(r.period, r.status) for r in _runs(session, "report.rebuild")] == [("2026-11-30", "done")]
