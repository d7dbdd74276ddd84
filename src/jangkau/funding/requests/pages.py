"""``/funding/requests``: the sponsor's officer (or the programme's staff) approves or rejects the enrolments charged
to its programmes, each shown with the criteria it fails and whether the remaining budget covers it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.errors import JangkauError
from jangkau.funding.access import funding_viewer
from jangkau.funding.requests import service
from jangkau.regions import repository as regions
from jangkau.web.kit import check_csrf, get_session, language, render

router = APIRouter(include_in_schema=False)
SESSION = Depends(get_session)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    errors: dict[int, str] | None = None,
    reasons: dict[int, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    today = dt.date.today()
    checks = service.pending_requests(session, principal, today, language(request))
    villages = regions.names(session, sorted({c.person.village_code for c in checks}))
    rows: list[dict[str, Any]] = [
        {
            "check": c,
            "age": _age(c.person.birth_date, today),
            "village": villages.get(c.person.village_code, c.person.village_code),
        }
        for c in checks
    ]
    audit.record(session, principal, "read", "sponsorship_requests", None, after={"shown": len(rows)})
    context = {"rows": rows, "errors": errors or {}, "reasons": reasons or {}}
    return render(request, "funding/requests.html", context, status_code=status_code)


@router.get("/funding/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, session: Session = SESSION, principal: Principal = Depends(funding_viewer)
) -> HTMLResponse:
    """The pending requests of the caller's programmes (a sponsor's own; an officer's in its territory)."""
    return _page(request, session, principal)


@router.post("/funding/requests/{request_id}/approve", response_model=None)
def approve(
    request: Request,
    request_id: int,
    csrf_token: str = Form(""),
    session: Session = SESSION,
    principal: Principal = Depends(current_principal),
) -> Response:
    """Approve: the worker is enrolled now, if the criteria and the budget still allow (else the reason)."""
    check_csrf(request, csrf_token)
    try:
        with session.begin_nested():  # a refusal undoes this decision only
            service.approve(session, principal, request_id, dt.date.today())
    except JangkauError as exc:
        return _page(
            request, session, principal, errors={request_id: exc.message_id or exc.message}, status_code=exc.http_status
        )
    return RedirectResponse("/funding/requests?done=approved", status_code=303)


@router.post("/funding/requests/{request_id}/reject", response_model=None)
def reject(
    request: Request,
    request_id: int,
    reason: str = Form("", max_length=600),
    csrf_token: str = Form(""),
    session: Session = SESSION,
    principal: Principal = Depends(current_principal),
) -> Response:
    """Reject with the reason the requester reads (required)."""
    check_csrf(request, csrf_token)
    try:
        with session.begin_nested():
            service.reject(session, principal, request_id, reason)
    except JangkauError as exc:
        message = exc.fields[0].message_id if exc.fields else (exc.message_id or exc.message)
        return _page(
            request,
            session,
            principal,
            errors={request_id: message},
            reasons={request_id: reason},
            status_code=exc.http_status,
        )
    return RedirectResponse("/funding/requests?done=rejected", status_code=303)
