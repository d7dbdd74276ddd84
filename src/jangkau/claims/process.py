"""Claim workflow steps after filing: documents received, verify (maker), approve (checker), pay, reject and the
public handover record. Each step checks the transition table, writes the history and the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.claims import notices
from jangkau.claims import repository as repo
from jangkau.claims.errors import (
    ClaimDecided,
    ClockNotRunning,
    DateOutOfRange,
    DocumentNotOnChecklist,
    HandoverAmountTooHigh,
    NoClock,
    NoOpenRequest,
    NotEligible,
    NotPaid,
    OpenPoints,
    RequestOpen,
    SameOfficer,
    WaitingDocuments,
)
from jangkau.claims.models import Claim, ClaimDocument, ClaimDocumentRequest, ClaimHandover
from jangkau.claims.rules.eligibility import assess
from jangkau.claims.rules.facts import ClaimFacts
from jangkau.claims.rules.heirs import Heir
from jangkau.claims.rules.kinds import ClaimBenefit
from jangkau.claims.rules.ruledata import checklist
from jangkau.claims.rules.sla import due_on, late_payment
from jangkau.claims.rules.workflow import OPEN, Action, ClaimStatus, next_status
from jangkau.claims.schemas import (
    DocumentIn,
    DocumentRequestIn,
    DocumentsArrivedIn,
    HandoverIn,
    PayIn,
    RejectIn,
    VerifyIn,
)
from jangkau.claims.service import find_claim, ledger_of, record_event
from jangkau.clikit import to_json
from jangkau.kit.workdays import add_working_days, count_working_days
from jangkau.notify.templates import Use
from jangkau.registry import repository as registry_repo
from jangkau.rules import JhtTrigger, Program


def _move(session: Session, claim: Claim, principal: Principal, action: Action, note: str | None = None) -> None:
    before = claim.status
    claim.status = next_status(ClaimStatus(claim.status), action).value
    record_event(session, claim, principal, action.value, before, note)


def receive_document(
    session: Session, reference: str, data: DocumentIn, principal: Principal, today: dt.date | None = None
) -> Claim:
    """Mark a checklist document as received; once every required one is in, the SLA clock starts.

    Raises:
        NotFound: no such claim in scope.
        InvalidInput: a code not on this claim's checklist, or a receipt date in the future.
        Conflict: the claim is already decided (paid or rejected).
    """
    today = today or dt.date.today()
    claim, _ = find_claim(session, reference, principal, lock=True)
    specs = checklist(f"{claim.program}.{claim.benefit}")
    if data.code not in {s.code for s in specs}:
        known = ", ".join(s.code for s in specs)
        raise DocumentNotOnChecklist(known)
    received_on = data.received_on or today
    if received_on > today or received_on < claim.filed_on:
        raise DateOutOfRange("received_on", DateOutOfRange.RECEIVED)
    if claim.status in (ClaimStatus.PAID, ClaimStatus.REJECTED):
        raise ClaimDecided(claim.reference, claim.status)
    have = {d.code: d for d in repo.documents_of(session, claim.id)}
    if data.code not in have:
        document = ClaimDocument(
            claim_id=claim.id, code=data.code, received_on=received_on, received_by=principal.username, note=data.note
        )
        repo.add(session, document)
        have[data.code] = ClaimDocument(code=data.code, received_on=received_on)
        record_event(session, claim, principal, "document", claim.status, data.code)
    required = [s.code for s in specs if s.required]
    if claim.status == ClaimStatus.SUBMITTED and all(code in have for code in required):
        claim.complete_on = max(have[code].received_on for code in required)
        claim.sla_due_on = due_on(claim.complete_on)
        _move(session, claim, principal, Action.COMPLETE_DOCUMENTS, f"SLA deadline {claim.sla_due_on.isoformat()}")
    return claim


def request_documents(
    session: Session, reference: str, data: DocumentRequestIn, principal: Principal, today: dt.date | None = None
) -> ClaimDocumentRequest:
    """Ask the claimant for documents: the service-level clock stops from ``requested_on`` until they arrive.

    Raises:
        NotFound: no such claim in scope.
        Conflict: the clock is not running (documents not complete, or the claim decided), or a request is open.
        InvalidInput: a request date before the documents were complete or in the future.
    """
    today = today or dt.date.today()
    claim, person = find_claim(session, reference, principal, lock=True)
    if claim.complete_on is None or claim.sla_due_on is None or claim.status not in OPEN:
        raise ClockNotRunning(claim.reference, claim.status)
    if repo.open_request(session, claim.id) is not None:
        raise RequestOpen()
    requested_on = data.requested_on or today
    if not claim.complete_on <= requested_on <= today:
        raise DateOutOfRange("requested_on", DateOutOfRange.REQUESTED)
    request = ClaimDocumentRequest(
        claim_id=claim.id, documents=data.documents, requested_on=requested_on, requested_by=principal.username
    )
    repo.add(session, request)
    record_event(session, claim, principal, "request_documents", claim.status, data.documents)
    notices.tell(session, claim, person, Use.CLAIM_DOCUMENTS_NEEDED, f"request:{request.id}", data.documents)
    return request


def documents_arrived(
    session: Session, reference: str, data: DocumentsArrivedIn, principal: Principal, today: dt.date | None = None
) -> Claim:
    """The requested documents arrived: the clock runs again and the deadline moves by the working days paused.

    Raises:
        NotFound: no such claim in scope.
        Conflict: no open request.
        InvalidInput: an arrival before the request or in the future.
    """
    today = today or dt.date.today()
    claim, _ = find_claim(session, reference, principal, lock=True)
    request = repo.open_request(session, claim.id)
    if request is None or claim.sla_due_on is None:
        raise NoOpenRequest()
    arrived_on = data.arrived_on or today
    if not request.requested_on <= arrived_on <= today:
        raise DateOutOfRange("arrived_on", DateOutOfRange.ARRIVED)
    paused = count_working_days(request.requested_on, arrived_on)
    request.arrived_on, request.received_by, request.paused_days = arrived_on, principal.username, paused
    claim.sla_due_on = add_working_days(claim.sla_due_on, paused)
    note = f"clock paused {paused} working days; SLA deadline {claim.sla_due_on.isoformat()}"
    record_event(session, claim, principal, "documents_arrived", claim.status, note)
    return claim


def _facts(session: Session, claim: Claim) -> ClaimFacts:
    inputs = json.loads(claim.inputs)
    percent = inputs.get("disability_percent")
    trigger = inputs.get("jht_trigger")
    heirs = tuple(Heir(h.full_name, h.relationship, h.nik, h.birth_date) for h in repo.heirs_of(session, claim.id))
    return ClaimFacts(
        Program(claim.program),
        ClaimBenefit(claim.benefit),
        claim.event_date,
        claim.filed_on,
        heirs=heirs,
        wage=inputs.get("wage"),
        months_unable=inputs.get("months_unable") or 0,
        disability_percent=None if percent is None else Decimal(percent),
        medical_cost=inputs.get("medical_cost"),
        children=inputs.get("children"),
        jht_amount=inputs.get("jht_amount"),
        jht_trigger=None if trigger is None else JhtTrigger(trigger),
        previous_partial_claims=inputs.get("previous_partial_claims") or 0,
        accumulated=inputs.get("accumulated"),
    )


def verify_claim(session: Session, reference: str, data: VerifyIn, principal: Principal) -> Claim:
    """The maker's step: re-assess the claim on today's ledger and confirm it is payable.

    Raises:
        Conflict: not in ``documents_complete``; not eligible (reject it instead); or points the rules leave open
            that the officer has not decided (``decide_open_points``).
    """
    claim, person = find_claim(session, reference, principal, lock=True)
    next_status(ClaimStatus(claim.status), Action.VERIFY)
    membership = next(m for m in registry_repo.memberships_of(session, person.id) if m.id == claim.membership_id)
    assessment = assess(_facts(session, claim), ledger_of(session, person, membership))
    claim.assessment, claim.eligible, claim.amount = (
        to_json(assessment.as_dict()),
        assessment.eligible,
        assessment.amount,
    )
    failed = [r for r in assessment.reasons if r.ok is False]
    if failed:
        raise NotEligible(
            claim.reference, "; ".join(r.message for r in failed), "; ".join(r.message_id for r in failed)
        )
    open_points = [r.message for r in assessment.reasons if r.ok is None]
    if open_points and not data.decide_open_points:
        raise OpenPoints("; ".join(open_points), "; ".join(r.message_id for r in assessment.reasons if r.ok is None))
    claim.verified_by, claim.verified_by_user_id = principal.username, principal.user_id
    note = data.note or (f"decided: {'; '.join(open_points)}" if open_points else None)
    _move(session, claim, principal, Action.VERIFY, note)
    return claim


def approve_claim(session: Session, reference: str, principal: Principal, note: str | None = None) -> Claim:
    """The checker's step: a different officer from the one who verified approves the payment.

    Raises:
        Conflict: not verified, or the approver is the verifier (four eyes).
    """
    claim, person = find_claim(session, reference, principal, lock=True)
    next_status(ClaimStatus(claim.status), Action.APPROVE)
    same_user = principal.user_id is not None and principal.user_id == claim.verified_by_user_id
    if same_user or principal.username == claim.verified_by:
        raise SameOfficer()
    claim.approved_by, claim.approved_by_user_id = principal.username, principal.user_id
    _move(session, claim, principal, Action.APPROVE, note)
    notices.tell(session, claim, person, Use.CLAIM_APPROVED)
    return claim


def pay_claim(
    session: Session, reference: str, data: PayIn, principal: Principal, today: dt.date | None = None
) -> Claim:
    """Record the payment, and the compensation owed if it is later than the SLA deadline.

    Raises:
        Conflict: not approved.
        InvalidInput: a payment date in the future or before the documents were complete.
    """
    today = today or dt.date.today()
    claim, person = find_claim(session, reference, principal, lock=True)
    next_status(ClaimStatus(claim.status), Action.PAY)
    if claim.complete_on is None or claim.sla_due_on is None:  # approved claims always have them
        raise NoClock()
    if repo.open_request(session, claim.id) is not None:
        raise WaitingDocuments()
    if not claim.complete_on <= data.paid_on <= today:
        raise DateOutOfRange("paid_on", DateOutOfRange.PAID, complete=claim.complete_on.isoformat())
    late = late_payment(Program(claim.program), claim.amount, claim.sla_due_on, data.paid_on)
    claim.paid_on, claim.paid_amount, claim.payment_ref = data.paid_on, claim.amount, data.payment_ref
    claim.days_late, claim.late_compensation = late.days_late, late.compensation
    assessment = json.loads(claim.assessment)
    assessment["late_payment"] = late.as_dict()
    claim.assessment = to_json(assessment)
    note = f"{late.days_late} days late, compensation Rp{late.compensation:,}" if late.days_late else "on time"
    _move(session, claim, principal, Action.PAY, note)
    notices.tell(session, claim, person, Use.CLAIM_PAID)
    return claim


def reject_claim(session: Session, reference: str, data: RejectIn, principal: Principal) -> Claim:
    """Reject an open claim with the reason given to the family.

    Raises:
        Conflict: the claim is already paid or rejected.
    """
    claim, _ = find_claim(session, reference, principal, lock=True)
    next_status(ClaimStatus(claim.status), Action.REJECT)
    claim.rejection_reason = data.reason.strip()
    _move(session, claim, principal, Action.REJECT, claim.rejection_reason)
    return claim


def record_handover(session: Session, reference: str, data: HandoverIn, principal: Principal) -> ClaimHandover:
    """Record a public handover of a paid benefit.

    Raises:
        Conflict: the claim is not paid.
        InvalidInput: a handover before the payment date, or an amount above what was paid.
    """
    claim, _ = find_claim(session, reference, principal, lock=True)
    if claim.status != ClaimStatus.PAID or claim.paid_on is None:
        raise NotPaid()
    if data.held_on < claim.paid_on:
        raise DateOutOfRange("held_on", DateOutOfRange.HELD)
    paid = (claim.paid_amount or 0) + (claim.late_compensation or 0)
    if data.amount is not None and data.amount > paid:
        raise HandoverAmountTooHigh(paid)
    handover = ClaimHandover(
        claim_id=claim.id,
        event_name=data.event_name.strip(),
        held_on=data.held_on,
        place=data.place.strip(),
        received_by=data.received_by.strip(),
        received_relationship=data.received_relationship,
        amount=data.amount or paid,
        handed_by=data.handed_by.strip(),
        witnesses="\n".join(w.strip() for w in data.witnesses if w.strip()),
        recorded_by=principal.username,
    )
    repo.add(session, handover)
    record_event(session, claim, principal, "handover", claim.status, f"{handover.event_name}, {handover.place}")
    return handover
