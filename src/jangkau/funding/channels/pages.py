"""``/funding/channels``: the branch office lists where workers pay (shown on cards and receipts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import JangkauError
from jangkau.funding.channels import service
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)
WRITE = Depends(require(Permission.FUNDING_WRITE))
SESSION = Depends(get_session)


@router.get("/funding/channels", response_class=HTMLResponse)
def channels_page(request: Request, session: Session = SESSION, _principal: Principal = WRITE) -> HTMLResponse:
    """Every channel (active or not) with a form each, and a form to add one."""
    context: dict[str, Any] = {
        "channels": service.channels(session, active_only=False),
        "errors": {},
        "values": {},
        "editing": None,
    }
    return render(request, "funding/channels.html", context)


@router.post("/funding/channels", response_model=None)
def save_channel(
    request: Request,
    channel_id: str = Form("", max_length=12),
    name: str = Form("", max_length=200),
    instructions: str = Form("", max_length=600),
    position: str = Form("", max_length=6),
    active: str = Form(""),
    csrf_token: str = Form(""),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> Response:
    """Add or change a channel; a refusal shows the form again with what was typed and the reason by the field."""
    check_csrf(request, csrf_token)
    editing = int(channel_id) if channel_id.isdigit() else None
    try:
        with session.begin_nested():  # a refusal leaves nothing half-saved
            service.save_channel(session, principal, name, instructions, position, bool(active), editing)
    except JangkauError as exc:
        errors = {f.field: f.message_id or f.message for f in exc.fields} or {"form": exc.message_id or exc.message}
        values = {"name": name, "instructions": instructions, "position": position, "active": bool(active)}
        context = {
            "channels": service.channels(session, active_only=False),
            "errors": errors,
            "values": values,
            "editing": editing,
        }
        return render(request, "funding/channels.html", context, status_code=exc.http_status)
    return RedirectResponse("/funding/channels", status_code=303)
