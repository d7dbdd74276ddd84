"""Fixtures of the jobs tests: two Medan employers, three registered people in two districts, principals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests import factories

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.registry.models import Employer, Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import PersonIn, Registrar

OFFICER = Registrar("user", "Petugas")
MEDAN_KOTA = "12.71.01"  # kecamatan
SUNGGAL = "12.71.02"
UMK_MEDAN_2025 = 4_014_072
POSTED = dt.date(2025, 6, 2)  # inside the decrees on file


@dataclass
class World:
    employer: Employer
    small: Employer
    people: list[Person]
    office: Principal
    agent_sunggal: Principal
    boss: Principal

    def worker(self, index: int) -> Principal:
        return Principal(None, f"pekerja{index}", Role.WORKER, ("12.71",), person_id=self.people[index].id)


def _employer(session: Session, number: str, name: str, size: str) -> Employer:
    return factories.employer(session, number, name, sector="industri", size=size, risk_group=2, registrar=OFFICER)


def person(session: Session, nik: str, name: str, village: str) -> Person:
    born = dt.date(1990, int(nik[8:10]), int(nik[6:8]) % 40)
    data = PersonIn(nik=nik, full_name=name, birth_date=born, sex=Sex.MALE, village_code=village)
    return factories.register_person_in(session, data, OFFICER, dt.date(2025, 1, 1))


@pytest.fixture
def world(session: Session) -> World:
    employer = _employer(session, "NPP-9001", "PT Deli Garmen", "medium")
    small = _employer(session, "NPP-9002", "CV Las Jaya", "small")
    people = [
        person(session, "1271011203900001", "Andi Lubis", "12.71.01.1001"),
        person(session, "1271021304900002", "Budi Sitepu", "12.71.02.1001"),
        person(session, "1271011405900003", "Cici Ginting", "12.71.01.1002"),
    ]
    return World(
        employer,
        small,
        people,
        Principal(None, "disnaker", Role.REGION_OFFICER, ("12.71",)),
        Principal(None, "babinsa", Role.FIELD_AGENT, (SUNGGAL,)),
        Principal(None, "hrd", Role.EMPLOYER, ("12.71",), employer_id=employer.id),
    )
