"""The demo city: realistic, deterministic for a seed, resumable after a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database

from jangkau.db.uow import unit_of_work
from jangkau.demo.seed import seed_demo
from jangkau.errors import Conflict
from jangkau.registry.models import Employer, Membership, Person
from jangkau.registry.nik import Sex, check_nik


class Crash(Exception):
    pass


def niks(engine: Engine) -> list[str]:
    with unit_of_work(sessionmaker(bind=engine)) as session:
        return list(session.scalars(select(Person.nik).order_by(Person.nik)))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("demo")), "demo")
    seed_demo(sessionmaker(bind=engine, expire_on_commit=False), "12.71", "small", 7)
    return engine


def test_small_city_is_realistic(seeded: Engine) -> None:
    with unit_of_work(sessionmaker(bind=seeded, expire_on_commit=False)) as session:
        people = session.scalars(select(Person)).all()
        assert 4_800 <= len(people) <= 5_300
        assert session.scalar(select(func.count()).select_from(Employer)) >= 20
        for person in people:
            result = check_nik(person.nik, birth_date=person.birth_date, sex=Sex(person.sex))
            assert result.valid, (person.nik, result)
            assert not result.warnings, (person.nik, result)
            assert person.village_code.startswith("12.71.")
        assert len({p.nik for p in people}) == len(people)
        memberships = session.execute(
            select(Membership.segment, Person.occupation).join(Person, Person.id == Membership.person_id)
        ).all()
    by_segment = {seg: sum(1 for s, _ in memberships if s == seg) for seg in ("pu", "bpu")}
    assert by_segment["pu"] > by_segment["bpu"] > 0
    informal = [p for p in people if p.occupation in ("pengemudi_becak", "pedagang_kaki_lima", "pengemudi_ojek")]
    covered = {o for s, o in memberships if s == "bpu"}
    assert informal
    assert covered
    variants = [p.full_name for p in people if p.full_name.split()[0] in ("M.", "Muh.", "Moh.", "Muhamad", "St.")]
    assert variants, "the register should carry the clerks' name habits"


def test_a_second_different_seed_is_refused(seeded: Engine) -> None:
    with pytest.raises(Conflict, match="--replace"):
        seed_demo(sessionmaker(bind=seeded, expire_on_commit=False), "12.71", "small", 8)


def test_resume_after_crash_gives_the_same_people(seeded: Engine, tmp_path: Path) -> None:
    engine = build_database("sqlite", tmp_path, "crash")
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def crash_after_five(_district: str, done: int, _total: int) -> None:
        if done == 5:
            raise Crash

    with pytest.raises(Crash):
        seed_demo(factory, "12.71", "small", 7, on_progress=crash_after_five)
    partial = len(niks(engine))
    report = seed_demo(factory, "12.71", "small", 7)
    assert report.districts_done_before == 5
    assert 0 < partial < report.persons
    assert niks(engine) == niks(seeded)
    again = seed_demo(factory, "12.71", "small", 7)
    assert again.districts_done_before == again.districts
    assert again.persons == report.persons
    replaced = seed_demo(factory, "12.71", "small", 7, replace=True)
    assert replaced.districts_done_before == 0
    assert replaced.persons == report.persons
    assert niks(engine) == niks(seeded)
