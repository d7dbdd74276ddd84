"""Compliance cases: from findings to resolution along the PP 86/2013 ladder, each step dated and attributed.

Which step may follow which is the explicit table :data:`NEXT_STEPS`; a step the table does not allow (a fine
before any warning) is refused with the reason. Warnings run 10 *working* days (``jangkau.kit.workdays``, with
public holidays), the fine 30 days; the next rung can be taken only once the previous one has expired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.compliance import repository as repo
from jangkau.compliance.errors import (
    CaseEnded,
    CaseNotFound,
    CaseOpen,
    FindingsUnusable,
    StepDateInvalid,
    StepFieldMissing,
    StepOutOfOrder,
    StepTooEarly,
)
from jangkau.compliance.models import Case, CaseStep, Finding
from jangkau.compliance.rules import amounts, obligations
from jangkau.compliance.schemas import CaseIn, StepIn
from jangkau.compliance.service import employer_or_404, finding_dict
from jangkau.i18n import pgettext
from jangkau.kit import workdays
from jangkau.kit.months import Month
from jangkau.rules import Trail

SIDE_STEPS = frozenset({"joint_visit", "skk", "payment", "note"})
ENDINGS = frozenset({"resolved", "closed"})
NEXT_STEPS: dict[str, frozenset[str]] = {
    "assessment": frozenset({"warning_1"}) | SIDE_STEPS | ENDINGS,
    "warning_1": frozenset({"warning_2"}) | SIDE_STEPS | ENDINGS,
    "warning_2": frozenset({"fine"}) | SIDE_STEPS | ENDINGS,
    "fine": frozenset({"tmp2t"}) | SIDE_STEPS | ENDINGS,
    "tmp2t": SIDE_STEPS | ENDINGS,
    "resolved": frozenset(),
    "closed": frozenset(),
}
# What each rung needs before it (for the message when a step comes too early in the ladder).
LADDER = ("assessment", "warning_1", "warning_2", "fine", "tmp2t")


def step_names(lang: str) -> dict[str, str]:
    """Each step's name in ``lang`` (the catalog's "case step" context)."""
    return {
        "assessment": pgettext("case step", "assessment", lang),
        "warning_1": pgettext("case step", "written warning I", lang),
        "warning_2": pgettext("case step", "written warning II", lang),
        "fine": pgettext("case step", "fine", lang),
        "tmp2t": pgettext("case step", "recommended sanction: no access to certain public services (TMP2T)", lang),
        "resolved": pgettext("case step", "resolved (compliant)", lang),
        "closed": pgettext("case step", "closed", lang),
        "joint_visit": pgettext("case step", "joint visit", lang),
        "skk": pgettext("case step", "SKK to the public prosecutor", lang),
        "payment": pgettext("case step", "contribution payment", lang),
        "note": pgettext("case step", "note", lang),
    }


STEP_NAMES_ID = step_names("id")
FINDING_END = {"resolved": "resolved", "closed": "dismissed"}


def case_or_404(session: Session, case_id: int, scope: Iterable[str], lock: bool = False) -> Case:
    """The case if it lies in ``scope``.

    Raises:
        NotFound: no such case in the caller's territory.
    """
    found = repo.case(session, case_id, scope, lock)
    if found is None:
        raise CaseNotFound(case_id)
    return found


def open_case(session: Session, data: CaseIn, principal: Principal, today: dt.date | None = None) -> dict[str, Any]:
    """Open a case at the assessment step on open findings of one employer.

    Raises:
        NotFound: the employer is outside the caller's territory.
        InvalidInput: no open finding to take, or a finding that is not open or is in another case.
        Conflict: the employer already has an open case (its id is in the details).
    """
    employer = employer_or_404(session, data.employer_id, principal.scope)
    on = data.on_date or today or dt.date.today()
    current = repo.cases_of(session, employer.id, open_only=True)
    if current:
        raise CaseOpen(employer.name, current[0].id)
    findings = _findings_for_case(session, employer.id, data.finding_ids)
    case: Case = repo.add(
        session,
        Case(
            employer_id=employer.id,
            region_code=employer.village_code,
            status="assessment",
            opened_on=on,
            owed_per_month=_owed_per_month(findings),
            opened_by=principal.username,
        ),
    )
    for finding in findings:
        finding.case_id = case.id
    repo.add(
        session, CaseStep(case_id=case.id, kind="assessment", on_date=on, note=data.note, actor=principal.username)
    )
    audit.record(session, principal, "create", "compliance_case", case.id, region_code=case.region_code)
    return case_view(session, case.id, principal.scope)


def _findings_for_case(session: Session, employer_id: int, ids: list[int]) -> list[Finding]:
    chosen = (
        list(repo.findings_by_ids(session, employer_id, ids)) if ids else list(repo.open_findings(session, employer_id))
    )
    unknown = set(ids) - {f.id for f in chosen}
    if unknown:
        raise FindingsUnusable(FindingsUnusable.NOT_OF_EMPLOYER, ids=sorted(unknown))
    unusable = [f.id for f in chosen if f.status != "open" or f.case_id is not None]
    if unusable:
        raise FindingsUnusable(FindingsUnusable.CLOSED, ids=unusable)
    if not chosen:
        raise FindingsUnusable(FindingsUnusable.NONE_OPEN)
    return chosen


def _owed_per_month(findings: Iterable[Finding]) -> int:
    """Unpaid a month: the latest finding of each kind and subject (monthly scans repeat the same finding)."""
    latest: dict[tuple[str, str], Finding] = {}
    for f in sorted(findings, key=lambda x: x.month):
        latest[(f.kind, f.subject)] = f
    return sum(f.unpaid_per_month for f in latest.values())


def _owed_months(findings: Iterable[Finding], on: Month) -> list[tuple[Month, int]]:
    """Each month in arrears with what was unpaid in it: from a finding's first month to ``on``."""
    first: dict[tuple[str, str], Month] = {}
    latest: dict[tuple[str, str], int] = {}
    for f in sorted(findings, key=lambda x: x.month):
        key = (f.kind, f.subject)
        first.setdefault(key, Month.of(f.month))
        latest[key] = f.unpaid_per_month
    out: list[tuple[Month, int]] = []
    for key, start in first.items():
        out.extend((start.plus(i), latest[key]) for i in range(max(0, on.minus(start)) + 1))
    return out


def _refuse_order(case: Case, kind: str) -> None:
    if kind in NEXT_STEPS[case.status]:
        return
    if case.status in ENDINGS:
        raise CaseEnded(case.id, case.status, STEP_NAMES_ID[case.status])
    needed = LADDER[LADDER.index(kind) - 1] if kind in LADDER else case.status
    raise StepOutOfOrder(case.id, kind, needed, case.status, STEP_NAMES_ID)


def _refuse_early(case: Case, kind: str, on: dt.date) -> None:
    """The next rung only once the previous rung's deadline has passed."""
    if kind in {"warning_2", "fine", "tmp2t"} and case.deadline is not None and on <= case.deadline:
        raise StepTooEarly(case.status, kind, case.deadline, case.deadline + dt.timedelta(days=1), STEP_NAMES_ID)


def _check_dates(session: Session, case: Case, on: dt.date, today: dt.date) -> None:
    if on > today:
        raise StepDateInvalid(StepDateInvalid.FUTURE, on=on)
    last = repo.steps(session, case.id)[-1].on_date
    if on < last:
        raise StepDateInvalid(StepDateInvalid.BEFORE_LAST, last=last)


def _check_fields(data: StepIn) -> None:
    if data.kind == "payment" and not data.amount:
        raise StepFieldMissing("amount", StepFieldMissing.AMOUNT)
    if data.kind == "joint_visit" and not data.partner:
        raise StepFieldMissing("partner", StepFieldMissing.PARTNER)


def add_step(
    session: Session, case_id: int, data: StepIn, principal: Principal, today: dt.date | None = None
) -> dict[str, Any]:
    """Record the next step of a case: a warning, the fine, TMP2T, a joint visit, SKK, a payment, the end.

    Warnings get a deadline 10 working days on (public holidays counted out); the fine is 0.1 % a month of the
    contributions owed (PP 86/2013), due within 30 days.

    Raises:
        NotFound: no such case in the caller's territory.
        InvalidInput: a step out of order (a fine before any warning), too early, dated in the future or before the
            last step, or missing its amount or partner.
    """
    today = today or dt.date.today()
    case = case_or_404(session, case_id, principal.scope, lock=True)
    on = data.on_date or today
    _refuse_order(case, data.kind)
    _refuse_early(case, data.kind, on)
    _check_dates(session, case, on, today)
    _check_fields(data)
    before = {"status": case.status, "deadline": case.deadline}
    step = CaseStep(
        case_id=case.id, kind=data.kind, on_date=on, note=data.note, partner=data.partner, actor=principal.username
    )
    _apply(session, case, step, data, on)
    repo.add(session, step)
    audit.record(
        session,
        principal,
        "update",
        "compliance_case",
        case.id,
        region_code=case.region_code,
        before=before,
        after={"step": data.kind, "status": case.status, "deadline": case.deadline},
    )
    return case_view(session, case.id, principal.scope)


def _apply(session: Session, case: Case, step: CaseStep, data: StepIn, on: dt.date) -> None:
    trail = Trail()
    rule = obligations.sanctions(trail)
    if data.kind in ("warning_1", "warning_2"):
        step.deadline = workdays.add_working_days(on, rule.warning_working_days)
    elif data.kind == "fine":
        step.amount = amounts.fine(
            _owed_months(repo.findings_of_case(session, case.id), Month.of(on)), Month.of(on), trail
        )
        step.deadline = on + dt.timedelta(days=rule.fine_window_days)
        case.fine_amount = step.amount
    elif data.kind == "payment":
        step.amount = data.amount
        case.recovered += data.amount or 0
    elif data.kind == "skk":
        step.partner = data.partner or "Kejaksaan Negeri"
    if data.kind not in SIDE_STEPS:
        case.status = data.kind
        case.deadline = step.deadline
    if data.kind in ENDINGS:
        case.closed_on = on
        for finding in repo.findings_of_case(session, case.id):
            finding.status = FINDING_END[data.kind]


def step_dict(step: CaseStep) -> dict[str, Any]:
    return {
        "id": step.id,
        "kind": step.kind,
        "name_id": STEP_NAMES_ID[step.kind],
        "on_date": step.on_date.isoformat(),
        "deadline": step.deadline.isoformat() if step.deadline else None,
        "amount": step.amount,
        "partner": step.partner,
        "note": step.note,
        "actor": step.actor,
    }


def case_view(session: Session, case_id: int, scope: Iterable[str]) -> dict[str, Any]:
    """A case with its employer, findings, steps, documents and the steps that may come next.

    Raises:
        NotFound: no such case in ``scope``.
    """
    case = case_or_404(session, case_id, scope)
    employer = employer_or_404(session, case.employer_id, scope)
    trail = Trail()
    obligations.sanctions(trail)
    return {
        "id": case.id,
        "status": case.status,
        "status_id": STEP_NAMES_ID[case.status],
        "opened_on": case.opened_on.isoformat(),
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "owed_per_month": case.owed_per_month,
        "fine_amount": case.fine_amount,
        "recovered": case.recovered,
        "employer": {
            "id": employer.id,
            "name": employer.name,
            "registration_number": employer.registration_number,
            "address": employer.address,
            "village_code": employer.village_code,
        },
        "findings": [finding_dict(f) for f in repo.findings_of_case(session, case.id)],
        "steps": [step_dict(s) for s in repo.steps(session, case.id)],
        "documents": [
            {
                "id": d.id,
                "kind": d.kind,
                "file_name": d.file_name,
                "sha256": d.sha256,
                "size": d.size,
                "created_by": d.created_by,
                "created_at": d.created_at.isoformat(),
                "step_id": d.step_id,
            }
            for d in repo.documents(session, case.id)
        ],
        "next_steps": sorted(NEXT_STEPS[case.status]),
        **trail.as_dict(),
    }
