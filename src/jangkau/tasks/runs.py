"""Reading task runs: one run as the console shows it, the newest runs, and who may follow which run.

Below the schedule (it knows no task), so that a domain's page can show its own task's progress.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.db.base import utcnow
from jangkau.tasks.errors import TaskNotFound, UnknownStatus
from jangkau.tasks.models import TaskRecord, TaskStatus
from jangkau.tasks.record import started_by
from jangkau.tasks.schemas import TaskRead

STATUSES = tuple(s.value for s in TaskStatus)


def read(record: TaskRecord) -> TaskRead:
    """The console's view of a run (the duration runs on while the task runs)."""
    end = record.finished_at or (utcnow() if record.status == TaskStatus.RUNNING else None)
    duration = (end - record.started_at).total_seconds() if end and record.started_at else None
    percent = round(100 * record.done / record.total, 1) if record.total and record.done is not None else None
    return TaskRead(
        id=record.id,
        name=record.name,
        period=record.period,
        args=json.loads(record.args or "{}"),
        status=record.status,
        started_by=record.started_by,
        done=record.done,
        total=record.total,
        percent=percent,
        attempts=record.attempts,
        error=record.error,
        note=record.note,
        result=json.loads(record.result) if record.result else None,
        queued_at=record.queued_at,
        started_at=record.started_at,
        finished_at=record.finished_at,
        duration_seconds=round(duration, 1) if duration is not None else None,
    )


def list_tasks(
    session: Session, status: str | None = None, name: str | None = None, limit: int = 100
) -> list[TaskRead]:
    """The newest runs first, optionally of one status or one task.

    Raises:
        InvalidInput: an unknown status.
    """
    query = select(TaskRecord).order_by(TaskRecord.queued_at.desc(), TaskRecord.id.desc()).limit(limit)
    if status:
        if status not in STATUSES:
            raise UnknownStatus(", ".join(STATUSES))
        query = query.where(TaskRecord.status == status)
    if name:
        query = query.where(TaskRecord.name == name)
    return [read(r) for r in session.scalars(query)]


def get_task(session: Session, task_id: int) -> TaskRecord:
    record = session.get(TaskRecord, task_id)
    if record is None:
        raise TaskNotFound(task_id)
    return record


def visible_task(session: Session, task_id: int, principal: Principal) -> TaskRecord:
    """A run the caller may follow: any run for the task console (``tasks.manage``), else only the runs the caller
    started (an officer's own upload on the linkage page).

    Raises:
        NotFound: no such run, or one started by someone else.
    """
    record = session.get(TaskRecord, task_id)
    if record is None or not (principal.can(Permission.TASKS_MANAGE) or record.started_by == started_by(principal)):
        raise TaskNotFound(task_id)
    return record
