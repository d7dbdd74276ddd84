"""All SQL of the jobs domain. Every read that returns people (seekers, applicants, requests) filters by scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from jangkau.jobs.models import (
    Announcement,
    Application,
    ApplicationEvent,
    Hire,
    Seeker,
    SeekerSkill,
    ServiceRequest,
    ServiceRequestEvent,
    Training,
    TrainingSignup,
    Vacancy,
    VacancySkill,
)
from jangkau.kit.pagination import Page, PageRequest
from jangkau.regions.repository import scope_filter
from jangkau.registry.models import Employer, Person

T = TypeVar("T")
EVERYWHERE = ("",)


def add(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row


def _everywhere(scope: Iterable[str]) -> bool:
    return "" in tuple(scope)


# --- seekers -------------------------------------------------------------------------------------------------


def seeker_of_person(session: Session, person_id: int) -> Seeker | None:
    return session.scalars(select(Seeker).where(Seeker.person_id == person_id)).first()


def seeker_in_scope(session: Session, seeker_id: int, scope: Iterable[str]) -> tuple[Seeker, Person] | None:
    """The seeker and their person if the person lives inside ``scope`` (else None, as if absent)."""
    row = session.execute(
        select(Seeker, Person)
        .join(Person, Person.id == Seeker.person_id)
        .where(Seeker.id == seeker_id, scope_filter(Person.village_code, scope))
    ).first()
    return None if row is None else (row[0], row[1])


def replace_seeker_skills(session: Session, seeker_id: int, skills: list[str]) -> None:
    session.execute(delete(SeekerSkill).where(SeekerSkill.seeker_id == seeker_id))
    if skills:
        session.execute(insert(SeekerSkill), [{"seeker_id": seeker_id, "skill": s} for s in skills])


def list_seekers(
    session: Session, scope: Iterable[str], page: PageRequest, skill: str | None = None, district: str | None = None
) -> Page[Any]:
    """Looking seekers inside ``scope``, optionally with a skill and preferring a kecamatan, newest first."""
    conditions = [scope_filter(Person.village_code, scope), Seeker.availability != "not_looking"]
    if skill:
        conditions.append(Seeker.id.in_(select(SeekerSkill.seeker_id).where(SeekerSkill.skill == skill)))
    if district:
        conditions.append(Seeker.preferred_districts.like(f"%{district}%"))
    base = select(Seeker, Person).join(Person, Person.id == Seeker.person_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(Seeker.id.desc()).offset(page.offset).limit(page.size)).all()
    return Page([(r[0], r[1]) for r in rows], total, page)


def seeker_candidates(session: Session, skills: list[str], scope: Iterable[str]) -> Sequence[Any]:
    """(id, skills, preferred districts, expected wage) of looking seekers in scope sharing a skill.

    The skill index (``jobs_seeker_skill`` keyed by skill) finds them without scanning every seeker.
    """
    sharing = select(SeekerSkill.seeker_id).where(SeekerSkill.skill.in_(skills))
    query = select(Seeker.id, Seeker.skills, Seeker.preferred_districts, Seeker.expected_wage).where(
        Seeker.id.in_(sharing), Seeker.availability != "not_looking"
    )
    if not _everywhere(scope):
        query = query.join(Person, Person.id == Seeker.person_id).where(scope_filter(Person.village_code, scope))
    return session.execute(query).all()


def seekers_with_people(session: Session, ids: Sequence[int]) -> dict[int, tuple[Seeker, Person]]:
    if not ids:
        return {}
    rows = session.execute(
        select(Seeker, Person).join(Person, Person.id == Seeker.person_id).where(Seeker.id.in_(ids))
    ).all()
    return {r[0].id: (r[0], r[1]) for r in rows}


# --- vacancies -----------------------------------------------------------------------------------------------


def vacancy(session: Session, vacancy_id: int) -> Vacancy | None:
    return session.get(Vacancy, vacancy_id)


def replace_vacancy_skills(session: Session, vacancy_id: int, skills: list[str]) -> None:
    session.execute(delete(VacancySkill).where(VacancySkill.vacancy_id == vacancy_id))
    if skills:
        session.execute(insert(VacancySkill), [{"vacancy_id": vacancy_id, "skill": s} for s in skills])


def search_vacancies(
    session: Session,
    page: PageRequest,
    *,
    text: str | None = None,
    region: str | None = None,
    skill: str | None = None,
    employer_id: int | None = None,
    status: str | None = "open",
) -> Page[Any]:
    """Vacancies with their employer, newest first: by words in the title or sector, region prefix, skill."""
    conditions: list[Any] = []
    if status:
        conditions.append(Vacancy.status == status)
    if text:
        term = f"%{text.strip().lower()}%"
        conditions.append(or_(func.lower(Vacancy.title).like(term), func.lower(Vacancy.sector).like(term)))
    if region:
        conditions.append(scope_filter(Vacancy.district_code, [region]))
    if skill:
        conditions.append(Vacancy.id.in_(select(VacancySkill.vacancy_id).where(VacancySkill.skill == skill)))
    if employer_id is not None:
        conditions.append(Vacancy.employer_id == employer_id)
    base = select(Vacancy, Employer).join(Employer, Employer.id == Vacancy.employer_id).where(*conditions)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(Vacancy.id.desc()).offset(page.offset).limit(page.size)).all()
    return Page([(r[0], r[1]) for r in rows], total, page)


def vacancy_candidates(session: Session, skills: list[str]) -> Sequence[Any]:
    """(id, skills, district, monthly wage) of open vacancies sharing a skill, found through the skill index."""
    sharing = select(VacancySkill.vacancy_id).where(VacancySkill.skill.in_(skills))
    return session.execute(
        select(Vacancy.id, Vacancy.skills, Vacancy.district_code, Vacancy.monthly_wage).where(
            Vacancy.id.in_(sharing), Vacancy.status == "open"
        )
    ).all()


def vacancies_with_employers(session: Session, ids: Sequence[int]) -> dict[int, tuple[Vacancy, Employer]]:
    if not ids:
        return {}
    rows = session.execute(
        select(Vacancy, Employer).join(Employer, Employer.id == Vacancy.employer_id).where(Vacancy.id.in_(ids))
    ).all()
    return {r[0].id: (r[0], r[1]) for r in rows}


def employer(session: Session, employer_id: int) -> Employer | None:
    return session.get(Employer, employer_id)


# --- applications and hires ----------------------------------------------------------------------------------


def application(session: Session, application_id: int) -> Application | None:
    return session.get(Application, application_id)


def application_of(session: Session, vacancy_id: int, seeker_id: int) -> Application | None:
    return session.scalars(
        select(Application).where(Application.vacancy_id == vacancy_id, Application.seeker_id == seeker_id)
    ).first()


def applications_of_vacancy(session: Session, vacancy_id: int, scope: Iterable[str]) -> list[Any]:
    """(application, seeker, person) of one vacancy, for applicants inside ``scope``."""
    rows = session.execute(
        select(Application, Seeker, Person)
        .join(Seeker, Seeker.id == Application.seeker_id)
        .join(Person, Person.id == Seeker.person_id)
        .where(Application.vacancy_id == vacancy_id, scope_filter(Person.village_code, scope))
        .order_by(Application.score.desc(), Application.id)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def applications_of_seeker(session: Session, seeker_id: int) -> list[Any]:
    rows = session.execute(
        select(Application, Vacancy, Employer)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .where(Application.seeker_id == seeker_id)
        .order_by(Application.id.desc())
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def events_of(session: Session, application_id: int) -> Sequence[ApplicationEvent]:
    return session.scalars(
        select(ApplicationEvent).where(ApplicationEvent.application_id == application_id).order_by(ApplicationEvent.id)
    ).all()


def hired_count(session: Session, vacancy_id: int) -> int:
    return int(
        session.scalar(select(func.count()).where(Application.vacancy_id == vacancy_id, Application.status == "hired"))
        or 0
    )


def hire(session: Session, hire_id: int) -> Hire | None:
    return session.get(Hire, hire_id)


def hires(session: Session, employer_id: int | None, scope: Iterable[str], status: str | None = None) -> list[Any]:
    """(hire, person, employer) of one employer (or all), for workers inside ``scope``, oldest due first."""
    conditions = [scope_filter(Person.village_code, scope)]
    if employer_id is not None:
        conditions.append(Hire.employer_id == employer_id)
    if status:
        conditions.append(Hire.status == status)
    rows = session.execute(
        select(Hire, Person, Employer)
        .join(Person, Person.id == Hire.person_id)
        .join(Employer, Employer.id == Hire.employer_id)
        .where(*conditions)
        .order_by(Hire.due_on, Hire.id)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def waiting_hires(session: Session, after_id: int, limit: int) -> Sequence[Hire]:
    return session.scalars(
        select(Hire).where(Hire.status == "waiting", Hire.id > after_id).order_by(Hire.id).limit(limit)
    ).all()


# --- training and announcements ------------------------------------------------------------------------------


def trainings(session: Session, today: dt.date, limit: int = 50) -> Sequence[Training]:
    """Programmes that have not ended, soonest first."""
    return session.scalars(
        select(Training).where(Training.ends_on >= today).order_by(Training.starts_on, Training.id).limit(limit)
    ).all()


def training(session: Session, training_id: int) -> Training | None:
    return session.get(Training, training_id)


def take_seat(session: Session, training_id: int) -> bool:
    """Take one seat if one is free, in a single conditional UPDATE (safe under concurrent sign-ups)."""
    result = session.execute(
        update(Training)
        .where(Training.id == training_id, Training.seats_taken < Training.seats)
        .values(seats_taken=Training.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def signup_of(session: Session, training_id: int, person_id: int) -> TrainingSignup | None:
    return session.scalars(
        select(TrainingSignup).where(TrainingSignup.training_id == training_id, TrainingSignup.person_id == person_id)
    ).first()


def signups_of_person(session: Session, person_id: int) -> list[Any]:
    rows = session.execute(
        select(TrainingSignup, Training)
        .join(Training, Training.id == TrainingSignup.training_id)
        .where(TrainingSignup.person_id == person_id)
        .order_by(Training.starts_on)
    ).all()
    return [(r[0], r[1]) for r in rows]


def announcements(session: Session, today: dt.date, limit: int = 20) -> Sequence[Announcement]:
    """Announcements published by ``today`` and still visible, newest first."""
    return session.scalars(
        select(Announcement)
        .where(
            Announcement.published_on <= today,
            or_(Announcement.visible_until.is_(None), Announcement.visible_until >= today),
        )
        .order_by(Announcement.published_on.desc(), Announcement.id.desc())
        .limit(limit)
    ).all()


# --- labour-service requests ---------------------------------------------------------------------------------


def request_by_code(session: Session, code: str) -> ServiceRequest | None:
    return session.scalars(select(ServiceRequest).where(ServiceRequest.tracking_code == code)).first()


def request_in_scope(session: Session, request_id: int, scope: Iterable[str]) -> ServiceRequest | None:
    return session.scalars(
        select(ServiceRequest).where(ServiceRequest.id == request_id, scope_filter(ServiceRequest.region_code, scope))
    ).first()


def requests(
    session: Session, scope: Iterable[str], *, open_only: bool = True, person_id: int | None = None
) -> Sequence[ServiceRequest]:
    conditions = [scope_filter(ServiceRequest.region_code, scope)]
    if open_only:
        conditions.append(ServiceRequest.is_open.is_(True))
    if person_id is not None:
        conditions.append(ServiceRequest.person_id == person_id)
    return session.scalars(select(ServiceRequest).where(*conditions).order_by(ServiceRequest.id)).all()


def request_events(session: Session, request_id: int) -> Sequence[ServiceRequestEvent]:
    return session.scalars(
        select(ServiceRequestEvent).where(ServiceRequestEvent.request_id == request_id).order_by(ServiceRequestEvent.id)
    ).all()
