"""How claims are shown: the claim page / API body and the queue rows (NIK masked unless the role reads full)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.claims import repository as repo
from jangkau.claims.models import Claim, ClaimDocumentRequest
from jangkau.claims.ruledata import checklist
from jangkau.claims.sla import late_payment
from jangkau.claims.workflow import OPEN, STATUS_ID, ClaimStatus
from jangkau.errors import JangkauError
from jangkau.funding.service import membership_coverage
from jangkau.kit.masking import mask_nik
from jangkau.kit.workdays import count_working_days
from jangkau.registry.models import Person
from jangkau.rules import Program


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


def queue_row(claim: Claim, person: Person, today: dt.date) -> dict[str, Any]:
    return {
        "reference": claim.reference,
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


def claim_view(
    session: Session, claim: Claim, person: Person, principal: Principal, today: dt.date | None = None
) -> dict[str, Any]:
    """Everything about one claim; a full NIK is shown only to roles that read full records (and is audited)."""
    today = today or dt.date.today()
    full = principal.can(Permission.REGISTRY_READ_FULL)
    if full:
        audit.record(session, principal, "read_full", "claim", claim.reference, region_code=person.village_code)
    show = (lambda nik: nik) if full else mask_nik
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
            "nik": show(person.nik),
            "village_code": person.village_code,
        },
        "membership_id": claim.membership_id,
        "eligible": claim.eligible,
        "amount": claim.amount,
        "assessment": json.loads(claim.assessment),
        "heirs": [
            {
                "full_name": h.full_name,
                "nik": show(h.nik) if h.nik else None,
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
