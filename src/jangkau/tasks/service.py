"""The task console's use cases beyond reading runs (:mod:`jangkau.tasks.runs`): the schedule, start a scheduled task
now, retry a failed one."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.errors import Conflict, InvalidInput
from jangkau.tasks.models import TaskStatus
from jangkau.tasks.record import TASKS, enqueue_in, send_after_commit, started_by
from jangkau.tasks.runs import get_task, read
from jangkau.tasks.schedule import SCHEDULE, effective_schedule
from jangkau.tasks.schemas import TaskIn, TaskRead


def schedule() -> list[dict[str, str]]:
    """The schedule as the console shows it (cron lines in local time)."""
    return [{"task": e.task.name, "cron": e.cron, "what": e.why} for e in effective_schedule()]


def start_task(session: Session, data: TaskIn, principal: Principal) -> TaskRead:
    """Queue a scheduled task now (its period's run is reused when already queued or running).

    Raises:
        InvalidInput: a task that is not on the schedule, or arguments it refuses (a month in the future).
    """
    names = {e.task.name for e in SCHEDULE}
    if data.name not in names:
        raise InvalidInput.for_field(
            "name",
            f"unknown task {data.name!r}; one of {', '.join(sorted(names))}",
            f"tugas {data.name!r} tidak dikenal; salah satu dari {', '.join(sorted(names))}",
        )
    task_id = enqueue_in(session, TASKS[data.name], started_by(principal), **data.args)
    session.expire_all()
    return read(get_task(session, task_id))


def retry_task(session: Session, task_id: int, principal: Principal) -> TaskRead:
    """Queue a failed run again (same arguments, same record); the attempt count goes on.

    Raises:
        NotFound: no such run.
        Conflict: the run has not failed (it is queued, running or done).
    """
    record = get_task(session, task_id)
    if record.status != TaskStatus.FAILED or record.name not in TASKS:
        raise Conflict(
            f"Task {task_id} is {record.status}: only a failed task can be retried",
            f"Tugas {task_id} berstatus {record.status}: hanya tugas yang gagal dapat diulang",
        )
    record.status, record.error, record.finished_at = TaskStatus.QUEUED, None, None
    record.note = f"retried by {principal.username}"
    session.flush()
    args: dict[str, Any] = json.loads(record.args or "{}")
    send_after_commit(session, TASKS[record.name], record.id, record.started_by, args)
    return read(record)
