"""Job seekers, vacancies and matching both ways. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.compliance.service import employer_standing, employer_standings
from jangkau.errors import FieldError, InvalidInput
from jangkau.jobs import access
from jangkau.jobs import errors as refusals
from jangkau.jobs import repository as repo
from jangkau.jobs.models import Seeker, Vacancy
from jangkau.jobs.rules import matching
from jangkau.jobs.rules.wages import check_offer
from jangkau.jobs.schemas import SeekerIn, SeekerRead, StandingRead, VacancyIn, VacancyRead, skill_slug
from jangkau.kit.pagination import PageRequest
from jangkau.regions.codes import Level
from jangkau.regions.service import require_region
from jangkau.registry import access as registry_access
from jangkau.registry.models import Employer, Person

MATCH_LIMIT = 20
ALL_JOBS = (Permission.JOBS_SEEK, Permission.JOBS_ASSIST, Permission.JOBS_POST, Permission.JOBS_MANAGE)


def _districts(session: Session, codes: Iterable[str], name: str) -> list[str]:
    """Kecamatan codes checked against the region tree; every unknown one is named at once."""
    out, errors = [], []
    for code in codes:
        try:
            out.append(require_region(session, code, name, Level.DISTRICT))
        except InvalidInput as exc:
            errors.extend(exc.fields)
    if errors:
        _refuse(errors)
    return sorted(set(out))


def _refuse(errors: list[FieldError]) -> None:
    raise refusals.DistrictsInvalid(errors)


def save_seeker(session: Session, data: SeekerIn, principal: Principal) -> dict[str, Any]:
    """Create or update the job-seeker profile of the person with ``data.nik``.

    A worker keeps their own profile; a field agent or the manpower office keeps one for a person in their
    territory. The profile records who keeps it.

    Raises:
        InvalidInput: an invalid NIK, a NIK not in the register, an unknown district; nothing is saved.
        Forbidden: a worker naming someone else, or a role that may not keep profiles.
    """
    person = access.person_for(session, data.nik, principal)
    districts = _districts(session, data.preferred_districts, "preferred_districts")
    seeker = repo.seeker_of_person(session, person.id)
    values = {
        "education": data.education,
        "experience_years": data.experience_years,
        "experience": data.experience,
        "skills": ",".join(data.skills),
        "preferred_districts": ",".join(districts),
        "expected_wage": data.expected_wage or None,
        "availability": data.availability,
        "available_from": data.available_from,
        "maintained_by_kind": access.helper_kind(principal),
        "maintained_by_label": principal.username,
    }
    action = "update" if seeker else "create"
    if seeker is None:
        seeker = repo.add(session, Seeker(person_id=person.id, **values))
    else:
        for key, value in values.items():
            setattr(seeker, key, value)
        session.flush()
    repo.replace_seeker_skills(session, seeker, data.skills)
    audit.record(session, principal, action, "jobs_seeker", seeker.id, region_code=person.village_code)
    return SeekerRead.for_caller(seeker, person, principal).model_dump()


def seeker_or_404(session: Session, seeker_id: int, principal: Principal) -> tuple[Seeker, Person]:
    """A seeker the caller may see: themselves, or inside a helper's territory.

    Raises:
        NotFound: no such seeker, or outside what the caller may see.
    """
    found = repo.seeker_in_scope(session, seeker_id, ("",))
    may = found is not None and (
        found[1].id == principal.person_id
        or (
            any(principal.can(p) for p in (Permission.JOBS_ASSIST, Permission.JOBS_MANAGE, Permission.JOBS_POST))
            # territory for helpers and the office; for an employer, only the applicants to its vacancies
            and registry_access.visible_person(session, principal, found[1].id) is not None
        )
    )
    if found is None or not may:
        raise refusals.SeekerNotFound(seeker_id)
    audit.record(session, principal, "read", "job_seeker", seeker_id, region_code=found[1].village_code)
    return found


def my_seeker(session: Session, principal: Principal) -> tuple[Seeker, Person] | None:
    """The signed-in worker's own profile, if they have one."""
    if principal.person_id is None:
        return None
    seeker = repo.seeker_of_person(session, principal.person_id)
    if seeker is None:
        return None
    found = repo.seekers_with_people(session, [seeker.id])
    return found.get(seeker.id)


def list_seekers(
    session: Session, principal: Principal, page: PageRequest, skill: str | None = None, district: str | None = None
) -> dict[str, Any]:
    """Looking seekers in the caller's territory (helpers and the office)."""
    access.require_any(principal, Permission.JOBS_ASSIST, Permission.JOBS_MANAGE)
    listing = repo.list_seekers(session, principal.scope, page, skill, district)
    return {
        "total": listing.total,
        "page": page.page,
        "size": page.size,
        "pages": listing.pages,
        "items": [SeekerRead.for_caller(s, p, principal).model_dump() for s, p in listing.items],
    }


def post_vacancy(
    session: Session, data: VacancyIn, principal: Principal, today: dt.date | None = None
) -> dict[str, Any]:
    """Post a vacancy for the caller's business (an employer) or for an employer in the office's territory.

    The offer, as a monthly wage, must reach the UMK of the district's regency/city (UMP where none is set).

    Raises:
        InvalidInput: an unknown district, a wage of zero, a wage under the minimum (with the rule); nothing saved.
        Forbidden / NotFound: the caller may not post for that employer.
    """
    today = today or dt.date.today()
    employer = access.employer_for(session, data.employer_id, principal)
    district = _districts(session, [data.district_code], "district_code")[0]
    if data.closes_on is not None and data.closes_on < today:
        raise refusals.ClosingDateInPast()
    check = check_offer(district, data.wage_offered, data.wage_period, today)
    vacancy = repo.add(
        session,
        Vacancy(
            employer_id=employer.id,
            title=data.title,
            sector=data.sector,
            description=data.description,
            skills=",".join(data.skills),
            wage_offered=data.wage_offered,
            wage_period=data.wage_period,
            monthly_wage=check.monthly,
            district_code=district,
            contract_type=data.contract_type,
            openings=data.openings,
            closes_on=data.closes_on,
            wage_check=json.dumps(check.as_dict(), default=str),
            posted_by=principal.username,
        ),
    )
    repo.replace_vacancy_skills(session, vacancy.id, data.skills)
    audit.record(session, principal, "create", "jobs_vacancy", vacancy.id, region_code=district)
    return VacancyRead.of(vacancy, employer, standing_of(session, employer.id, {})).model_dump()


def standing_of(session: Session, employer_id: int, cache: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The employer's compliance standing as seekers see it (:class:`StandingRead`, from the compliance domain),
    cached per call."""
    if employer_id not in cache:
        cache[employer_id] = StandingRead.brief(employer_standing(session, employer_id).as_dict()).model_dump()
    return cache[employer_id]


def standings_of(session: Session, employer_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """:func:`standing_of` for the employers of a page at once (two queries, not two per employer)."""
    standings = employer_standings(session, employer_ids)
    return {i: StandingRead.brief(s.as_dict()).model_dump() for i, s in standings.items()}


def vacancy_or_404(session: Session, vacancy_id: int) -> tuple[Vacancy, Employer]:
    found = repo.vacancies_with_employers(session, [vacancy_id]).get(vacancy_id)
    if found is None:
        raise refusals.VacancyNotFound(vacancy_id)
    return found


def vacancy_detail(session: Session, vacancy_id: int, principal: Principal) -> dict[str, Any]:
    """A vacancy with its employer's standing; its owner and the office also get the applicants in scope."""
    access.require_any(principal, *ALL_JOBS)
    vacancy, employer = vacancy_or_404(session, vacancy_id)
    out = VacancyRead.of(vacancy, employer, standing_of(session, employer.id, {})).model_dump()
    out["may_manage"] = access.owns_or_manages(principal, employer)
    if out["may_manage"]:
        out["applications"] = [
            {"id": a.id, "status": a.status, "score": a.score, "seeker_id": s.id, "full_name": p.full_name}
            for a, s, p in repo.applications_of_vacancy(session, vacancy.id, access.vacancy_scope(principal))
        ]
    return out


def search_vacancies(
    session: Session,
    principal: Principal,
    page: PageRequest,
    text: str | None = None,
    region: str | None = None,
    skill: str | None = None,
    mine: bool = False,
) -> dict[str, Any]:
    """Open vacancies (an employer with ``mine`` sees all of its own), each with its employer's standing."""
    access.require_any(principal, *ALL_JOBS)
    employer_id = principal.employer_id if mine else None
    listing = repo.search_vacancies(
        session,
        page,
        text=text,
        region=region,
        skill=skill_slug(skill) if skill else None,
        employer_id=employer_id,
        status=None if mine else "open",
    )
    standings = standings_of(session, [e.id for _, e in listing.items])
    return {
        "total": listing.total,
        "page": page.page,
        "size": page.size,
        "pages": listing.pages,
        "items": [VacancyRead.of(v, e, standings[e.id]).model_dump() for v, e in listing.items],
    }


def close_vacancy(session: Session, vacancy_id: int, principal: Principal) -> dict[str, Any]:
    """Close a vacancy to new applications (its owner or the office)."""
    vacancy, employer = vacancy_or_404(session, vacancy_id)
    if not access.owns_or_manages(principal, employer):
        raise refusals.VacancyNotFound(vacancy_id)
    vacancy.status = "closed"
    session.flush()
    repo.replace_vacancy_skills(session, vacancy.id, [])
    audit.record(session, principal, "update", "jobs_vacancy", vacancy.id, after={"status": "closed"})
    return VacancyRead.of(vacancy, employer).model_dump()


def _not_owned(session: Session, principal: Principal, person_ids: list[int]) -> set[int]:
    """Of ``person_ids``, those an employer does not own (shown without identity); none for the office."""
    if principal.role is not Role.EMPLOYER or not person_ids:
        return set()
    visible = session.scalars(
        select(Person.id).where(Person.id.in_(person_ids), registry_access.person_filter(principal))
    )
    return set(person_ids) - set(visible)


def seekers_for_vacancy(
    session: Session, vacancy_id: int, principal: Principal, limit: int = MATCH_LIMIT
) -> dict[str, Any]:
    """Seekers ranked for a vacancy (its owner or the office), each with the parts of their score.

    Raises:
        NotFound: no such vacancy, or the caller neither owns it nor manages its territory.
    """
    vacancy, employer = vacancy_or_404(session, vacancy_id)
    if not access.owns_or_manages(principal, employer):
        raise refusals.VacancyNotFound(vacancy_id)
    wanted = frozenset(matching.split(vacancy.skills))
    where, wage = vacancy.district_code, vacancy.monthly_wage
    ranked = repo.ranked_seekers(session, sorted(wanted), where, wage, access.vacancy_scope(principal), limit)
    ids = [sid for sid, _ in ranked]
    people = repo.seekers_with_people(session, ids)
    hidden = _not_owned(session, principal, [p.id for _, p in people.values()])
    best = [
        (
            sid,
            matching.score(
                matching.split(s.skills), matching.split(s.preferred_districts), s.expected_wage, wanted, where, wage
            ),
        )
        for sid in ids
        for s in (people[sid][0],)
    ]
    return {
        "vacancy_id": vacancy.id,
        "items": [
            {
                "rank": i + 1,
                **SeekerRead.for_caller(*people[sid], principal, people[sid][1].id in hidden).model_dump(),
                **s.as_dict(),
            }
            for i, (sid, s) in enumerate(best)
        ],
    }


def vacancies_for_seeker(
    session: Session, seeker_id: int, principal: Principal, limit: int = MATCH_LIMIT
) -> dict[str, Any]:
    """Open vacancies ranked for a seeker, each with the parts of its score and its employer's standing.

    Raises:
        NotFound: no such seeker, or not one the caller may see.
    """
    seeker, _ = seeker_or_404(session, seeker_id, principal)
    skills, prefs = frozenset(matching.split(seeker.skills)), frozenset(matching.split(seeker.preferred_districts))
    ranked = repo.ranked_vacancies(session, sorted(skills), sorted(prefs), seeker.expected_wage, limit)
    ids = [vid for vid, _ in ranked]
    found = repo.vacancies_with_employers(session, ids)
    best = [
        (
            vid,
            matching.score(
                skills, prefs, seeker.expected_wage, matching.split(v.skills), v.district_code, v.monthly_wage
            ),
        )
        for vid in ids
        for v in (found[vid][0],)
    ]
    standings = standings_of(session, [e.id for _, e in found.values()])
    return {
        "seeker_id": seeker.id,
        "items": [
            {"rank": i + 1, **VacancyRead.of(*found[vid], standings[found[vid][1].id]).model_dump(), **s.as_dict()}
            for i, (vid, s) in enumerate(best)
        ],
    }


def seeker_of_person(session: Session, person_id: int) -> Seeker | None:
    """A person's job-seeker profile, if they keep one (the person page; the caller decided the person is theirs
    to see)."""
    return repo.seeker_of_person(session, person_id)
