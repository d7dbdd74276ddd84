"""JSON API of the funding domain (mounted at ``/api/v1``): ``router``.

Reads need ``funding.read``, writes ``funding.write``; a sponsor user (``funding.own``) reads the plan and the
programmes and statements of the sponsors it has been granted, and nothing else. Every answer about people is
limited to the caller's territory in the repository; a membership outside it is 404, like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput
from jangkau.funding import access, allocation_sql, payments, reports, service, statements
from jangkau.funding.schemas import PaymentIn, ProgrammeIn, ReversalIn, SponsorIn
from jangkau.kit.documents import upload_file_name
from jangkau.kit.months import Month
from jangkau.webkit import get_session

router = APIRouter(prefix="/funding", tags=["funding"])
READ = Depends(require(Permission.FUNDING_READ))
WRITE = Depends(require(Permission.FUNDING_WRITE))
VIEW = Depends(access.funding_viewer)
SESSION = Depends(get_session)


class EnrolIn(BaseModel):
    membership_id: int


class SponsorUserIn(BaseModel):
    username: str


def _month(text: str, name: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise InvalidInput.for_field(name, str(exc), f"bulan harus YYYY-MM, bukan {text!r}") from exc


@router.get("/plan", dependencies=[VIEW])
def plan(
    budget: int,
    start: str,
    months: int = 12,
    income: int = 1_000_000,
    programs: str = "jkk,jkm",
) -> dict[str, Any]:
    """How many workers a budget covers for a period on a package."""
    return service.plan_budget(budget, months, start, income, programs).as_dict()


@router.post("/sponsors", status_code=201, dependencies=[WRITE])
def create_sponsor(data: SponsorIn, session: Session = SESSION) -> dict[str, Any]:
    sponsor = service.create_sponsor(session, data)
    return {"id": sponsor.id, "kind": sponsor.kind, "name": sponsor.name, "region_code": sponsor.region_code}


@router.post("/programmes", status_code=201, dependencies=[WRITE])
def create_programme(data: ProgrammeIn, session: Session = SESSION) -> dict[str, Any]:
    programme = service.create_programme(session, data)
    return service.programme_summary(session, programme.id)


@router.post("/sponsors/{sponsor_id}/users")
def grant_sponsor_user(
    sponsor_id: int, data: SponsorUserIn, principal: Principal = WRITE, session: Session = SESSION
) -> dict[str, Any]:
    """Let a sponsor user read this sponsor's programmes and statements (a repeated grant changes nothing)."""
    return access.grant_payer(session, principal, sponsor_id, data.username)


@router.delete("/sponsors/{sponsor_id}/users/{username}")
def revoke_sponsor_user(
    sponsor_id: int, username: str, principal: Principal = WRITE, session: Session = SESSION
) -> dict[str, Any]:
    """Take the sponsor away from the user."""
    return access.revoke_payer(session, principal, sponsor_id, username)


@router.get("/programmes/{programme_id}")
def programme(programme_id: int, principal: Principal = VIEW, session: Session = SESSION) -> dict[str, Any]:
    access.ensure_programme_readable(session, principal, programme_id)
    return service.programme_summary(session, programme_id)


@router.post("/programmes/{programme_id}/enrolments", status_code=201)
def enrol(programme_id: int, data: EnrolIn, principal: Principal = WRITE, session: Session = SESSION) -> dict[str, Any]:
    """Enrol a membership (inside the caller's territory); refuses over budget, quota or criteria with a reason."""
    sponsorship = service.enrol(
        session, programme_id, data.membership_id, principal.username, dt.date.today(), principal.scope
    )
    return {
        "id": sponsorship.id,
        "membership_id": sponsorship.membership_id,
        "first_month": sponsorship.first_month,
        "last_month": sponsorship.last_month,
        "committed": sponsorship.committed,
    }


@router.post("/payments", status_code=201)
def record_payment(data: PaymentIn, principal: Principal = WRITE, session: Session = SESSION) -> dict[str, Any]:
    return service.record_payment(session, data, principal.username)


@router.post("/payments/{payment_id}/reversal", status_code=201)
def reverse_payment(
    payment_id: int, data: ReversalIn, principal: Principal = WRITE, session: Session = SESSION
) -> dict[str, Any]:
    """Reverse a payment (a bounced transfer); answers with the months that lost protection."""
    return payments.reverse_payment(
        session, payment_id, data.reversed_on, principal.username, data.reason, principal.scope
    )


@router.get("/credits/review", dependencies=[READ])
def credits_to_review(session: Session = SESSION) -> list[dict[str, Any]]:
    """Money kept as a payer's credit because no bill was open when it came, newest first."""
    return [
        {"id": c.id, "payer_id": c.payer_id, "payment_id": c.payment_id, "amount": c.amount, "reason": c.reason}
        for c in allocation_sql.review_credits(session)
    ]


@router.post("/statements", status_code=201)
def import_statement(
    file: UploadFile = File(...),
    channel: str = Form("bank"),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> dict[str, Any]:
    """Import a CSV/XLSX statement; answers with every rejected line and its reason."""
    name = upload_file_name(file.filename, "statement.csv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(file.file.read())
        return statements.import_statement(session, path, channel, principal.username).as_dict()


@router.get("/memberships/{membership_id}/coverage")
def coverage(
    membership_id: int, as_of: dt.date | None = None, principal: Principal = READ, session: Session = SESSION
) -> dict[str, Any]:
    """Protected-until date, status, arrears and bills of a membership."""
    return service.membership_coverage(session, membership_id, as_of or dt.date.today(), principal.scope)


@router.get("/lapses")
def lapses(
    village: str | None = None, as_of: dt.date | None = None, principal: Principal = READ, session: Session = SESSION
) -> dict[str, Any]:
    """BPU members in arrears or recently ended, per village, inside the caller's territory."""
    return reports.lapse_list(session, principal.scope, as_of or dt.date.today(), village)


@router.get("/sponsors/{sponsor_id}/statement", response_model=None)
def sponsor_statement(
    sponsor_id: int,
    first: str = Query(..., alias="from"),
    last: str = Query(..., alias="to"),
    format: str = Query("json", pattern="^(json|xlsx|pdf)$"),
    principal: Principal = VIEW,
    session: Session = SESSION,
) -> dict[str, Any] | Response:
    """A sponsor's statement for a period as JSON, XLSX or PDF (workers inside the caller's territory)."""
    access.ensure_payer_readable(session, principal, sponsor_id)
    scope = access.statement_scope(principal)
    data = reports.sponsor_statement(session, sponsor_id, _month(first, "from"), _month(last, "to"), scope)
    audit.record(session, principal, "export", "sponsor_statement", sponsor_id, after={"format": format})
    if format == "xlsx":
        return Response(
            reports.statement_xlsx(data),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="statement-{sponsor_id}-{first}-{last}.xlsx"'},
        )
    if format == "pdf":
        return Response(
            reports.statement_pdf(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="statement-{sponsor_id}-{first}-{last}.pdf"'},
        )
    return data
