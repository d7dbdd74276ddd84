"""Fixtures of the funding tests: a small town with an employer, PU workers and BPU workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests import factories

from jangkau.registry.models import Employer, Membership, Person

OFFICER = factories.OFFICER
TODAY = dt.date(2026, 3, 1)
VILLAGE = "12.71.01.1001"
OTHER_VILLAGE = "12.71.01.1002"


@dataclass
class Town:
    employer: Employer
    pu: list[Membership]
    bpu: list[Membership]
    people: dict[int, Person]


@pytest.fixture
def town(session: Session) -> Town:
    employer = factories.employer(session, "NPP-0001", "CV Maju Jaya")
    people: dict[int, Person] = {}
    pu: list[Membership] = []
    bpu: list[Membership] = []
    for i, wage in enumerate((4_000_000, 15_000_000)):
        person = factories.person(session, 100 + i, phone=True, on=TODAY)
        people[person.id] = person
        pu.append(
            factories.membership(
                session,
                person.id,
                "pu",
                programs=["jkk", "jkm", "jht", "jp"],
                start=dt.date(2026, 1, 1),
                employer_id=employer.id,
                wage=wage,
            )
        )
    for i, (income, programs) in enumerate(
        ((1_000_000, ["jkk", "jkm"]), (1_500_000, ["jkk", "jkm", "jht"]), (1_000_000, ["jkk", "jkm"]))
    ):
        village = VILLAGE if i < 2 else OTHER_VILLAGE
        person = factories.person(session, 200 + i, village=village, phone=True, on=TODAY, is_vulnerable=i != 1)
        people[person.id] = person
        bpu.append(
            factories.membership(
                session, person.id, "bpu", programs=programs, start=dt.date(2026, 1, 10), declared_income=income
            )
        )
    return Town(employer, pu, bpu, people)
