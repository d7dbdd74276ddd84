"""``/api/v1/tasks``: the task console's JSON (admin and branch office: ``tasks.manage``); anyone signed in may
follow the runs they started themselves (``GET /tasks/{id}``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import current_principal, require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.tasks import runs, service
from jangkau.tasks.errors import (
    BadArguments,
    MonthClosed,
    NotFailed,
    TaskMonthInFuture,
    TaskNotFound,
    UnknownStatus,
    UnknownTask,
)
from jangkau.tasks.schemas import TaskIn, TaskRead
from jangkau.web.kit import get_session

router = APIRouter(prefix="/tasks", tags=["tasks"])
MANAGE = Depends(require(Permission.TASKS_MANAGE))
SIGNED_IN = Depends(current_principal)
SESSION = Depends(get_session)


@router.get("", response_model=list[TaskRead], responses=error_responses(UnknownStatus))
def list_tasks(
    status: str | None = Query(None, max_length=12),
    name: str | None = Query(None, max_length=60),
    limit: int = Query(100, ge=1, le=500),
    _p: Principal = MANAGE,
    session: Session = SESSION,
) -> list[TaskRead]:
    """Runs of tasks, newest first: queued, running, retrying, done or failed, with progress and errors."""
    return runs.list_tasks(session, status, name, limit)


@router.post(
    "",
    response_model=TaskRead,
    status_code=202,
    responses=error_responses(UnknownTask, BadArguments, TaskMonthInFuture, MonthClosed),
)
def start_task(data: TaskIn, principal: Principal = MANAGE, session: Session = SESSION) -> TaskRead:
    """Start a scheduled task now in the background; returns at once with the run to follow at ``/tasks/{id}``."""
    return service.start_task(session, data, principal)


@router.get("/{task_id}", response_model=TaskRead, responses=error_responses(TaskNotFound))
def show_task(task_id: int, principal: Principal = SIGNED_IN, session: Session = SESSION) -> TaskRead:
    """One run (poll it to follow a long task's progress): any run for the console, else the caller's own runs."""
    return runs.read(runs.visible_task(session, task_id, principal))


@router.post(
    "/{task_id}/retry", response_model=TaskRead, status_code=202, responses=error_responses(TaskNotFound, NotFailed)
)
def retry_task(task_id: int, principal: Principal = MANAGE, session: Session = SESSION) -> TaskRead:
    """Queue a failed run again (409 if it has not failed)."""
    return service.retry_task(session, task_id, principal)
