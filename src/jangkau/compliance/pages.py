"""Compliance pages: employers by risk, an employer's findings, a case with its steps, the city summary."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.compliance import cases, letters, service
from jangkau.compliance import tasks as compliance_tasks
from jangkau.compliance.schemas import CaseIn, StepIn
from jangkau.errors import Conflict, InvalidInput
from jangkau.kit.months import Month
from jangkau.kit.pagination import PageRequest
from jangkau.tasks import runs as task_runs
from jangkau.tasks.errors import TaskNotFound
from jangkau.tasks.record import enqueue_in, started_by
from jangkau.web import forms as formkit
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/compliance", include_in_schema=False)
READ = Depends(require(Permission.COMPLIANCE_READ))
WRITE = Depends(require(Permission.COMPLIANCE_WRITE))
SESSION = Depends(get_session)


def _risk_context(session: Session, principal: Principal, page: int, **extra: object) -> dict[str, object]:
    latest = task_runs.list_tasks(session, None, compliance_tasks.scan.name, 1)
    return {
        "data": service.risk_list(session, principal.scope, PageRequest(page, 50)),
        "page": page,
        "scan_month": str(Month.of(dt.date.today()).plus(-1)),  # the last complete month
        "last_scan": latest[0] if latest else None,
        "form_token": formkit.new_token(),
        "scan_error": None,
        **extra,
    }


@router.get("", response_class=HTMLResponse)
def risk_page(
    request: Request, page: int = Query(1, ge=1, le=100_000), principal: Principal = READ, session: Session = SESSION
) -> HTMLResponse:
    return render(request, "compliance/risk.html", _risk_context(session, principal, page))


@router.post("/scan", response_model=None)
def scan_form(
    request: Request,
    month: str = Form("", max_length=7),
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> Response:
    """Queue the month's scan of every employer and follow it on its own page; a double submit, or a second start
    while the month's scan is under way, follows the same run (one task record per month)."""
    check_csrf(request, csrf_token)

    def produce() -> str:
        task_id = enqueue_in(session, compliance_tasks.scan, started_by(principal), month=month.strip())
        return f"/compliance/scans/{task_id}"

    def refused(exc: Exception) -> Response:
        context = _risk_context(session, principal, 1, scan_month=month, scan_error=exc)
        return render(request, "compliance/risk.html", context, status_code=422)

    refusals = (InvalidInput, Conflict)
    return formkit.submit_form(session, principal, form_token, "/compliance/scan", produce, refused, refusals)


@router.get("/scans/{task_id}", response_class=HTMLResponse)
def scan_page(request: Request, task_id: int, principal: Principal = WRITE, session: Session = SESSION) -> HTMLResponse:
    """One scan run: its progress (the page reloads itself while the scan runs) and what it found per kind."""
    record = task_runs.visible_task(session, task_id, principal)
    if record.name != compliance_tasks.scan.name:
        raise TaskNotFound(task_id)
    return render(request, "compliance/scan.html", {"task": task_runs.read(record)})


@router.get("/employers/{employer_id}", response_class=HTMLResponse)
def employer_page(
    request: Request, employer_id: int, principal: Principal = READ, session: Session = SESSION
) -> HTMLResponse:
    data = service.employer_detail(session, employer_id, principal.scope)
    return render(request, "compliance/employer.html", {"data": data})


@router.post("/employers/{employer_id}/cases", response_model=None)
def open_case_form(
    request: Request,
    employer_id: int,
    csrf_token: str = Form(""),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    case = cases.open_case(session, CaseIn(employer_id=employer_id), principal)
    return RedirectResponse(f"/compliance/cases/{case['id']}", status_code=303)


def _case_context(session: Session, case_id: int, principal: Principal, **extra: object) -> dict[str, object]:
    case = cases.case_view(session, case_id, principal.scope)
    return {
        "case": case,
        "letter": letters.LETTER_FOR_STATUS.get(case["status"]),
        "letter_titles": letters.TITLES,
        "upload_kinds": letters.UPLOAD_KINDS,
        "step_names": cases.STEP_NAMES_ID,
        "finding_names": letters.FINDING_NAMES_ID,
        **extra,
    }


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, principal: Principal = READ, session: Session = SESSION) -> HTMLResponse:
    return render(request, "compliance/case.html", _case_context(session, case_id, principal))


@router.post("/cases/{case_id}/letters", response_model=None)
def letter_form(
    request: Request, case_id: int, csrf_token: str = Form(""), principal: Principal = WRITE, session: Session = SESSION
) -> Response:
    """Generate the letter of the case's step; it is kept with the case and listed under its documents."""
    check_csrf(request, csrf_token)
    letters.generate_letter(session, case_id, principal)
    return RedirectResponse(f"/compliance/cases/{case_id}#documents", status_code=303)


@router.post("/cases/{case_id}/documents", response_model=None)
def upload_form(
    request: Request,
    case_id: int,
    file: UploadFile = File(...),
    kind: str = Form(...),
    csrf_token: str = Form(""),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> Response:
    """Keep a document that came back; a refused file shows the case page again with the reason."""
    check_csrf(request, csrf_token)
    content = file.file.read(letters.MAX_UPLOAD_BYTES + 1)
    try:
        letters.upload_document(session, case_id, principal, kind, file.filename or "", content, file.content_type)
    except InvalidInput as exc:
        context = _case_context(session, case_id, principal, upload_error=formkit.refusal_message(exc))
        return render(request, "compliance/case.html", context, status_code=422)
    return RedirectResponse(f"/compliance/cases/{case_id}#documents", status_code=303)


@router.post("/cases/{case_id}/steps", response_model=None)
def step_form(
    request: Request,
    case_id: int,
    kind: str = Form(...),
    on_date: str = Form(""),
    note: str = Form(""),
    partner: str = Form(""),
    amount: str = Form(""),
    csrf_token: str = Form(""),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> Response:
    """Record a step from the case page; a refused step shows the page again with the reason."""
    check_csrf(request, csrf_token)
    try:
        data = StepIn.model_validate(
            {
                "kind": kind,
                "on_date": formkit.date_field(on_date, "on_date"),
                "note": note or None,
                "partner": partner or None,
                "amount": formkit.rupiah_field(amount, "amount"),
            }
        )
        cases.add_step(session, case_id, data, principal)
    except (InvalidInput, ValueError) as exc:
        message = exc.message_id if isinstance(exc, InvalidInput) else str(exc)
        context = _case_context(session, case_id, principal, error=message)
        return render(request, "compliance/case.html", context, status_code=422)
    return RedirectResponse(f"/compliance/cases/{case_id}", status_code=303)


@router.get("/summary", response_class=HTMLResponse)
def summary_page(
    request: Request,
    first: dt.date | None = Query(None, alias="from"),
    last: dt.date | None = Query(None, alias="to"),
    principal: Principal = READ,
    session: Session = SESSION,
) -> HTMLResponse:
    today = dt.date.today()
    first, last = first or today.replace(month=1, day=1), last or today
    data = service.city_summary(session, principal.scope, first, last)
    return render(request, "compliance/summary.html", {"data": data})
