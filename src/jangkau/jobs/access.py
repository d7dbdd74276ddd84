"""Who acts for whom in the jobs domain: a worker for themselves, an agent or the manpower office helping a person,
an employer for its own business. Shared by the services; raises the same errors everywhere.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.jobs import errors as refusals
from jangkau.jobs import repository as repo
from jangkau.jobs.models import Application, Seeker, Vacancy
from jangkau.registry import repository as registry
from jangkau.registry.access import register_owned_persons
from jangkau.registry.models import Employer, Person
from jangkau.registry.nik import clean_nik, require_valid_nik


def _applicants(principal: Principal) -> Select[Any] | None:
    """The people an employer owns through jobs: those who applied to its vacancies."""
    if principal.employer_id is None:
        return None
    vacancies = select(Vacancy.id).where(Vacancy.employer_id == principal.employer_id)
    return (
        select(Seeker.person_id)
        .join(Application, Application.seeker_id == Seeker.id)
        .where(Application.vacancy_id.in_(vacancies))
    )


register_owned_persons(Role.EMPLOYER, _applicants)


def require_any(principal: Principal, *permissions: Permission) -> None:
    """Raise :class:`Forbidden` unless the role has one of ``permissions``."""
    if not any(principal.can(p) for p in permissions):
        principal.require(permissions[0])


def helper_kind(principal: Principal) -> str:
    """How a profile records who keeps it: the worker, a field agent, the office, or the CLI operator."""
    if principal.user_id is None:
        return "operator"
    if principal.role is Role.WORKER:
        return "self"
    if principal.role is Role.FIELD_AGENT:
        return "agent"
    return "office"


def person_for(session: Session, nik: str | None, principal: Principal) -> Person:
    """The person a worker (themselves) or a helper (by NIK, inside their territory) acts for.

    Raises:
        InvalidInput: a NIK that is not valid, or no person with it in the register (inside the territory).
        Forbidden: a worker naming someone else's NIK, or a role that may not act for others.
    """
    if principal.role is Role.WORKER and principal.can(Permission.JOBS_SEEK):
        own = registry.person_by_id(session, principal.person_id or 0, ("",))
        if own is None:
            raise refusals.AccountNotLinked()
        if nik and clean_nik(nik) != own.nik:
            raise refusals.ActOnlyForSelf()
        return own
    require_any(principal, Permission.JOBS_ASSIST, Permission.JOBS_MANAGE)
    if not nik:
        raise refusals.NikNeeded()
    checked = require_valid_nik(nik, "nik")
    person = registry.person_by_nik(session, checked.nik, principal.scope)
    if person is None:
        raise refusals.PersonNotRegistered(checked.nik)
    return person


def employer_for(session: Session, employer_id: int | None, principal: Principal) -> Employer:
    """The employer an employer account (its own) or the manpower office (inside its territory) acts for.

    Raises:
        Forbidden: an employer account naming another employer, or a role that may not post.
        InvalidInput: no employer named, or the account is not linked to one.
        NotFound: the employer is unknown or outside the office's territory.
    """
    if principal.role is Role.EMPLOYER:
        principal.require(Permission.JOBS_POST)
        if principal.employer_id is None:
            raise refusals.EmployerNotLinked()
        if employer_id is not None and employer_id != principal.employer_id:
            raise refusals.ActOnlyForOwnBusiness()
        employer_id = principal.employer_id
    else:
        require_any(principal, Permission.JOBS_MANAGE, Permission.JOBS_POST)
        if employer_id is None:
            raise refusals.EmployerNeeded()
    found = repo.employer(session, employer_id)
    own = principal.role is Role.EMPLOYER  # its own business (checked above), wherever it is
    if found is None or not (own or principal.sees(found.village_code)):
        raise refusals.EmployerNotFound(employer_id)
    return found


def vacancy_scope(principal: Principal) -> tuple[str, ...]:
    """Where to look for the people of a vacancy or hire: an employer's own (already limited to its business), the
    office's territory otherwise."""
    return ("",) if principal.role is Role.EMPLOYER else principal.scope


def owns_or_manages(principal: Principal, employer: Employer) -> bool:
    """Whether the caller may see applicants of ``employer``'s vacancies and move them on."""
    if principal.role is Role.EMPLOYER:
        return principal.can(Permission.JOBS_POST) and principal.employer_id == employer.id
    return principal.can(Permission.JOBS_MANAGE) and principal.sees(employer.village_code)
