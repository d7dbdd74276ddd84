"""The daily hire check: track whether hired workers were registered, and turn a hire still unregistered 30 days
after its start date into a compliance finding (PDS TK) through compliance's ``record_finding``.

Idempotent: a hire found registered or turned into a finding leaves the "waiting" state, so a rerun (the same
day or later) does not touch it again; ``record_finding`` is itself keyed by employer, kind, month and subject
(``hire:<id>``), so even a crash between the two writes cannot duplicate a finding. Each chunk of hires is one
transaction; a rerun simply continues with the hires still waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.compliance.schemas import FindingIn
from jangkau.compliance.service import record_finding
from jangkau.errors import InvalidInput
from jangkau.i18n import N_, bilingual
from jangkau.jobs import repository as repo
from jangkau.jobs.applications.service import REGISTRATION_DAYS, REGISTRATION_RULE
from jangkau.jobs.models import Hire
from jangkau.kit.money import format_rupiah
from jangkau.registry import repository as registry

Units = Callable[[], AbstractContextManager[Session]]
DEFAULT_CHUNK = 200


@dataclass
class HireCheck:
    """What one run of the daily hire check did."""

    day: dt.date
    checked: int = 0
    registered: int = 0
    findings: int = 0
    still_waiting: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rule(self) -> str:
        return REGISTRATION_RULE

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "checked": self.checked,
            "registered": self.registered,
            "findings": self.findings,
            "still_waiting": self.still_waiting,
            "errors": self.errors,
            "rule": REGISTRATION_RULE,
        }


def finding_for(hire: Hire) -> FindingIn:
    """The PDS TK finding for a hire not registered within 30 days (one worker, at the wage offered)."""
    start, due = hire.start_date.isoformat(), hire.due_on.isoformat()
    summary, summary_id = bilingual(
        N_(
            "Worker hired through the job board, starting %(start)s, not registered within %(days)s days "
            "(due %(due)s; PP 45/2015); wage offered %(wage)s"
        ),
        start=start,
        days=REGISTRATION_DAYS,
        due=due,
        wage=format_rupiah(hire.wage),
    )
    return FindingIn(
        employer_id=hire.employer_id,
        kind="pds_tk",
        month=hire.due_on,
        subject=f"hire:{hire.id}",
        summary=summary,
        summary_id=summary_id,
        evidence={
            "source": "jobs",
            "hire_id": hire.id,
            "application_id": hire.application_id,
            "start_date": start,
            "due_on": due,
            "wage": hire.wage,
            "rule": REGISTRATION_RULE,
        },
        workers=1,
        wage=hire.wage,
    )


def _check_one(session: Session, hire: Hire, day: dt.date, result: HireCheck, principal: Principal) -> None:
    membership = registry.open_membership(session, hire.person_id, "pu", hire.employer_id)
    if membership is not None:
        hire.status, hire.membership_id, hire.registered_on = "registered", membership.id, day
        result.registered += 1
    elif hire.due_on < day:
        try:
            with session.begin_nested():
                finding = record_finding(session, finding_for(hire), principal, origin="jobs")
        except InvalidInput as exc:
            result.errors.append({"hire_id": hire.id, "error": exc.message})
            return
        hire.status, hire.finding_id = "finding", int(finding["id"])
        result.findings += 1
    else:
        result.still_waiting += 1
    session.flush()


def check_hires(
    units: Units, day: dt.date | None = None, chunk_size: int = DEFAULT_CHUNK, principal: Principal = OPERATOR
) -> HireCheck:
    """Check every hire still waiting for registration, one transaction per chunk.

    Args:
        units: opens a unit of work (``jangkau.db.session.unit`` in production).
        day: the day of the check (default today): a hire due before it and not registered becomes a finding.
        chunk_size: hires per transaction.
        principal: who records the findings (the audit log names it).

    Returns:
        How many hires were checked, found registered, turned into findings, or are still within their 30 days.
    """
    day = day or dt.date.today()
    result = HireCheck(day)
    after = 0
    while True:
        with units() as session:
            hires = repo.waiting_hires(session, after, chunk_size)
            for hire in hires:
                _check_one(session, hire, day, result, principal)
            result.checked += len(hires)
        if len(hires) < chunk_size:
            return result
        after = hires[-1].id
