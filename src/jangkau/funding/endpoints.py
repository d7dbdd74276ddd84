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

from jangkau.api_errors import error_responses
from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.funding import access, payments, reports, service, statements
from jangkau.funding.errors import (
    AlreadySponsored,
    AmountNotPositive,
    BillNotFound,
    BudgetExceeded,
    BudgetTooSmall,
    CriteriaNotMet,
    MembershipNotFound,
    MonthInvalid,
    NotASponsorUser,
    NotProgrammeStaff,
    PaymentAlreadyReversed,
    PaymentNotFound,
    ProgrammeEnded,
    ProgrammeInvalid,
    ProgrammeNotFound,
    QuotaFull,
    ReversalNotReversible,
    SponsorNotFound,
    SponsorRegionInvalid,
    StatementInvalid,
    UserNotFound,
)
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.requests.service import ensure_programme_staff
from jangkau.funding.schemas import (
    BudgetPlanRead,
    CoverageRead,
    CreditRead,
    LapseListRead,
    PaymentIn,
    PaymentRecordedRead,
    ProgrammeIn,
    ProgrammeRead,
    ReversalIn,
    ReversalRead,
    SponsorIn,
    SponsorRead,
    SponsorshipRead,
    SponsorStatementRead,
    SponsorUserGrantRead,
    SponsorUserRevokeRead,
    StatementImportRead,
)
from jangkau.kit.documents import upload_file_name
from jangkau.kit.figures import last_complete_month
from jangkau.kit.months import Month
from jangkau.web.kit import get_session

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
        raise MonthInvalid(name, text, str(exc)) from exc


@router.get("/plan", dependencies=[VIEW], response_model=BudgetPlanRead, responses=error_responses(MonthInvalid, 403))
def plan(
    budget: int,
    start: str,
    months: int = 12,
    income: int = 1_000_000,
    programs: str = "jkk,jkm",
) -> BudgetPlanRead:
    """How many workers a budget covers for a period on a package."""
    return BudgetPlanRead.model_validate(service.plan_budget(budget, months, start, income, programs).as_dict())


@router.post(
    "/sponsors",
    status_code=201,
    dependencies=[WRITE],
    response_model=SponsorRead,
    responses=error_responses(SponsorRegionInvalid, 403),
)
def create_sponsor(data: SponsorIn, session: Session = SESSION) -> SponsorRead:
    return SponsorRead.model_validate(service.create_sponsor(session, data), from_attributes=True)


@router.post(
    "/programmes",
    status_code=201,
    dependencies=[WRITE],
    response_model=ProgrammeRead,
    responses=error_responses(SponsorNotFound, ProgrammeInvalid, BudgetTooSmall, MonthInvalid, 403),
)
def create_programme(data: ProgrammeIn, session: Session = SESSION) -> ProgrammeRead:
    programme = service.create_programme(session, data)
    return ProgrammeRead.model_validate(service.programme_summary(session, programme.id))


@router.post(
    "/sponsors/{sponsor_id}/users",
    response_model=SponsorUserGrantRead,
    responses=error_responses(SponsorNotFound, UserNotFound, NotASponsorUser, 403),
)
def grant_sponsor_user(
    sponsor_id: int, data: SponsorUserIn, principal: Principal = WRITE, session: Session = SESSION
) -> SponsorUserGrantRead:
    """Let a sponsor user read this sponsor's programmes and statements (a repeated grant changes nothing)."""
    return SponsorUserGrantRead.model_validate(access.grant_payer(session, principal, sponsor_id, data.username))


@router.delete(
    "/sponsors/{sponsor_id}/users/{username}",
    response_model=SponsorUserRevokeRead,
    responses=error_responses(UserNotFound, 403),
)
def revoke_sponsor_user(
    sponsor_id: int, username: str, principal: Principal = WRITE, session: Session = SESSION
) -> SponsorUserRevokeRead:
    """Take the sponsor away from the user."""
    return SponsorUserRevokeRead.model_validate(access.revoke_payer(session, principal, sponsor_id, username))


@router.get(
    "/programmes/{programme_id}", response_model=ProgrammeRead, responses=error_responses(ProgrammeNotFound, 403)
)
def programme(programme_id: int, principal: Principal = VIEW, session: Session = SESSION) -> ProgrammeRead:
    access.ensure_programme_readable(session, principal, programme_id)
    return ProgrammeRead.model_validate(service.programme_summary(session, programme_id))


@router.post(
    "/programmes/{programme_id}/enrolments",
    status_code=201,
    response_model=SponsorshipRead,
    responses=error_responses(
        ProgrammeNotFound,
        MembershipNotFound,
        ProgrammeEnded,
        CriteriaNotMet,
        AlreadySponsored,
        QuotaFull,
        BudgetExceeded,
        NotProgrammeStaff,
    ),
)
def enrol(
    programme_id: int, data: EnrolIn, principal: Principal = WRITE, session: Session = SESSION
) -> SponsorshipRead:
    """Enrol a membership (inside the caller's territory) into a programme of which the caller is staff; refuses
    over budget, quota or criteria with a reason."""
    ensure_programme_staff(session, principal, programme_id)
    sponsorship = service.enrol(
        session, programme_id, data.membership_id, principal.username, dt.date.today(), principal.scope
    )
    return SponsorshipRead.model_validate(sponsorship, from_attributes=True)


@router.post(
    "/payments",
    status_code=201,
    response_model=PaymentRecordedRead,
    responses=error_responses(BillNotFound, AmountNotPositive, 403),
)
def record_payment(data: PaymentIn, principal: Principal = WRITE, session: Session = SESSION) -> PaymentRecordedRead:
    return PaymentRecordedRead.model_validate(service.record_payment(session, data, principal.username))


@router.post(
    "/payments/{payment_id}/reversal",
    status_code=201,
    response_model=ReversalRead,
    responses=error_responses(PaymentNotFound, ReversalNotReversible, PaymentAlreadyReversed, 403),
)
def reverse_payment(
    payment_id: int, data: ReversalIn, principal: Principal = WRITE, session: Session = SESSION
) -> ReversalRead:
    """Reverse a payment (a bounced transfer); answers with the months that lost protection."""
    return ReversalRead.model_validate(
        payments.reverse_payment(
            session, payment_id, data.reversed_on, principal.username, data.reason, principal.scope
        )
    )


@router.get("/credits/review", dependencies=[READ], response_model=list[CreditRead], responses=error_responses(403))
def credits_to_review(session: Session = SESSION) -> list[CreditRead]:
    """Money kept as a payer's credit because no bill was open when it came, newest first."""
    return [CreditRead.model_validate(c) for c in allocation_sql.review_credits(session)]


@router.post(
    "/statements", status_code=201, response_model=StatementImportRead, responses=error_responses(StatementInvalid, 403)
)
def import_statement(
    file: UploadFile = File(...),
    channel: str = Form("bank"),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> StatementImportRead:
    """Import a CSV/XLSX statement; answers with every rejected line and its reason."""
    name = upload_file_name(file.filename, "statement.csv")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(file.file.read())
        return StatementImportRead.of(statements.import_statement(session, path, channel, principal.username))


@router.get(
    "/memberships/{membership_id}/coverage",
    response_model=CoverageRead,
    responses=error_responses(MembershipNotFound, 403),
)
def coverage(
    membership_id: int, as_of: dt.date | None = None, principal: Principal = READ, session: Session = SESSION
) -> CoverageRead:
    """Protected-until date, status, arrears and bills of a membership."""
    found = service.membership_coverage(session, membership_id, as_of or dt.date.today(), principal.scope)
    return CoverageRead.model_validate(found)


@router.get("/lapses", response_model=LapseListRead, responses=error_responses(403))
def lapses(
    village: str | None = None, as_of: dt.date | None = None, principal: Principal = READ, session: Session = SESSION
) -> LapseListRead:
    """BPU members in arrears or recently ended, per village, inside the caller's territory."""
    return LapseListRead.model_validate(reports.lapse_list(session, principal.scope, as_of or dt.date.today(), village))


@router.get(
    "/sponsors/{sponsor_id}/statement",
    response_model=SponsorStatementRead,
    responses={
        200: {
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf")
            }
        },
        **error_responses(SponsorNotFound, MonthInvalid, 403),
    },
)
def sponsor_statement(
    sponsor_id: int,
    first: str | None = Query(None, alias="from", description="YYYY-MM; default the last complete month"),
    last: str | None = Query(None, alias="to", description="YYYY-MM; default ``from``"),
    format: str = Query("json", pattern="^(json|xlsx|pdf)$"),
    principal: Principal = VIEW,
    session: Session = SESSION,
) -> Any:
    """A sponsor's statement for a period as JSON, XLSX or PDF (workers inside the caller's territory)."""
    first = first or str(last_complete_month(dt.date.today()))
    last = last or first
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
    return SponsorStatementRead.model_validate(data)
