"""Finished task runs are deleted after ``task_keep_days``; failed ones stay for a person to look at."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.tasks.models import TaskRecord
from jangkau.tasks.record import enqueue
from jangkau.tasks.schedule import prune

NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def _run(session: Session, period: str, status: str, days_ago: int) -> None:
    finished = NOW - dt.timedelta(days=days_ago)
    session.add(
        TaskRecord(name="report.refresh", period=period, args="{}", status=status, started_by="schedule",
                   attempts=1, queued_at=finished, finished_at=finished)
    )  # fmt: skip
    session.flush()


@pytest.mark.usefixtures("immediate")
def test_old_done_runs_are_pruned_and_failed_ones_kept(session: Session) -> None:
    _run(session, "old-done", "done", 31)
    _run(session, "old-failed", "failed", 31)
    _run(session, "recent-done", "done", 29)
    enqueue(prune, "schedule:tasks.prune", day="2026-11-30")
    left = set(session.scalars(select(TaskRecord.period).where(TaskRecord.name == "report.refresh")))
    assert left == {"old-failed", "recent-done"}
    pruned = session.scalars(select(TaskRecord).where(TaskRecord.name == "tasks.prune")).one()
    assert pruned.result == '{"deleted": 1}'
