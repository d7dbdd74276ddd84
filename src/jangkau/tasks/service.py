"""The task console's use cases beyond reading runs (:mod:`jangkau.tasks.runs`): the schedule, start a scheduled task
now, retry a failed one."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.db.base import utcnow
from jangkau.tasks.errors import NotFailed, UnknownTask
from jangkau.tasks.models import ScheduleOverride, TaskStatus
from jangkau.tasks.record import TASKS, enqueue_in, send_after_commit, started_by
from jangkau.tasks.runs import get_task, read
from jangkau.tasks.schedule import SCHEDULE, effective_schedule, env_overrides, parse_cron, stored_overrides
from jangkau.tasks.schemas import TaskIn, TaskRead


def schedule(session: Session) -> list[dict[str, str]]:
    """The schedule as the console shows it: each line's cron (local time), the code's cron, and where the cron in
    force comes from (``code``, ``console``, or ``JANGKAU_TASK_SCHEDULE``, which wins over the console)."""
    stored, pinned = stored_overrides(session), env_overrides()
    defaults = {e.task.name: e.cron for e in SCHEDULE}
    return [
        {"task": e.task.name, "cron": e.cron, "default": defaults[e.task.name], "what": e.why,
         "source": "JANGKAU_TASK_SCHEDULE" if e.task.name in pinned else "console" if e.task.name in stored else "code"}
        for e in effective_schedule(stored=stored)
    ]  # fmt: skip


def set_schedule(session: Session, principal: Principal, task: str, cron: str) -> ScheduleOverride | None:
    """Change a schedule line (from the next minute tick on); an empty cron puts the code's line back. Audited.

    Raises:
        InvalidInput: a task not on the schedule, or an invalid cron expression (nothing is stored).
    """
    principal.require(Permission.SCHEDULE_MANAGE)
    defaults = {e.task.name: e.cron for e in SCHEDULE}
    if task not in defaults:
        raise UnknownTask("task", task, ", ".join(sorted(defaults)))
    cron = " ".join(cron.split())
    if cron:
        parse_cron(cron)
    row = session.get(ScheduleOverride, task)
    before = {"cron": row.cron if row else defaults[task]}
    if not cron or cron == defaults[task]:
        if row is not None:
            session.delete(row)
        row = None
    elif row is None:
        row = ScheduleOverride(task=task, cron=cron, updated_by=principal.username, updated_at=utcnow())
        session.add(row)
    else:
        row.cron, row.updated_by, row.updated_at = cron, principal.username, utcnow()
    session.flush()
    audit.record(session, principal, "schedule", "task_schedule", task, before=before,
                 after={"cron": cron or defaults[task]})  # fmt: skip
    return row


def start_task(session: Session, data: TaskIn, principal: Principal) -> TaskRead:
    """Queue a scheduled task now (its period's run is reused when already queued or running).

    Raises:
        InvalidInput: a task that is not on the schedule, or arguments it refuses (a month in the future).
    """
    names = {e.task.name for e in SCHEDULE}
    if data.name not in names:
        raise UnknownTask("name", data.name, ", ".join(sorted(names)))
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
        raise NotFailed(task_id, record.status)
    record.status, record.error, record.finished_at = TaskStatus.QUEUED, None, None
    record.note = f"retried by {principal.username}"
    session.flush()
    args: dict[str, Any] = json.loads(record.args or "{}")
    send_after_commit(session, TASKS[record.name], record.id, record.started_by, args)
    return read(record)
