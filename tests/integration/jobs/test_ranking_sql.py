"""The ranking computed in the database equals :func:`matching.points` over every candidate, on both databases."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session
from tests.integration.jobs.conftest import World

from jangkau.jobs import repository as repo
from jangkau.jobs.models import Seeker, Vacancy, VacancySkill
from jangkau.jobs.rules import matching
from jangkau.registry.models import Person

SKILLS = ["las", "jahit", "kasir", "sopir", "masak", "listrik"]
DISTRICTS = ["12.71.01", "12.71.02", "12.71.03", "12.07.01", "12.07.02"]


@dataclass
class S:
    id: int
    skills: frozenset[str]
    prefs: frozenset[str]
    wage: int | None
    looking: bool


@dataclass
class V:
    id: int
    skills: frozenset[str]
    district: str
    wage: int
    open: bool


def _seed(session: Session, world: World, rng: random.Random) -> tuple[list[S], list[V]]:
    now = dt.datetime.now(dt.UTC)
    seekers, vacancies = [], []
    for i in range(80):
        person = {
            "nik": f"1271015001{800000 + i:06d}",
            "full_name": f"Uji {i}",
            "sex": "L",
            "birth_date": dt.date(1990, 1, 1),
            "village_code": "12.71.01.1001" if i % 3 else "12.71.02.1001",
            "registered_by_kind": "demo",
            "is_vulnerable": False,
            "created_at": now,
            "updated_at": now,
        }
        pid = session.scalars(insert(Person).returning(Person.id), [person]).one()
        skills = sorted(set(rng.choices(SKILLS, k=rng.randint(1, 3))))
        row = Seeker(
            person_id=pid,
            education="sma",
            skills=",".join(skills),
            preferred_districts=",".join(sorted(set(rng.sample(DISTRICTS, rng.randint(0, 2))))),
            expected_wage=rng.choice([None, 0, rng.randrange(3_000_000, 7_000_000, 123_457)]),
            availability=rng.choice(["now", "soon", "now", "not_looking"]),
            maintained_by_kind="operator",
        )
        session.add(row)
        session.flush()
        repo.replace_seeker_skills(session, row, skills)
        prefs = frozenset(matching.split(row.preferred_districts))
        seekers.append(S(row.id, frozenset(skills), prefs, row.expected_wage, row.availability != "not_looking"))
    for _ in range(40):
        skills = sorted(set(rng.choices(SKILLS, k=rng.randint(1, 4))))
        wage = rng.randrange(3_000_000, 8_000_000, 77_777)
        v = Vacancy(
            employer_id=world.employer.id,
            title="Uji",
            sector="uji",
            skills=",".join(skills),
            wage_offered=wage,
            monthly_wage=wage,
            district_code=rng.choice(DISTRICTS[:3]),
            contract_type="pkwt",
            status=rng.choice(["open", "open", "closed"]),
            wage_check="{}",
            posted_by="test",
        )
        session.add(v)
        session.flush()
        if v.status == "open":
            session.add_all(VacancySkill(vacancy_id=v.id, skill=s) for s in skills)
        vacancies.append(V(v.id, frozenset(skills), v.district_code, wage, v.status == "open"))
    session.flush()
    return seekers, vacancies


def test_sql_points_equal_python_points_both_ways(session: Session, world: World) -> None:
    seekers, vacancies = _seed(session, world, random.Random(11))
    mine = {s.id for s in seekers}
    compared = 0
    for v in vacancies:
        expected = sorted(
            (-matching.points(s.skills, s.prefs, s.wage, v.skills, v.district, v.wage), s.id)
            for s in seekers
            if s.looking and v.skills & s.skills
        )
        got = repo.ranked_seekers(session, sorted(v.skills), v.district, v.wage, ("",), 1000)
        assert [(sid, p) for sid, p in got if sid in mine] == [(sid, -p) for p, sid in expected]
        compared += len(expected)
    opened = [v for v in vacancies if v.open]
    for s in seekers:
        expected = sorted(
            (-matching.points(s.skills, s.prefs, s.wage, v.skills, v.district, v.wage), v.id)
            for v in opened
            if s.skills & v.skills
        )
        got = repo.ranked_vacancies(session, sorted(s.skills), sorted(s.prefs), s.wage, 1000)
        assert got == [(vid, -p) for p, vid in expected]
        compared += len(expected)
    assert compared > 500
    # the limit keeps the best rows in the same order
    v = opened[0]
    full = repo.ranked_seekers(session, sorted(v.skills), v.district, v.wage, ("",), 1000)
    assert repo.ranked_seekers(session, sorted(v.skills), v.district, v.wage, ("",), 5) == full[:5]
    # a scope limits the candidates to people living inside it
    medan_kota = repo.ranked_seekers(session, sorted(v.skills), v.district, v.wage, ("12.71.01",), 1000)
    assert {sid for sid, _ in medan_kota} < {sid for sid, _ in full}
