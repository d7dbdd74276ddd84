"""All SQL of the jobs domain. Every read that returns people (seekers, applicants, requests) filters by scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import BigInteger, case, delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from jangkau.db.scope import scope_filter
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
from jangkau.jobs.rules import matching
from jangkau.kit.pagination import Page, PageRequest
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


def replace_seeker_skills(session: Session, seeker: Seeker, skills: list[str]) -> None:
    """The seeker's skill rows, each with the copies the ranking reads (looking, expected wage, preferences)."""
    session.execute(delete(SeekerSkill).where(SeekerSkill.seeker_id == seeker.id))
    copies = {
        "looking": seeker.availability != "not_looking",
        "expected_wage": seeker.expected_wage,
        "preferred_districts": seeker.preferred_districts or "",
    }
    if skills:
        session.execute(insert(SeekerSkill), [{"seeker_id": seeker.id, "skill": s, **copies} for s in skills])


def list_seekers(
    session: Session, scope: Iterable[str], page: PageRequest, skill: str | None = None, district: str | None = None
) -> Page[Any]:
    """Looking seekers inside ``scope``, optionally with a skill and preferring a kecamatan, newest first.

    With a skill, ids come from the skill rows alone (``ix_jobs_seeker_skill_match``: skill, looking, id, and the
    copy of the preferences), so the count and the page read one index; ``person`` is joined only when the scope is
    not the whole country; the page's people are fetched last.
    """
    ids: Any
    if skill:
        k = SeekerSkill
        ids = select(k.seeker_id.label("id")).where(k.skill == skill, k.looking.is_(True))
        if district:
            ids = ids.where(k.preferred_districts.like(f"%{district}%"))
        key: Any = k.seeker_id
        if not _everywhere(scope):
            ids = (
                ids.join(Seeker, Seeker.id == k.seeker_id)
                .join(Person, Person.id == Seeker.person_id)
                .where(scope_filter(Person.village_code, scope))
            )
    else:
        ids = select(Seeker.id).where(Seeker.availability != "not_looking")
        if district:
            ids = ids.where(Seeker.preferred_districts.like(f"%{district}%"))
        key = Seeker.id
        if not _everywhere(scope):
            ids = ids.join(Person, Person.id == Seeker.person_id).where(scope_filter(Person.village_code, scope))
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    page_ids = [int(i) for i in session.scalars(ids.order_by(key.desc()).offset(page.offset).limit(page.size))]
    found = seekers_with_people(session, page_ids)
    return Page.of([found[i] for i in page_ids], total, page)


def _district_points(preferred: Any, district: str) -> Any:
    """SQL for :func:`matching.points`' district part on a comma-separated column of kecamatan codes."""
    return case(
        (preferred == "", matching.DISTRICT_ANYWHERE),
        ((literal(",") + preferred + ",").like(f"%,{district},%"), matching.DISTRICT_MAX),
        ((literal(",") + preferred).like(f"%,{district[:5]}%"), matching.DISTRICT_SAME_REGENCY),
        else_=0,
    )


def _wage_points(expected: Any, offered: Any) -> Any:
    """SQL for :func:`matching.points`' wage part (integer division, like the Python ``//`` on positive numbers)."""
    return case(
        (or_(expected.is_(None), expected == 0, expected <= offered), matching.WAGE_MAX),
        else_=(offered * matching.WAGE_MAX) // expected,
    )


def ranked_seekers(
    session: Session, wanted: list[str], district: str, monthly_wage: int, scope: Iterable[str], limit: int
) -> list[tuple[int, int]]:
    """(seeker id, points) of the ``limit`` best looking seekers in scope sharing a skill with a vacancy.

    The points are :func:`matching.points` computed in the database from ``jobs_seeker_skill`` alone (its covering
    index ``ix_jobs_seeker_skill_match``): the overlap is the number of rows per seeker among the wanted skills, the
    district and wage parts come from the copies on those rows; ordered by points then id, so only the top rows
    leave the database. A scope that is not the whole country joins the seeker's person.
    """
    if not wanted:
        return []
    k = SeekerSkill
    total = (
        (func.count() * matching.SKILLS_MAX) // len(wanted)
        + _district_points(k.preferred_districts, district)
        + _wage_points(k.expected_wage, literal(monthly_wage, BigInteger))
    ).label("points")
    query = select(k.seeker_id, total).where(k.skill.in_(wanted), k.looking.is_(True))
    if not _everywhere(scope):
        query = (
            query.join(Seeker, Seeker.id == k.seeker_id)
            .join(Person, Person.id == Seeker.person_id)
            .where(scope_filter(Person.village_code, scope))
        )
    query = query.group_by(k.seeker_id, k.expected_wage, k.preferred_districts)
    rows = session.execute(query.order_by(total.desc(), k.seeker_id).limit(limit)).all()
    return [(int(r[0]), int(r[1])) for r in rows]


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
    total = session.scalar(select(func.count(Vacancy.id)).where(*conditions)) or 0  # every vacancy has an employer
    base = select(Vacancy, Employer).join(Employer, Employer.id == Vacancy.employer_id).where(*conditions)
    rows = session.execute(base.order_by(Vacancy.id.desc()).offset(page.offset).limit(page.size)).all()
    return Page.of([(r[0], r[1]) for r in rows], total, page)


def ranked_vacancies(
    session: Session,
    skills: list[str],
    preferred: list[str],
    expected_wage: int | None,
    limit: int,
) -> list[tuple[int, int]]:
    """(vacancy id, points) of the ``limit`` best open vacancies sharing a skill with a seeker.

    :func:`matching.points` in the database: the overlap counted on ``jobs_vacancy_skill`` grouped by vacancy, the
    vacancy's number of skills from its skills column, the district part from the seeker's preferred kecamatan
    (fixed for the query) against the vacancy's, the wage part against the vacancy's monthly wage.
    """
    if not skills:
        return []
    overlap = (
        select(VacancySkill.vacancy_id.label("vacancy_id"), func.count().label("n"))
        .where(VacancySkill.skill.in_(skills))
        .group_by(VacancySkill.vacancy_id)
        .subquery()
    )
    wanted = func.length(Vacancy.skills) - func.length(func.replace(Vacancy.skills, ",", "")) + 1
    district: Any
    if not preferred:
        district = literal(matching.DISTRICT_ANYWHERE)
    else:
        regencies = sorted({code[:5] for code in preferred})
        district = case(
            (Vacancy.district_code.in_(preferred), matching.DISTRICT_MAX),
            (func.substr(Vacancy.district_code, 1, 5).in_(regencies), matching.DISTRICT_SAME_REGENCY),
            else_=0,
        )
    if not expected_wage:
        wage: Any = literal(matching.WAGE_MAX)
    else:
        wage = case(
            (Vacancy.monthly_wage >= expected_wage, matching.WAGE_MAX),
            else_=(Vacancy.monthly_wage * matching.WAGE_MAX) // literal(expected_wage, BigInteger),
        )
    total = ((overlap.c.n * matching.SKILLS_MAX) // wanted + district + wage).label("points")
    rows = session.execute(
        select(Vacancy.id, total)
        .join(overlap, overlap.c.vacancy_id == Vacancy.id)
        .where(Vacancy.status == "open")
        .order_by(total.desc(), Vacancy.id)
        .limit(limit)
    ).all()
    return [(int(r[0]), int(r[1])) for r in rows]


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


def hires(
    session: Session,
    employer_id: int | None,
    scope: Iterable[str],
    status: str | None = None,
    due_before: dt.date | None = None,
) -> list[Any]:
    """(hire, person, employer) of one employer (or all), for workers inside ``scope``, oldest due first.

    ``due_before``: only hires not registered whose deadline has passed (the overdue list).
    """
    conditions = [scope_filter(Person.village_code, scope)]
    if due_before is not None:
        conditions += [Hire.due_on < due_before, Hire.status != "registered"]
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


def trainings_in(session: Session, scope: Iterable[str], limit: int = 200) -> Sequence[Training]:
    """Programmes of the office's territory (also past ones), latest start first."""
    return session.scalars(
        select(Training)
        .where(scope_filter(Training.region_code, scope))
        .order_by(Training.starts_on.desc(), Training.id.desc())
        .limit(limit)
    ).all()


def signups_of_training(session: Session, training_id: int, scope: Iterable[str]) -> list[Any]:
    """(sign-up, person) of one programme, for people inside ``scope``, in sign-up order."""
    rows = session.execute(
        select(TrainingSignup, Person)
        .join(Person, Person.id == TrainingSignup.person_id)
        .where(TrainingSignup.training_id == training_id, scope_filter(Person.village_code, scope))
        .order_by(TrainingSignup.id)
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
    session: Session,
    scope: Iterable[str],
    *,
    open_only: bool = True,
    person_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> Sequence[ServiceRequest]:
    """Requests inside ``scope``, oldest first: open ones (or those with ``status``), optionally of one kind."""
    conditions = [scope_filter(ServiceRequest.region_code, scope)]
    if status:
        conditions.append(ServiceRequest.status == status)
    elif open_only:
        conditions.append(ServiceRequest.is_open.is_(True))
    if kind:
        conditions.append(ServiceRequest.kind == kind)
    if person_id is not None:
        conditions.append(ServiceRequest.person_id == person_id)
    return session.scalars(select(ServiceRequest).where(*conditions).order_by(ServiceRequest.id)).all()


def request_events(session: Session, request_id: int) -> Sequence[ServiceRequestEvent]:
    return session.scalars(
        select(ServiceRequestEvent).where(ServiceRequestEvent.request_id == request_id).order_by(ServiceRequestEvent.id)
    ).all()
