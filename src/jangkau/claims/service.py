"""Claims use cases: quote and file a claim, show one, list the officer's queue. Services never commit.

The workflow steps after filing (documents, verify, approve, pay, reject, handover) are in ``process.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.claims import notices
from jangkau.claims import repository as repo
from jangkau.claims.errors import (
    ClaimNotFound,
    DuplicateClaim,
    JhtPartialRefused,
    MembershipNotOfPerson,
    NoMembership,
    PersonNotFound,
)
from jangkau.claims.models import Claim, ClaimDocumentRequest, ClaimEvent, ClaimHeir
from jangkau.claims.rules.eligibility import Assessment, assess
from jangkau.claims.rules.facts import ClaimFacts, Ledger
from jangkau.claims.rules.heirs import Heir
from jangkau.claims.rules.kinds import TO_HEIRS, ClaimBenefit, ReporterKind, parse_kind
from jangkau.claims.rules.ruledata import checklist
from jangkau.claims.rules.sla import late_payment
from jangkau.claims.rules.workflow import OPEN, STATUS_ID, ClaimStatus
from jangkau.claims.schemas import ClaimIn, ClaimQueueRowRead, ClaimRead
from jangkau.clikit import to_json
from jangkau.errors import JangkauError
from jangkau.funding import jht as funding_jht
from jangkau.funding import repository as funding_repo
from jangkau.funding.service import membership_coverage
from jangkau.kit.months import Month
from jangkau.kit.workdays import count_working_days
from jangkau.notify.templates import Use
from jangkau.registry import access as registry_access
from jangkau.registry import repository as registry_repo
from jangkau.registry.models import Membership, Person
from jangkau.registry.nik import clean_nik
from jangkau.rules import Program, parse_programs

_REPORTER = {
    Role.FIELD_AGENT: ReporterKind.AGENT,
    Role.WORKER: ReporterKind.WORKER,
    Role.EMPLOYER: ReporterKind.EMPLOYER,
}


def own_claims_only(principal: Principal) -> int | None:
    """The user whose filed claims are the only ones a worker or employer may see (None: all in scope)."""
    if principal.role in (Role.WORKER, Role.EMPLOYER) and not principal.can(Permission.CLAIMS_PROCESS):
        return principal.user_id if principal.user_id is not None else -1
    return None


def claims_scope(principal: Principal) -> tuple[str, ...]:
    """The territory to filter claims by: a reporter's own claims are found wherever the worker lives."""
    return ("",) if own_claims_only(principal) is not None else principal.scope


def find_claim(session: Session, reference: str, principal: Principal, lock: bool = False) -> tuple[Claim, Person]:
    """The claim if the caller may see it.

    Raises:
        NotFound: no such claim, or outside the caller's territory (the same answer).
    """
    own = own_claims_only(principal)
    found = repo.claim_by_reference(session, reference.strip().upper(), claims_scope(principal), own, lock)
    if found is None:
        raise ClaimNotFound(reference)
    return found


def find_person(session: Session, nik: str, principal: Principal) -> Person:
    """The person with ``nik`` if the caller may see them (territory or ownership); the read is audited.

    Raises:
        NotFound: no such NIK among the people the caller may see.
    """
    person = registry_access.visible_person_by_nik(session, principal, clean_nik(nik))
    if person is None:
        raise PersonNotFound()
    audit.record(session, principal, "read", "person", person.id, region_code=person.village_code)
    return person


def _covers(membership: Membership, program: Program) -> bool:
    if program is Program.JKP:
        return membership.segment == "pu"
    return program.value in membership.programs.split(",")


def pick_membership(
    memberships: Sequence[Membership], program: Program, event_date: dt.date, membership_id: int | None
) -> Membership:
    """The membership a claim is assessed on: the one asked for, else the latest one started by the event date
    that includes the programme, else the latest started, else the first.

    Raises:
        InvalidInput: the person has no membership at all, or ``membership_id`` is not theirs.
    """
    if not memberships:
        raise NoMembership()
    if membership_id is not None:
        chosen = [m for m in memberships if m.id == membership_id]
        if not chosen:
            raise MembershipNotOfPerson()
        return chosen[0]
    started = sorted((m for m in memberships if m.start_date <= event_date), key=lambda m: m.start_date)
    with_programme = [m for m in started if _covers(m, program)]
    return (with_programme or started or sorted(memberships, key=lambda m: m.start_date))[-1]


def ledger_of(session: Session, person: Person, membership: Membership) -> Ledger:
    """The membership, its paid contribution months (``funding_paid_month``), its JHT paid in and paid out."""
    paid = tuple(Month.of(day) for day in funding_repo.paid_months(session, membership.id))
    jht_paid, notes = funding_jht.jht_contributions(session, membership)
    return Ledger(
        membership.id,
        membership.segment,
        parse_programs(membership.programs),
        membership.start_date,
        membership.wage or membership.declared_income,
        paid,
        person.birth_date,
        tuple(jht_paid),
        tuple(repo.jht_paid_out(session, membership.id)),
        tuple(notes),
    )


def facts_from(data: ClaimIn, today: dt.date) -> ClaimFacts:
    program, benefit = parse_kind(data.type, data.benefit)
    return ClaimFacts(
        program,
        benefit,
        data.event_date,
        today,
        heirs=tuple(Heir(h.full_name.strip(), h.relationship.strip().lower(), h.nik, h.birth_date) for h in data.heirs),
        wage=data.wage,
        months_unable=data.months_unable,
        disability_percent=data.disability_percent,
        medical_cost=data.medical_cost,
        children=data.children,
        jht_amount=data.jht_amount,
        jht_trigger=data.jht_trigger,
        previous_partial_claims=data.previous_partial_claims,
        accumulated=data.accumulated,
    )


def quote_claim(
    session: Session, data: ClaimIn, principal: Principal, today: dt.date | None = None, *, require_heirs: bool = False
) -> tuple[Person, Assessment]:
    """Eligibility and amount of a claim without filing it.

    Args:
        data: the claim as reported.
        principal: the caller (the person must be inside their territory).
        today: the filing date (default: today).
        require_heirs: refuse a death benefit without heirs (filing does; a quote does not).

    Returns:
        The person and the assessment (reasons, itemised amount, rules, heirs' shares, documents).

    Raises:
        NotFound: no such NIK in the caller's territory.
        InvalidInput: no membership, an event in the future, heirs outside the legal order, a missing input.
    """
    facts = facts_from(data, today or dt.date.today())
    person = find_person(session, data.nik, principal)
    membership = pick_membership(
        registry_repo.memberships_of(session, person.id), facts.program, facts.event_date, data.membership_id
    )
    return person, assess(facts, ledger_of(session, person, membership), require_heirs=require_heirs)


def record_event(
    session: Session, claim: Claim, principal: Principal, action: str, before: str | None, note: str | None = None
) -> None:
    """A step in the claim's history and in the audit log (same transaction)."""
    repo.add(
        session,
        ClaimEvent(
            claim_id=claim.id,
            actor=principal.username,
            user_id=principal.user_id,
            action=action,
            from_status=before,
            to_status=claim.status,
            note=note,
        ),
    )
    audit.record(
        session,
        principal,
        "create" if before is None else f"claim_{action}",
        "claim",
        claim.reference,
        before=None if before is None else {"status": before},
        after={"status": claim.status, "action": action, "amount": claim.amount, "note": note},
    )


def _refuse_duplicate(existing: Claim) -> DuplicateClaim:
    return DuplicateClaim(existing.reference, existing.status)


def file_claim(session: Session, data: ClaimIn, principal: Principal, today: dt.date | None = None) -> Claim:
    """File a claim: assess it, store it with its heirs, start its history.

    Returns:
        The stored claim (status ``submitted``), with its reference.

    Raises:
        NotFound: no such NIK in the caller's territory.
        InvalidInput: see :func:`quote_claim`; death benefits must name their heirs; a partial JHT claim the
            rules do not allow (under 10 years of membership, or a second one) is refused.
        Conflict: the same claim (person, type, benefit, event date) is already open or paid.
    """
    filed_on = today or dt.date.today()
    person, assessment = quote_claim(session, data, principal, filed_on, require_heirs=True)
    program, benefit = parse_kind(data.type, data.benefit)
    if program is Program.JHT and benefit is not ClaimBenefit.FULL and assessment.eligible is False:
        why = "; ".join(r.message for r in assessment.reasons if r.ok is False)
        why_id = "; ".join(r.message_id for r in assessment.reasons if r.ok is False)
        raise JhtPartialRefused(why, why_id)
    existing = repo.open_duplicate(session, person.id, program.value, benefit.value, data.event_date)
    if existing is not None:
        raise _refuse_duplicate(existing)
    claim = Claim(
        person_id=person.id,
        membership_id=assessment.membership_id,
        program=program.value,
        benefit=benefit.value,
        event_date=data.event_date,
        filed_on=filed_on,
        reporter_kind=(data.reporter_kind or _default_reporter(principal, program, benefit)).value,
        reporter_name=(data.reporter_name or principal.username).strip(),
        reporter_phone=data.reporter_phone,
        filed_by=principal.username,
        filed_by_user_id=principal.user_id,
        inputs=json.dumps(facts_from(data, filed_on).inputs()),
        assessment=to_json(assessment.as_dict()),
        eligible=assessment.eligible,
        amount=assessment.amount,
        status=ClaimStatus.SUBMITTED.value,
    )
    try:
        with session.begin_nested():
            repo.add(session, claim)
    except IntegrityError as exc:  # a concurrent filing of the same claim won the race
        existing = repo.open_duplicate(session, person.id, program.value, benefit.value, data.event_date)
        if existing is None:
            raise
        raise _refuse_duplicate(existing) from exc
    claim.reference = f"KLM-{filed_on.year}-{claim.id:06d}"
    session.flush()
    for share in assessment.heirs.shares if assessment.heirs else []:
        heir = share.heir
        session.add(
            ClaimHeir(
                claim_id=claim.id,
                full_name=heir.full_name,
                nik=heir.nik,
                relationship=heir.relationship,
                birth_date=heir.birth_date,
                rank=share.rank,
                share_bp=share.share_bp,
                amount=share.amount,
            )
        )
    record_event(session, claim, principal, "file", None)
    session.flush()
    notices.tell(session, claim, person, Use.CLAIM_RECEIVED)
    return claim


def _default_reporter(principal: Principal, program: Program, benefit: Any) -> ReporterKind:
    if principal.role is Role.WORKER and (program, benefit) in TO_HEIRS:
        return ReporterKind.HEIR
    return _REPORTER.get(principal.role, ReporterKind.OFFICER)


# --- how a claim is shown (the API body, the page, the CLI) -------------------------------------------------


def _clock_times(claim: Claim, today: dt.date, requests: Sequence[ClaimDocumentRequest]) -> dict[str, Any]:
    """Working days the office has used since the documents were complete, and days waiting for the claimant."""
    if claim.complete_on is None:
        return {"office_days": None, "waiting_days": 0, "waiting_since": None}
    end = claim.paid_on or today
    waiting_since = next((r.requested_on for r in requests if r.arrived_on is None), None)
    waiting = sum(r.paused_days or 0 for r in requests)
    if waiting_since is not None:
        waiting += count_working_days(waiting_since, end)
    office = count_working_days(claim.complete_on, end) - waiting
    return {"office_days": max(office, 0), "waiting_days": waiting, "waiting_since": waiting_since}


def sla_view(claim: Claim, today: dt.date, requests: Sequence[ClaimDocumentRequest] = ()) -> dict[str, Any]:
    """The service-level clock as the officer sees it: deadline, working days left, compensation accruing, and
    the two times: the office's working days and the days waiting for documents asked from the claimant (the
    clock stops while it waits).
    """
    times = _clock_times(claim, today, requests)
    if claim.sla_due_on is None:
        return {"due_on": None, "working_days_left": None, "overdue": False, "compensation_if_paid_today": 0, **times}
    due = claim.sla_due_on
    running = claim.status in OPEN
    now = times["waiting_since"] or today  # the clock stands still while documents are awaited
    left = count_working_days(now, due) if now < due else -count_working_days(due, now)
    owed = late_payment(Program(claim.program), claim.amount, due, now).compensation if running else 0
    return {
        "due_on": due,
        "working_days_left": left if running else None,
        "overdue": running and now > due,
        "compensation_if_paid_today": owed,
        "paused": times["waiting_since"] is not None,
        **times,
    }


def queue_entry(claim: Claim, person: Person, today: dt.date) -> ClaimQueueRowRead:
    """One row of the claims queue."""
    return ClaimQueueRowRead.model_validate(_queue_row(claim, person, today))


def _queue_row(claim: Claim, person: Person, today: dt.date) -> dict[str, Any]:
    return {
        "reference": claim.reference,
        "person_id": claim.person_id,
        "status": claim.status,
        "status_id": STATUS_ID[ClaimStatus(claim.status)],
        "kind": f"{claim.program}.{claim.benefit}",
        "person": person.full_name,
        "village_code": person.village_code,
        "event_date": claim.event_date,
        "filed_on": claim.filed_on,
        "eligible": claim.eligible,
        "amount": claim.amount,
        "sla": sla_view(claim, today),
    }


def _documents(session: Session, claim: Claim) -> list[dict[str, Any]]:
    received = {d.code: d for d in repo.documents_of(session, claim.id)}
    out = []
    for spec in checklist(f"{claim.program}.{claim.benefit}"):
        got = received.get(spec.code)
        out.append(
            {
                **spec.as_dict(),
                "received_on": got.received_on if got else None,
                "received_by": got.received_by if got else None,
            }
        )
    return out


def _coverage_now(session: Session, claim: Claim, today: dt.date) -> dict[str, Any]:
    try:
        found = membership_coverage(session, claim.membership_id, today)
    except JangkauError as exc:  # e.g. a segment without a lapse rule
        return {"status": None, "note": exc.message}
    keys = ("segment", "status", "protected_until", "protected_months", "arrears_months", "registered_status")
    return {k: found.get(k) for k in keys}


def claim_detail(
    session: Session, claim: Claim, person: Person, principal: Principal, today: dt.date | None = None
) -> ClaimRead:
    """Everything about one claim; a full NIK is shown only to roles that read full records (and is audited)."""
    full = principal.can(Permission.REGISTRY_READ_FULL)
    if full:
        audit.record(session, principal, "read_full", "claim", claim.reference, region_code=person.village_code)
    return ClaimRead.masked(_claim_body(session, claim, person, today or dt.date.today()), full_nik=full)


def _claim_body(session: Session, claim: Claim, person: Person, today: dt.date) -> dict[str, Any]:
    requests = repo.document_requests(session, claim.id)
    return {
        "reference": claim.reference,
        "status": claim.status,
        "status_id": STATUS_ID[ClaimStatus(claim.status)],
        "program": claim.program,
        "benefit": claim.benefit,
        "kind": f"{claim.program}.{claim.benefit}",
        "event_date": claim.event_date,
        "filed_on": claim.filed_on,
        "reporter": {"kind": claim.reporter_kind, "name": claim.reporter_name, "filed_by": claim.filed_by},
        "person": {
            "id": person.id,
            "full_name": person.full_name,
            "nik": person.nik,
            "village_code": person.village_code,
        },
        "membership_id": claim.membership_id,
        "eligible": claim.eligible,
        "amount": claim.amount,
        "assessment": json.loads(claim.assessment),
        "heirs": [
            {
                "full_name": h.full_name,
                "nik": h.nik,
                "relationship": h.relationship,
                "rank": h.rank,
                "share_bp": h.share_bp,
                "amount": h.amount,
            }
            for h in repo.heirs_of(session, claim.id)
        ],
        "documents": _documents(session, claim),
        "complete_on": claim.complete_on,
        "sla": sla_view(claim, today, requests),
        "document_requests": [
            {
                "documents": r.documents,
                "requested_on": r.requested_on,
                "requested_by": r.requested_by,
                "arrived_on": r.arrived_on,
                "paused_days": r.paused_days,
            }
            for r in requests
        ],
        "verified_by": claim.verified_by,
        "approved_by": claim.approved_by,
        "paid_on": claim.paid_on,
        "paid_amount": claim.paid_amount,
        "days_late": claim.days_late,
        "late_compensation": claim.late_compensation,
        "payment_ref": claim.payment_ref,
        "rejection_reason": claim.rejection_reason,
        "coverage_now": _coverage_now(session, claim, today),
        "history": [
            {"at": e.at, "actor": e.actor, "action": e.action, "from": e.from_status, "to": e.to_status, "note": e.note}
            for e in repo.events_of(session, claim.id)
        ],
        "handovers": [
            {
                "event_name": h.event_name,
                "held_on": h.held_on,
                "place": h.place,
                "received_by": h.received_by,
                "received_relationship": h.received_relationship,
                "amount": h.amount,
                "handed_by": h.handed_by,
                "witnesses": h.witnesses.split("\n"),
                "recorded_by": h.recorded_by,
            }
            for h in repo.handovers_of(session, claim.id)
        ],
    }


def claims_of_person(session: Session, person: Person, today: dt.date) -> list[ClaimQueueRowRead]:
    """A person's claims as queue rows (status in both languages, SLA), newest event first."""
    return [queue_entry(claim, person, today) for claim in repo.claims_of_person(session, person.id)]


def open_claims_count(session: Session, principal: Principal) -> int:
    """How many claims are open in the caller's queue (the same claims ``/claims`` lists)."""
    from jangkau.kit.pagination import PageRequest

    statuses = sorted(s.value for s in OPEN)
    return repo.queue(session, claims_scope(principal), PageRequest(1, 1), statuses, own_claims_only(principal)).total
