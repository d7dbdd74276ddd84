"""``/api/v1/claims``: quote, file (with ``Idempotency-Key``), the queue, one claim and its workflow steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.claims import jht, process
from jangkau.claims import repository as repo
from jangkau.claims.jht import JhtStatementIn
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
from jangkau.claims.service import claims_scope, file_claim, find_claim, own_claims_only, quote_claim
from jangkau.claims.views import claim_view, queue_row
from jangkau.claims.workflow import OPEN, ClaimStatus
from jangkau.errors import InvalidInput
from jangkau.idempotency import request_fingerprint, run_idempotent
from jangkau.kit.masking import mask_nik
from jangkau.kit.pagination import PageRequest
from jangkau.webkit import get_session

router = APIRouter(tags=["claims"])
IDEMPOTENCY = Header(None, alias="Idempotency-Key", description="Retries with the same key return the first result")
FILE = require(Permission.CLAIMS_FILE)
PROCESS = require(Permission.CLAIMS_PROCESS)


@router.post("/claims/quote")
def quote(
    data: ClaimIn, session: Session = Depends(get_session), principal: Principal = Depends(FILE)
) -> dict[str, Any]:
    """Eligibility and amount of a claim without filing it: reasons, itemised benefit, rules, heirs' shares."""
    person, assessment = quote_claim(session, data, principal)
    return {"person": {"full_name": person.full_name, "nik": mask_nik(person.nik)}, **assessment.as_dict()}


@router.post("/claims/jht/statement", response_model=None)
def jht_statement(
    data: JhtStatementIn,
    format: str = Query("json", pattern="^(json|pdf)$"),
    session: Session = Depends(get_session),
    principal: Principal = Depends(FILE),
) -> dict[str, Any] | Response:
    """A member's JHT account ("cek saldo JHT"): balance, contributions, returns and withdrawals per year."""
    statement = jht.jht_statement(session, data, principal, dt.date.today())
    if format == "pdf":
        return Response(
            jht.jht_statement_pdf(statement),
            media_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="saldo-jht.pdf"'},
        )
    return statement


@router.post("/claims", status_code=201)
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
        return 201, claim_view(session, claim, person, principal)

    fingerprint = request_fingerprint("POST", "/claims", data.model_dump(mode="json"))
    return run_idempotent(session, request.app.state.session_factory, principal, key, fingerprint, produce)


@router.get("/claims")
def queue(
    session: Session = Depends(get_session),
    principal: Principal = Depends(FILE),
    status: list[ClaimStatus] = Query(default_factory=lambda: sorted(OPEN)),
    page: int = Query(1, ge=1, le=1_000_000),
    size: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """Claims in the caller's territory (a worker or employer: the ones they filed), nearest SLA deadline first."""
    listing = repo.queue(session, claims_scope(principal), PageRequest(page, size), [s.value for s in status],
                         own_claims_only(principal))  # fmt: skip
    today = dt.date.today()
    return {
        "items": [queue_row(c, p, today) for c, p in listing.items],
        "total": listing.total,
        "page": page,
        "size": size,
    }


@router.get("/claims/{reference}")
def detail(
    reference: str, session: Session = Depends(get_session), principal: Principal = Depends(FILE)
) -> dict[str, Any]:
    """One claim: eligibility reasons, itemised amount, heirs, documents checklist, SLA, history, handovers."""
    claim, person = find_claim(session, reference, principal)
    return claim_view(session, claim, person, principal)


def _done(session: Session, reference: str, principal: Principal) -> dict[str, Any]:
    claim, person = find_claim(session, reference, principal)
    return claim_view(session, claim, person, principal)


@router.post("/claims/{reference}/documents")
def document(
    reference: str, data: DocumentIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> dict[str, Any]:
    """Mark a checklist document received (the SLA clock starts when every required one is in)."""
    process.receive_document(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post("/claims/{reference}/document-requests", status_code=201)
def request_documents(
    reference: str,
    data: DocumentRequestIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(PROCESS),
) -> dict[str, Any]:
    """Ask the claimant for documents: the service-level clock stops until they arrive."""
    request = process.request_documents(session, reference, data, principal)
    return {"reference": reference, "documents": request.documents, "requested_on": request.requested_on}


@router.post("/claims/{reference}/document-requests/arrived")
def documents_arrived(
    reference: str,
    data: DocumentsArrivedIn,
    session: Session = Depends(get_session),
    principal: Principal = Depends(PROCESS),
) -> dict[str, Any]:
    """The requested documents arrived: the deadline moves by the working days the clock stood still."""
    claim = process.documents_arrived(session, reference, data, principal)
    return {"reference": reference, "sla_due_on": claim.sla_due_on}


@router.post("/claims/{reference}/verify")
def verify(
    reference: str, data: VerifyIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> dict[str, Any]:
    """The maker: re-assess on today's ledger and verify (409 if not payable or open points are undecided)."""
    process.verify_claim(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post("/claims/{reference}/approve")
def approve(
    reference: str, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> dict[str, Any]:
    """The checker: another officer than the maker approves (409 ``same_officer`` otherwise)."""
    process.approve_claim(session, reference, principal)
    return _done(session, reference, principal)


@router.post("/claims/{reference}/pay")
def pay(
    reference: str, data: PayIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> dict[str, Any]:
    """Record the payment; a payment after the SLA deadline owes 1 % of the benefit per day late."""
    process.pay_claim(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post("/claims/{reference}/reject")
def reject(
    reference: str, data: RejectIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> dict[str, Any]:
    """Reject an open claim with the reason given to the family."""
    process.reject_claim(session, reference, data, principal)
    return _done(session, reference, principal)


@router.post("/claims/{reference}/handover", status_code=201)
def handover(
    reference: str, data: HandoverIn, session: Session = Depends(get_session), principal: Principal = Depends(PROCESS)
) -> dict[str, Any]:
    """Record the public handover of a paid benefit (who received what, when, where, witnessed by whom)."""
    if not data.witnesses or not any(w.strip() for w in data.witnesses):
        raise InvalidInput.for_field("witnesses", "name at least one witness", "isi setidaknya satu saksi")
    process.record_handover(session, reference, data, principal)
    return _done(session, reference, principal)


__all__ = ["router"]
