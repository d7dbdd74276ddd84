"""Applications and their status, and a hire's road to coverage: the employer registers the worker as a wage
earner (PU) with the wage offered, within 30 days of the start date (PP 45/2015; REFERENCE.md §1.2
[S-HUKUMONLINE-PP45, S-KONTAN-PP45]). Services never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import EVERYWHERE, Principal
from jangkau.auth.roles import Permission
from jangkau.compliance.rules import obligations
from jangkau.jobs import access, service
from jangkau.jobs import errors as refusals
from jangkau.jobs import repository as repo
from jangkau.jobs.models import Application, ApplicationEvent, Hire, Seeker
from jangkau.jobs.rules import matching
from jangkau.jobs.schemas import ApplicationIn, ApplicationRead, HireRead, StatusIn
from jangkau.registry import repository as registry
from jangkau.registry.access import registrar_for
from jangkau.registry.schemas import MembershipIn
from jangkau.registry.service import open_membership
from jangkau.rules import Trail

REGISTRATION_DAYS = 30
REGISTRATION_RULE = "PP 45/2015: an employer registers its workers within 30 days [S-HUKUMONLINE-PP45, S-KONTAN-PP45]"

# Where an application may go next; everything else is refused with the reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    "applied": frozenset({"interviewed", "rejected"}),
    "interviewed": frozenset({"hired", "rejected"}),
    "hired": frozenset(),
    "rejected": frozenset(),
}


def _seeker_for(session: Session, data: ApplicationIn, principal: Principal) -> Seeker:
    if principal.can(Permission.JOBS_SEEK) and data.seeker_id is None:
        mine = service.my_seeker(session, principal)
        if mine is None:
            raise refusals.ProfileFirst()
        return mine[0]
    access.require_any(principal, Permission.JOBS_ASSIST, Permission.JOBS_MANAGE, Permission.JOBS_SEEK)
    if data.seeker_id is None:
        raise refusals.SeekerNeeded()
    return service.seeker_or_404(session, data.seeker_id, principal)[0]


def apply(session: Session, data: ApplicationIn, principal: Principal, today: dt.date | None = None) -> dict[str, Any]:
    """Apply to an open vacancy (a worker for themselves, a helper for a seeker in their territory).

    Raises:
        InvalidInput: the vacancy is closed (or past its closing date), or the seeker is not looking.
        Conflict: the seeker already applied to this vacancy.
        NotFound: no such vacancy or seeker.
    """
    today = today or dt.date.today()
    seeker = _seeker_for(session, data, principal)
    vacancy, _ = service.vacancy_or_404(session, data.vacancy_id)
    if vacancy.status != "open" or (vacancy.closes_on is not None and vacancy.closes_on < today):
        raise refusals.VacancyClosed(vacancy.id, vacancy.title)
    if seeker.availability == "not_looking":
        raise refusals.NotLooking()
    if repo.application_of(session, vacancy.id, seeker.id) is not None:
        raise refusals.AlreadyApplied(vacancy.id)
    fit = matching.score(
        matching.split(seeker.skills),
        matching.split(seeker.preferred_districts),
        seeker.expected_wage,
        matching.split(vacancy.skills),
        vacancy.district_code,
        vacancy.monthly_wage,
    )
    application = repo.add(
        session, Application(vacancy_id=vacancy.id, seeker_id=seeker.id, score=fit.total, note=data.note)
    )
    repo.add(session, ApplicationEvent(application_id=application.id, to_status="applied", actor=principal.username))
    audit.record(session, principal, "create", "jobs_application", application.id)
    return {**ApplicationRead.of(application).model_dump(), **fit.as_dict()}


def move(
    session: Session, application_id: int, data: StatusIn, principal: Principal, today: dt.date | None = None
) -> dict[str, Any]:
    """Move an application on (its vacancy's employer or the office). A hire opens the registration task.

    Raises:
        InvalidInput: an impossible transition (e.g. rejected to hired), with the possible next steps.
        NotFound: no such application, or not one the caller may handle.
    """
    today = today or dt.date.today()
    application = repo.application(session, application_id)
    vacancy = repo.vacancy(session, application.vacancy_id) if application else None
    employer = repo.employer(session, vacancy.employer_id) if vacancy else None
    found = (
        repo.seeker_in_scope(session, application.seeker_id, access.vacancy_scope(principal)) if application else None
    )
    if application is None or vacancy is None or employer is None or found is None:
        raise refusals.ApplicationNotFound(application_id)
    if not access.owns_or_manages(principal, employer):
        raise refusals.ApplicationNotFound(application_id)
    if data.status not in TRANSITIONS[application.status]:
        raise refusals.ApplicationTransitionRefused(
            application.status, data.status, sorted(TRANSITIONS[application.status])
        )
    before = application.status
    application.status = data.status
    session.flush()
    repo.add(
        session,
        ApplicationEvent(
            application_id=application.id,
            from_status=before,
            to_status=data.status,
            actor=principal.username,
            note=data.note,
        ),
    )
    audit.record(
        session,
        principal,
        "update",
        "jobs_application",
        application.id,
        before={"status": before},
        after={"status": data.status},
    )
    out: dict[str, Any] = ApplicationRead.of(application).model_dump()
    if data.status == "hired":
        start = data.start_date or today
        hire = repo.add(
            session,
            Hire(
                application_id=application.id,
                employer_id=employer.id,
                person_id=found[1].id,
                wage=vacancy.monthly_wage,
                start_date=start,
                due_on=start + dt.timedelta(days=REGISTRATION_DAYS),
            ),
        )
        if repo.hired_count(session, vacancy.id) >= vacancy.openings:
            vacancy.status = "closed"
            repo.replace_vacancy_skills(session, vacancy.id, [])
        out["hire"] = HireRead.of(hire, found[1], employer, REGISTRATION_RULE).model_dump()
    return out


def history(session: Session, application_id: int) -> list[dict[str, Any]]:
    return [
        {"from": e.from_status, "to": e.to_status, "by": e.actor, "note": e.note, "at": e.at}
        for e in repo.events_of(session, application_id)
    ]


def my_applications(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The signed-in worker's applications, newest first."""
    mine = service.my_seeker(session, principal)
    if mine is None:
        return []
    return [
        {**ApplicationRead.of(a).model_dump(), "title": v.title, "employer": e.name}
        for a, v, e in repo.applications_of_seeker(session, mine[0].id)
    ]


def hire_tasks(session: Session, principal: Principal, status: str | None = None) -> list[dict[str, Any]]:
    """Hires to register: an employer sees its own; the office sees those of workers in its territory."""
    if principal.can(Permission.JOBS_POST) and principal.employer_id is not None:
        rows = repo.hires(session, principal.employer_id, access.vacancy_scope(principal), status)
    else:
        access.require_any(principal, Permission.JOBS_MANAGE)
        rows = repo.hires(session, None, principal.scope, status)
    return [HireRead.of(h, p, e, REGISTRATION_RULE).model_dump() for h, p, e in rows]


def overdue_hires(session: Session, principal: Principal, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Hires of workers in the office's territory not registered by their deadline (waiting, or already a finding)."""
    principal.require(Permission.JOBS_MANAGE)
    rows = repo.hires(session, None, principal.scope, due_before=today or dt.date.today())
    return [HireRead.of(h, p, e, REGISTRATION_RULE).model_dump() for h, p, e in rows]


def register_hire(session: Session, hire_id: int, principal: Principal, today: dt.date | None = None) -> dict[str, Any]:
    """Register a hired worker as a PU member of the employer with the wage offered (the registry's
    ``open_membership``), with the programmes the employer's size requires; an open PU membership with the
    employer that already exists is linked instead.

    Raises:
        NotFound: no such hire, or not one of the caller's (employer) or territory (office).
        Conflict: the hire is already registered.
        InvalidInput: the registry refuses the membership (its reasons are kept).
    """
    today = today or dt.date.today()
    hire = repo.hire(session, hire_id)
    employer = repo.employer(session, hire.employer_id) if hire else None
    if hire is None or employer is None or not access.owns_or_manages(principal, employer):
        raise refusals.HireNotFound(hire_id)
    if hire.status == "registered":
        raise refusals.HireRegistered(hire.id, hire.membership_id)
    trail = Trail()
    programs = sorted(p.value for p in obligations.required_programs(employer.size_class, trail))
    membership = registry.open_membership(session, hire.person_id, "pu", employer.id)
    if membership is None:
        membership = open_membership(
            session,
            MembershipIn(
                person_id=hire.person_id,
                segment="pu",
                programs=programs,
                start_date=hire.start_date,
                employer_id=employer.id,
                wage=hire.wage,
            ),
            registrar_for(principal),
            EVERYWHERE,
        )
    before = hire.status
    hire.status, hire.membership_id, hire.registered_on = "registered", membership.id, today
    session.flush()
    audit.record(
        session,
        principal,
        "update",
        "jobs_hire",
        hire.id,
        before={"status": before},
        after={"status": "registered", "membership_id": membership.id},
    )
    person = registry.person_by_id(session, hire.person_id, EVERYWHERE)
    assert person is not None
    late = today > hire.due_on
    return {
        **HireRead.of(hire, person, employer, REGISTRATION_RULE).model_dump(),
        "programs": membership.programs.split(","),
        "late": late,
        **trail.as_dict(),
    }
