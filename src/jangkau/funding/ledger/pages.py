"""The office's money desk: record a payment by hand, import a bank or payment-channel statement and read its
result line by line, and a member's bills and payments month by month.

Every form is all or nothing and once per form (``form_token``): a double submit records one payment and imports a
file once; a refusal shows the form again with the message next to each field and what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.funding import repository as repo
from jangkau.funding import statements
from jangkau.funding.forms import REFUSALS, problem
from jangkau.funding.ledger import service
from jangkau.funding.ledger.service import CHANNELS, PaymentForm
from jangkau.funding.repository import ledger as ledger_sql
from jangkau.kit.documents import upload_file_name
from jangkau.web.forms import new_token, submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/funding", include_in_schema=False)
READ = Depends(require(Permission.FUNDING_READ))
WRITE = Depends(require(Permission.FUNDING_WRITE))
SESSION = Depends(get_session)
MAX_STATEMENT_BYTES = 5 * 1024 * 1024


def _payment_context(**extra: Any) -> dict[str, Any]:
    return {
        "form_token": new_token(),
        "values": {"paid_on": dt.date.today().isoformat(), "channel": CHANNELS[0]},
        "channel_codes": CHANNELS,
        "error": None,
        "recorded": None,
        **extra,
    }


@router.get("/payments/new", response_class=HTMLResponse)
def payment_page(
    request: Request,
    done: int | None = Query(None, ge=1, le=2**62),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> HTMLResponse:
    """The form to record a payment received at the counter or by transfer; after saving, what it paid."""
    recorded = None
    if done is not None:
        payment = ledger_sql.payment(session, done)
        bill = repo.bill(session, payment.bill_id) if payment else None
        if payment and bill and ledger_sql.bill_visible(session, bill, principal.scope):
            recorded = {"payment": payment, "bill": bill}
    return render(request, "funding/payment.html", _payment_context(recorded=recorded))


@router.post("/payments/new", response_model=None)
def payment_form(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    target: str = Form("", max_length=60),
    amount: str = Form("", max_length=40),
    paid_on: str = Form("", max_length=20),
    channel: str = Form("", max_length=30),
    external_ref: str = Form("", max_length=80),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> Response:
    """Record the payment once (a double submit shows the first one); each bad field is named next to it."""
    check_csrf(request, csrf_token)
    form = PaymentForm(target, amount, paid_on, channel, external_ref)

    def produce() -> str:
        result = service.record_by_hand(session, form, principal.username, principal.scope, dt.date.today())
        return f"/funding/payments/new?done={result['payment_id']}"

    def refused(exc: Exception) -> Response:
        context = _payment_context(values=vars(form), error=problem(exc))
        return render(request, "funding/payment.html", context, status_code=422)

    return submit_form(session, principal, form_token, "/funding/payments/new", produce, refused, REFUSALS)


def _statements_context(session: Session, **extra: Any) -> dict[str, Any]:
    return {
        "form_token": new_token(),
        "recent": service.recent_statements(session),
        "channel_codes": CHANNELS,
        "values": {"channel": CHANNELS[0]},
        "error": None,
        **extra,
    }


@router.get("/statements", response_class=HTMLResponse)
def statements_page(request: Request, session: Session = SESSION, _p: Principal = WRITE) -> HTMLResponse:
    """Upload a bank or payment-channel statement (CSV or XLSX); the latest imports."""
    return render(request, "funding/statements.html", _statements_context(session))


@router.post("/statements", response_model=None)
def statement_form(
    request: Request,
    file: UploadFile | None = File(None),
    channel: str = Form("", max_length=30),
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    session: Session = SESSION,
    principal: Principal = WRITE,
) -> Response:
    """Import the file: matched lines are paid once (a line seen before records nothing), every other line is
    listed with its number and reason on the result page."""
    check_csrf(request, csrf_token)
    content = file.file.read(MAX_STATEMENT_BYTES + 1) if file is not None else b""
    filename = file.filename if file is not None else None

    def produce() -> str:
        service.check_upload(filename, content, channel, MAX_STATEMENT_BYTES)
        name = upload_file_name(filename, "statement.csv")
        result = statements.import_content(session, name, content, channel, principal.username, principal.scope)
        return f"/funding/statements/{result.statement_id}"

    def refused(exc: Exception) -> Response:
        context = _statements_context(session, values={"channel": channel}, error=problem(exc))
        return render(request, "funding/statements.html", context, status_code=422)

    return submit_form(session, principal, form_token, "/funding/statements", produce, refused, REFUSALS)


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_result_page(
    request: Request, statement_id: int, session: Session = SESSION, _p: Principal = WRITE
) -> HTMLResponse:
    """What an import did: lines read, payments recorded, lines already imported, and every rejected line."""
    return render(request, "funding/statement_result.html", service.statement_result(session, statement_id))


@router.get("/members/{person_id}/payments", response_class=HTMLResponse)
def history_page(
    request: Request, person_id: int, session: Session = SESSION, principal: Principal = READ
) -> HTMLResponse:
    """A member's bills and payments month by month (a person outside the territory is 404)."""
    history = service.payment_history(session, person_id, principal.scope)
    audit.record(session, principal, "read", "payment_history", person_id)
    return render(request, "funding/history.html", {"h": history})
