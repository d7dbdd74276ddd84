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
from jangkau.compliance.schemas import CaseIn, StepIn
from jangkau.errors import InvalidInput
from jangkau.kit.pagination import PageRequest
from jangkau.web import forms as formkit
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/compliance", include_in_schema=False)
READ = Depends(require(Permission.COMPLIANCE_READ))
WRITE = Depends(require(Permission.COMPLIANCE_WRITE))
SESSION = Depends(get_session)


@router.get("", response_class=HTMLResponse)
def risk_page(
    request: Request, page: int = Query(1, ge=1, le=100_000), principal: Principal = READ, session: Session = SESSION
) -> HTMLResponse:
    data = service.risk_list(session, principal.scope, PageRequest(page, 50))
    return render(request, "compliance/risk.html", {"data": data, "page": page})


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
