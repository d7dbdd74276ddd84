"""Fixtures of the funding tests: a small town with an employer, PU workers and BPU workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from jangkau.registry.models import Employer, Membership, Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_employer, register_person

OFFICER = Registrar("user", "Petugas cabang")
TODAY = dt.date(2026, 3, 1)
VILLAGE = "12.71.01.1001"
OTHER_VILLAGE = "12.71.01.1002"


@dataclass
class Town:
    employer: Employer
    pu: list[Membership]
    bpu: list[Membership]
    people: dict[int, Person]


def _person(session: Session, serial: int, village: str, **extra: object) -> Person:
    data = {
        "nik": f"12710115088{serial:05d}",
        "full_name": f"Pekerja {serial}",
        "birth_date": dt.date(1988, 8, 15),
        "sex": Sex.MALE,
        "village_code": village,
        "phone": f"0812345{serial:05d}",
        "occupation": "pengemudi_becak",
    }
    data.update(extra)
    return register_person(session, PersonIn.model_validate(data), OFFICER, TODAY).person


@pytest.fixture
def town(session: Session) -> Town:
    employer = register_employer(
        session,
        EmployerIn(
            registration_number="NPP-0001",
            name="CV Maju Jaya",
            business_sector="perdagangan",
            size_class="small",
            jkk_risk_group=1,
            village_code=VILLAGE,
        ),
        OFFICER,
    )
    people: dict[int, Person] = {}
    pu: list[Membership] = []
    bpu: list[Membership] = []
    for i, wage in enumerate((4_000_000, 15_000_000)):
        person = _person(session, 100 + i, VILLAGE)
        people[person.id] = person
        pu.append(
            open_membership(
                session,
                MembershipIn(
                    person_id=person.id,
                    segment="pu",
                    programs=["jkk", "jkm", "jht", "jp"],
                    start_date=dt.date(2026, 1, 1),
                    employer_id=employer.id,
                    wage=wage,
                ),
                OFFICER,
            )
        )
    for i, (income, programs) in enumerate(
        ((1_000_000, ["jkk", "jkm"]), (1_500_000, ["jkk", "jkm", "jht"]), (1_000_000, ["jkk", "jkm"]))
    ):
        person = _person(session, 200 + i, VILLAGE if i < 2 else OTHER_VILLAGE, is_vulnerable=i != 1)
        people[person.id] = person
        bpu.append(
            open_membership(
                session,
                MembershipIn(
                    person_id=person.id,
                    segment="bpu",
                    programs=programs,
                    start_date=dt.date(2026, 1, 10),
                    declared_income=income,
                ),
                OFFICER,
            )
        )
    return Town(employer, pu, bpu, people)


@pytest.fixture
def units(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """Job steps on the test session: each step is a savepoint (kept on success, rolled back on an error)."""

    @contextmanager
    def step() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    return step
