"""The task record: a task that raises is retried then shown failed with its error; refusals fail at once."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jangkau.errors import InvalidInput
from jangkau.tasks import (
    record,
    schedule,  # noqa: F401 - registers every task
)
from jangkau.tasks.models import TaskRecord
from jangkau.tasks.record import TaskContext, enqueue, tracked

CALLS: list[str] = []


@tracked("test.flaky", period=lambda kwargs: str(kwargs["key"]))
def flaky(ctx: TaskContext, key: str, fail_times: int) -> dict[str, Any]:
    CALLS.append(key)
    ctx.progress(len(CALLS), fail_times + 1)
    if len(CALLS) <= fail_times:
        raise RuntimeError(f"gateway down (attempt {len(CALLS)})")
    return {"ok": True}


def _record(session: Session, name: str) -> TaskRecord:
    return session.scalars(select(TaskRecord).where(TaskRecord.name == name)).one()


@pytest.fixture(autouse=True)
def _no_retry_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    CALLS.clear()
    monkeypatch.setattr(record.TASKS["test.flaky"].queued.task_class, "default_retry_delay", 0)


@pytest.mark.usefixtures("immediate")
def test_a_task_that_raises_is_retried_then_shown_failed_with_its_error(session: Session) -> None:
    retries = record.TASKS["test.flaky"].queued.retries
    enqueue(record.TASKS["test.flaky"], "user:admin", key="a", fail_times=99)  # huey catches, logs and retries
    shown = _record(session, "test.flaky")
    assert len(CALLS) == retries + 1
    assert (shown.status, shown.attempts, shown.started_by) == ("failed", retries + 1, "user:admin")
    assert shown.error == f"RuntimeError: gateway down (attempt {retries + 1})"
    assert shown.finished_at is not None


@pytest.mark.usefixtures("immediate")
def test_a_task_that_recovers_on_retry_is_done_once_and_a_second_call_in_its_period_does_nothing(
    session: Session,
) -> None:
    enqueue(record.TASKS["test.flaky"], "schedule:test", key="b", fail_times=1)
    record.TASKS["test.flaky"].queued(key="b", fail_times=0)  # a second worker's tick, same period
    shown = _record(session, "test.flaky")
    assert (shown.status, shown.attempts, shown.error, len(CALLS)) == ("done", 2, None, 2)
    assert (shown.done, shown.total) == (2, 2)


@pytest.mark.usefixtures("immediate")
def test_a_billing_run_for_a_month_in_the_future_is_refused_when_queued_and_when_run(session: Session) -> None:
    billing = record.TASKS["billing.run"]
    with pytest.raises(InvalidInput, match="in the future"):
        enqueue(billing, "user:admin", month="2031-01")
    assert session.scalars(select(TaskRecord)).all() == []  # nothing half-written
    billing.queued(started_by="schedule:billing.run", month="2031-01")  # past the check: the body refuses too
    shown = _record(session, "billing.run")
    assert (shown.status, shown.attempts) == ("failed", 1)  # bad input is not retried
    assert "in the future" in (shown.error or "")
    assert "belum tiba" in (shown.error or "")


@tracked("test.leaky")
def leaky(ctx: TaskContext) -> dict[str, Any]:
    driver = Exception("duplicate key\nDETAIL: Key (nik)=(1271011508880001) already exists")
    raise IntegrityError("INSERT INTO person (nik) VALUES (%(nik)s)", {"nik": "1271011508880001"}, driver)


@pytest.mark.usefixtures("immediate")
def test_a_failing_task_logs_no_personal_data(session: Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    enqueue(record.TASKS["test.leaky"], "schedule:test")
    assert "Exception: duplicate key" in caplog.text  # huey logged the failure ...
    assert "1271011508880001" not in caplog.text  # ... without the NIK
    assert "1271011508880001" not in (_record(session, "test.leaky").error or "")
