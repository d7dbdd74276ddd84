"""``/admin/tasks``: the task console page (plain HTML; the running rows refresh themselves)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import JangkauError
from jangkau.tasks import runs, service
from jangkau.tasks.models import TaskStatus
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)
MANAGE = Depends(require(Permission.TASKS_MANAGE))
SCHEDULE = Depends(require(Permission.SCHEDULE_MANAGE))
SESSION = Depends(get_session)


def _page(request: Request, session: Session, status: str | None, error: JangkauError | None = None) -> HTMLResponse:
    tasks = runs.list_tasks(session, status or None)
    context = {
        "tasks": tasks,
        "status": status or "",
        "statuses": runs.STATUSES,
        "schedule": service.schedule(session),
        "may_edit": request.state.principal.can(Permission.SCHEDULE_MANAGE),
        "busy": any(t.status in (TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING) for t in tasks),
        "error": error,
    }
    return render(request, "admin_tasks.html", context, status_code=error.http_status if error else 200)


@router.get("/admin/tasks", response_class=HTMLResponse)
def tasks_page(
    request: Request,
    status: str | None = Query(None, max_length=12),
    _p: Principal = MANAGE,
    session: Session = SESSION,
) -> HTMLResponse:
    try:
        return _page(request, session, status)
    except JangkauError as exc:
        return _page(request, session, None, exc)


@router.post("/admin/tasks/{task_id}/retry", response_model=None)
def retry_form(
    request: Request,
    task_id: int,
    csrf_token: str = Form(""),
    principal: Principal = MANAGE,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    try:
        service.retry_task(session, task_id, principal)
    except JangkauError as exc:
        return _page(request, session, None, exc)
    return RedirectResponse("/admin/tasks", status_code=303)


@router.post("/admin/tasks/schedule", response_model=None)
def schedule_form(
    request: Request,
    task: str = Form("", max_length=60),
    cron: str = Form("", max_length=100),
    csrf_token: str = Form(""),
    principal: Principal = SCHEDULE,
    session: Session = SESSION,
) -> Response:
    """Change one schedule line (admin); an invalid cron is refused with the reason and nothing is stored."""
    check_csrf(request, csrf_token)
    try:
        service.set_schedule(session, principal, task, cron)
    except JangkauError as exc:
        return _page(request, session, None, exc)
    return RedirectResponse("/admin/tasks#schedule", status_code=303)
