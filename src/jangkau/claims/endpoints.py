"""``/api/v1/claims``: quote, file (with ``Idempotency-Key``), the queue, one claim and its workflow steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.claims import jht, process
from jangkau.claims import repository as repo
from jangkau.claims.errors import (
    BenefitNotOfProgramme,
    ClaimDecided,
    ClaimNotFound,
    ClaimTypeUnknown,
    ClockNotRunning,
    DateOutOfRange,
    DocumentNotOnChecklist,
    DuplicateClaim,
    EventInFuture,
    HandoverAmountTooHigh,
    HeirsNotApplicable,
    HeirsNotInOrder,
    JhtAmountTooHigh,
    JhtPartialRefused,
    JhtTriggerMissing,
    MembershipNotOfPerson,
    NoClock,
    NoJhtMembership,
    NoMembership,
    NoOpenRequest,
    NotEligible,
    NotPaid,
    OpenPoints,
    PersonNotFound,
    RequestOpen,
    SameOfficer,
    TransitionRefused,
    WageMissing,
    WaitingDocuments,
    WitnessMissing,
    YearInFuture,
)
from jangkau.claims.jht import JhtStatementIn
from jangkau.claims.rules.workflow import OPEN, ClaimStatus
from jangkau.claims.schemas import (
    ClaimIn,
    ClaimQueueRead,
    ClaimRead,
    DocumentIn,
    DocumentRequestedRead,
    DocumentRequestIn,
    DocumentsArrivedIn,
    DocumentsArrivedRead,
    HandoverIn,
    JhtStatementRead,
    PayIn,
    QuoteRead,
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
from jangkau.kit.masking import mask_nik
from jangkau.kit.pagination import PageRequest
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(tags=["claims"])
IDEMPOTENCY = Header(None, alias="Idempotency-Key", description="Retries with the same key return the first result")
FILE = require(Permission.CLAIMS_FILE)
PROCESS = require(Permission.CLAIMS_PROCESS)


@router.post(
    "/claims/quote",
    response_model=QuoteRead,
    responses=error_responses(
        PersonNotFound,
        NoMembership,
        MembershipNotOfPerson,
        ClaimTypeUnknown,
        BenefitNotOfProgramme,
        EventInFuture,
        HeirsNotApplicable,
        HeirsNotInOrder,
        WageMissing,
        JhtTriggerMissing,
        JhtAmountTooHigh,
        403,
    ),
)
def quote(data: ClaimIn, session: Session = Depends(get_session), principal: Principal = Depends(FILE)) -> QuoteRead:
    """Eligibility and amount of a claim without filing it: reasons, itemised benefit, rules, heirs' shares."""
    person, assessment = quote_claim(session, data, principal)
    return QuoteRead.model_validate(
        {"person": {"full_name": person.full_name, "nik": mask_nik(person.nik)}, **assessment.as_dict()}
    )


@router.post(
    "/claims/jht/statement",
    response_model=JhtStatementRead,
    responses={
        200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
        **error_responses(PersonNotFound, NoJhtMembership, YearInFuture, 403),
    },
)
def jht_statement(
    data: JhtStatementIn,
    format: str = Query("json", pattern="^(json|pdf)$"),
    session: Session = Depends(get_session),
    principal: Principal = Depends(FILE),
) -> Any:
    """A member's JHT account ("cek saldo JHT"): balance, contributions, returns and withdrawals per year."""
    statement = jht.jht_statement(session, data, principal, dt.date.today())
    if format == "pdf":
        return Response(
            jht.jht_statement_pdf(statement),
            media_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="saldo-jht.pdf"'},
        )
    return JhtStatementRead.model_validate(statement)


@router.post(
    "/claims",
    status_code=201,
    response_model=ClaimRead,
    responses=error_responses(
        PersonNotFound,
        NoMembership,
        MembershipNotOfPerson,
        ClaimTypeUnknown,
        BenefitNotOfProgramme,
        EventInFuture,
        HeirsNotApplicable,
        HeirsNotInOrder,
        WageMissing,
        JhtTriggerMissing,
        JhtAmountTooHigh,
        JhtPartialRefused,
        DuplicateClaim,
        403,
    ),
)
def create(
    data: ClaimIn,
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(FILE),
    key: str | None = IDEMPOTENCY,
) -> JSONResponse:
    """File a claim (409 ``duplicate_claim`` when the same person, type and event date is already filed)."""

    def produce() -> tuple[int, dict[str, Any]]:
        claim = file_claim(session, data, principal)
        _, person = find_claim(session, claim.reference or "", principal)
        return 201, claim_detail(session, claim, person, principal).model_dump(mode="json", by_alias=True)

    fingerprint = request_fingerprint("POST", "/claims", data.model_dump(mode="json"))
    return run_idempotent(session, request.app.state.session_factory, principal, key, fingerprint, produce)


@router.get("/claims", response_model=ClaimQueueRead, responses=error_responses(403))
def queue(
    session: Session = Depends(get_session),
    principal: Principal = Depends(FILE),
    status: list[ClaimStatus] = Query(default_factory=lambda: sorted(OPEN)),
    page: int = Query(1, ge=1, le=1_000_000),
    size: int = Query(50, ge=1, le=500),
) -> ClaimQueueRead:
    """Claims in the caller's territory (a worker or employer: the ones they filed), nearest SLA deadline first."""
    listing = repo.queue(session, claims_scope(principal), PageRequest(page, size), [s.value for s in status],
                         own_claims_only(principal))  # fmt: skip
    today = dt.date.today()
    items = [queue_entry(c, p, today) for c, p in listing.items]
    return ClaimQueueRead(items=items, total=listing.total, page=page, size=size)


@router.get("/claims/{reference}", response_model=ClaimRead, responses=error_responses(ClaimNotFound, 403))
def detail(reference: str, session: Session = Depends(get_session), principal: Principal = Depends(FILE)) -> ClaimRead:
    """One claim: eligibility reasons, itemised amount, heirs, documents checklist, SLA, history, handovers."""
    claim, person = find_claim(session, reference, principal)
    return claim_detail(session, claim, person, principal)


def _done(session: Session, reference: str, principal: Principal) -> ClaimRead:
    claim, person = find_claim(session, reference, principal)
    return claim_detail(session, claim, person, principal)


@router.post(
    "/claims/{reference}/documents",
    response_model=ClaimRead,
    responses=error_responses(ClaimNotFound, DocumentNotOnChecklist, DateOutOfRange, ClaimDecided, 403),
)
def document(
    reference: str, data: DocumentIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> ClaimRead:
    """Mark a checklist document received (the SLA clock starts when every required one is in)."""
    process.receive_document(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post(
    "/claims/{reference}/document-requests",
    status_code=201,
    response_model=DocumentRequestedRead,
    responses=error_responses(ClaimNotFound, ClockNotRunning, RequestOpen, DateOutOfRange, 403),
)
def request_documents(
    reference: str,
    data: DocumentRequestIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(PROCESS),
) -> DocumentRequestedRead:
    """Ask the claimant for documents: the service-level clock stops until they arrive."""
    request = process.request_documents(session, reference, data, principal)
    return DocumentRequestedRead(reference=reference, documents=request.documents, requested_on=request.requested_on)


@router.post(
    "/claims/{reference}/document-requests/arrived",
    response_model=DocumentsArrivedRead,
    responses=error_responses(ClaimNotFound, NoOpenRequest, DateOutOfRange, 403),
)
def documents_arrived(
    reference: str,
    data: DocumentsArrivedIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(PROCESS),
) -> DocumentsArrivedRead:
    """The requested documents arrived: the deadline moves by the working days the clock stood still."""
    claim = process.documents_arrived(session, reference, data, principal)
    return DocumentsArrivedRead(reference=reference, sla_due_on=claim.sla_due_on)


@router.post(
    "/claims/{reference}/verify",
    response_model=ClaimRead,
    responses=error_responses(ClaimNotFound, TransitionRefused, NotEligible, OpenPoints, 403),
)
def verify(
    reference: str, data: VerifyIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> ClaimRead:
    """The maker: re-assess on today's ledger and verify (409 if not payable or open points are undecided)."""
    process.verify_claim(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post(
    "/claims/{reference}/approve",
    response_model=ClaimRead,
    responses=error_responses(ClaimNotFound, TransitionRefused, SameOfficer, 403),
)
def approve(
    reference: str, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> ClaimRead:
    """The checker: another officer than the maker approves (409 ``same_officer`` otherwise)."""
    process.approve_claim(session, reference, principal)
    return _done(session, reference, principal)


@router.post(
    "/claims/{reference}/pay",
    response_model=ClaimRead,
    responses=error_responses(ClaimNotFound, TransitionRefused, NoClock, WaitingDocuments, DateOutOfRange, 403),
)
def pay(
    reference: str, data: PayIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> ClaimRead:
    """Record the payment; a payment after the SLA deadline owes 1 % of the benefit per day late."""
    process.pay_claim(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post(
    "/claims/{reference}/reject",
    response_model=ClaimRead,
    responses=error_responses(ClaimNotFound, TransitionRefused, 403),
)
def reject(
    reference: str, data: RejectIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> ClaimRead:
    """Reject an open claim with the reason given to the family."""
    process.reject_claim(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post(
    "/claims/{reference}/handover",
    status_code=201,
    response_model=ClaimRead,
    responses=error_responses(ClaimNotFound, WitnessMissing, NotPaid, DateOutOfRange, HandoverAmountTooHigh, 403),
)
def handover(
    reference: str, data: HandoverIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> ClaimRead:
    """Record the public handover of a paid benefit (who received what, when, where, witnessed by whom)."""
    if not data.witnesses or not any(w.strip() for w in data.witnesses):
        raise WitnessMissing()
    process.record_handover(session, reference, data, principal)
    return _done(session, reference, principal)


__all__ = ["router"]
