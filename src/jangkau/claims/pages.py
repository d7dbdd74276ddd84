"""Claim pages: the form a field agent fills with a family, the officer's queue, the claim page and its steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.claims import jht, process
from jangkau.claims import repository as repo
from jangkau.claims.errors import FormInvalid, NotAWorkerAccount, OwnPersonNotFound, StepUnknown
from jangkau.claims.jht import JhtStatementIn
from jangkau.claims.rules.heirs import ranks
from jangkau.claims.rules.kinds import BENEFITS, ReporterKind, kind_key
from jangkau.claims.rules.workflow import OPEN
from jangkau.claims.schemas import (
    ClaimIn,
    DocumentIn,
    DocumentRequestIn,
    DocumentsArrivedIn,
    HandoverIn,
    PayIn,
    RejectIn,
    VerifyIn,
)
from jangkau.claims.service import (
    claim_detail,
    claims_scope,
    file_claim,
    find_claim,
    own_claims_only,
    queue_entry,
    quote_claim,
)
from jangkau.errors import JangkauError, NotFound
from jangkau.kit.pagination import PageRequest
from jangkau.registry import repository as registry_repo
from jangkau.rules import JhtTrigger
from jangkau.web.forms import date_field, rupiah_field
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)
FILE = require(Permission.CLAIMS_FILE)
PROCESS = require(Permission.CLAIMS_PROCESS)
HEIR_ROWS = 4
MONEY_FIELDS = ("wage", "medical_cost", "jht_amount")
KINDS = [kind_key(p, b) for p, benefits in BENEFITS.items() for b in benefits]


def _valid(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate({k: v for k, v in data.items() if v not in (None, "")})
    except ValidationError as exc:
        fields = [FormInvalid.field(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        raise FormInvalid(fields) from exc


def _errors(exc: JangkauError) -> dict[str, str]:
    errors = {f.field.split(".")[0].split("[")[0]: (f.message_id or f.message) for f in exc.fields}
    errors["form"] = exc.message_id or exc.message
    if not exc.fields and isinstance(exc, NotFound):  # no member with that NIK in the caller's territory
        errors["nik"] = errors["form"]
    return errors


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, values.get("csrf_token"))
    return values


AMOUNTS = ("wage", "medical_cost", "jht_amount")  # the form's fields in Rupiah


def _claim_in(values: dict[str, str]) -> ClaimIn:
    program, _, benefit = values.get("kind", "").partition(".")
    heirs = [
        {"full_name": values.get(f"heir_name_{i}"), "relationship": values.get(f"heir_rel_{i}"),
         "nik": values.get(f"heir_nik_{i}") or None}
        for i in range(HEIR_ROWS)
        if values.get(f"heir_name_{i}")
    ]  # fmt: skip
    keys = ("nik", "event_date", "reporter_kind", "reporter_name", "reporter_phone", "wage", "months_unable",
            "disability_percent", "medical_cost", "jht_amount", "jht_trigger")  # fmt: skip
    typed: dict[str, object] = {k: rupiah_field(values.get(k), k) for k in MONEY_FIELDS}  # "Rp 2.300.000" as typed
    typed["event_date"] = date_field(values.get("event_date"), "event_date")  # "04-12-2026" without a date picker
    data: ClaimIn = _valid(
        ClaimIn, {"type": program, "benefit": benefit, "heirs": heirs, **{k: values.get(k) for k in keys}, **typed}
    )
    return data


def _form_page(
    request: Request, values: dict[str, str], errors: dict[str, str], quote: Any = None, status: int = 200
) -> HTMLResponse:
    context = {
        "values": values,
        "errors": errors,
        "quote": quote,
        "kinds": KINDS,
        "reporters": [r.value for r in ReporterKind],
        "relationships": list(ranks()),
        "triggers": [t.value for t in JhtTrigger if not t.value.startswith("partial")],
        "heir_rows": range(HEIR_ROWS),
    }
    return render(request, "claims/form.html", context, status_code=status)


@router.get("/claims/new", response_class=HTMLResponse)
def claim_form(request: Request, _principal: Principal = Depends(FILE)) -> HTMLResponse:
    return _form_page(request, {"kind": "jkm.death", "event_date": dt.date.today().isoformat()}, {})


@router.post("/claims/new", response_model=None)
async def claim_submit(
    request: Request, session: Session = Depends(get_session), principal: Principal = Depends(FILE)
) -> Response:
    """``action=quote`` shows eligibility and amount on the form; ``action=file`` files and opens the claim."""
    values: dict[str, str] = {}
    try:
        values = await _form(request)
        data = _claim_in(values)
        if values.get("action") != "file":
            _, assessment = quote_claim(session, data, principal)
            return _form_page(request, values, {}, assessment.as_dict())
        claim = file_claim(session, data, principal)
    except JangkauError as exc:
        session.rollback()
        return _form_page(request, values, _errors(exc), status=exc.http_status)
    return RedirectResponse(f"/claims/{claim.reference}", status_code=303)


@router.get("/claims", response_class=HTMLResponse)
def claim_queue(
    request: Request, session: Session = Depends(get_session), principal: Principal = Depends(FILE)
) -> HTMLResponse:
    """Open claims, nearest SLA deadline first (a worker or employer sees the claims they filed)."""
    statuses = sorted(s.value for s in OPEN)
    if request.query_params.get("all"):
        statuses += ["paid", "rejected"]
    listing = repo.queue(session, claims_scope(principal), PageRequest(1, 200), statuses, own_claims_only(principal))
    rows = [queue_entry(c, p, dt.date.today()).model_dump(by_alias=True) for c, p in listing.items]
    return render(request, "claims/queue.html", {"rows": rows, "total": listing.total})


def _own_statement(session: Session, principal: Principal) -> dict[str, Any]:
    if principal.person_id is None:
        raise NotAWorkerAccount()
    person = registry_repo.person_by_id(session, principal.person_id, ("",))
    if person is None:
        raise OwnPersonNotFound()
    return jht.jht_statement(session, JhtStatementIn(nik=person.nik), principal, dt.date.today())


@router.get("/claims/jht", response_class=HTMLResponse)
def jht_page(
    request: Request, session: Session = Depends(get_session), principal: Principal = Depends(FILE)
) -> HTMLResponse:
    """A worker's own JHT account: balance, contributions, returns and withdrawals per year ("cek saldo JHT")."""
    return render(request, "claims/jht.html", {"s": _own_statement(session, principal)})


@router.get("/claims/jht.pdf", response_model=None)
def jht_pdf(session: Session = Depends(get_session), principal: Principal = Depends(FILE)) -> Response:
    """The same statement as a PDF."""
    pdf = jht.jht_statement_pdf(_own_statement(session, principal))
    headers = {"Content-Disposition": 'attachment; filename="saldo-jht.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _claim_page(
    request: Request, session: Session, reference: str, principal: Principal, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    claim, person = find_claim(session, reference, principal)
    body = claim_detail(session, claim, person, principal).model_dump(by_alias=True)
    return render(request, "claims/claim.html", {"c": body, "errors": errors}, status_code=status)


@router.get("/claims/{reference}", response_class=HTMLResponse)
def claim_page(
    reference: str, request: Request, session: Session = Depends(get_session), principal: Principal = Depends(FILE)
) -> HTMLResponse:
    return _claim_page(request, session, reference, principal, {})


def _run_step(session: Session, reference: str, values: dict[str, str], principal: Principal) -> None:
    step = values.get("step")
    if step == "document":
        process.receive_document(session, reference, _valid(DocumentIn, {"code": values.get("code")}), principal)
    elif step == "request_documents":
        data = _valid(DocumentRequestIn, {"documents": values.get("documents")})
        process.request_documents(session, reference, data, principal)
    elif step == "documents_arrived":
        process.documents_arrived(session, reference, DocumentsArrivedIn(), principal)
    elif step == "verify":
        data = _valid(VerifyIn, {"note": values.get("note"), "decide_open_points": bool(values.get("decide"))})
        process.verify_claim(session, reference, data, principal)
    elif step == "approve":
        process.approve_claim(session, reference, principal, values.get("note") or None)
    elif step == "pay":
        data = _valid(PayIn, {"paid_on": values.get("paid_on"), "payment_ref": values.get("payment_ref")})
        process.pay_claim(session, reference, data, principal)
    elif step == "reject":
        process.reject_claim(session, reference, _valid(RejectIn, {"reason": values.get("reason")}), principal)
    elif step == "handover":
        witnesses = [w for w in values.get("witnesses", "").splitlines() if w.strip()]
        keys = ("event_name", "held_on", "place", "received_by", "received_relationship", "handed_by")
        data = _valid(HandoverIn, {**{k: values.get(k) for k in keys}, "witnesses": witnesses})
        process.record_handover(session, reference, data, principal)
    else:
        raise StepUnknown()


@router.post("/claims/{reference}", response_model=None)
async def claim_step(
    reference: str, request: Request, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> Response:
    """One workflow step from the claim page; a refusal shows the page again with the reason."""
    try:
        _run_step(session, reference, await _form(request), principal)
    except JangkauError as exc:
        session.rollback()
        return _claim_page(request, session, reference, principal, _errors(exc), exc.http_status)
    return RedirectResponse(f"/claims/{reference}", status_code=303)
