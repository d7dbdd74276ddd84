"""Two registrations of one NIK at the same time end with one person; the loser is told so."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database

from jangkau.db.uow import unit_of_work
from jangkau.errors import Conflict
from jangkau.registry.models import Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import PersonIn, Registrar
from jangkau.registry.service import register_person


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def committed_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return build_database(request.param, Path(tmp_path_factory.mktemp("conc")), "concurrency")


def test_concurrent_registrations_of_one_nik(committed_engine: Engine) -> None:
    factory = sessionmaker(bind=committed_engine, expire_on_commit=False)
    data = PersonIn(
        nik="1271014404900007",
        full_name="Siti Aminah",
        birth_date=dt.date(1990, 4, 4),
        sex=Sex.FEMALE,
        village_code="12.71.01.1001",
    )
    barrier = threading.Barrier(4)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(factory) as session:
                register_person(session, data, Registrar("agent", f"agent-{n}"))
            result = "created"
        except Conflict as exc:
            result = f"conflict:{exc.details['person_id']}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with unit_of_work(factory) as session:
        stored = session.scalars(select(Person).where(Person.nik == data.nik)).all()
        assert session.scalar(select(func.count()).select_from(Person).where(Person.nik == data.nik)) == 1
        session.execute(delete(Person).where(Person.nik == data.nik))
    assert outcomes.count("created") == 1
    assert sorted(outcomes)[:3] == [f"conflict:{stored[0].id}"] * 3
