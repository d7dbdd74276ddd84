"""Fixtures of the compliance tests: a medium-sized employer in Medan with three PU workers, two of them wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from jangkau.registry.models import Employer, Membership
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_employer, register_person

OFFICER = Registrar("user", "Petugas cabang")
VILLAGE = "12.71.01.1001"
OTHER_DISTRICT_VILLAGE = "12.71.02.1001"
UMK_MEDAN_2025 = 4_014_072


@dataclass
class Firm:
    employer: Employer
    other: Employer
    memberships: list[Membership]


def _employer(session: Session, number: str, name: str, village: str, **extra: object) -> Employer:
    data = {
        "registration_number": number,
        "name": name,
        "business_sector": "industri",
        "size_class": "medium",
        "jkk_risk_group": 2,
        "village_code": village,
        **extra,
    }
    return register_employer(session, EmployerIn.model_validate(data), OFFICER)


@pytest.fixture
def firm(session: Session) -> Firm:
    employer = _employer(
        session,
        "NPP-7001",
        "PT. Sinar Deli Makmur",
        VILLAGE,
        npwp="01.234.567.8-121.000",
        address="Jl. Gatot Subroto No. 12",
    )
    other = _employer(session, "NPP-7002", "CV Sinar Laut", OTHER_DISTRICT_VILLAGE, size_class="small")
    memberships = []
    # 3,000,000 is under the UMK; the third lacks JP, which a medium business must give
    for i, (wage, programs) in enumerate(
        (
            (3_000_000, ["jkk", "jkm", "jht", "jp"]),
            (5_000_000, ["jkk", "jkm", "jht", "jp"]),
            (5_000_000, ["jkk", "jkm", "jht"]),
        )
    ):
        person = register_person(
            session,
            PersonIn(
                nik=f"127101150888{i + 1:04d}",
                full_name=f"Buruh {i}",
                birth_date=dt.date(1988, 8, 15),
                sex=Sex.MALE,
                village_code=VILLAGE,
            ),
            OFFICER,
            dt.date(2025, 1, 1),
        ).person
        memberships.append(
            open_membership(
                session,
                MembershipIn(
                    person_id=person.id,
                    segment="pu",
                    programs=programs,
                    start_date=dt.date(2024, 6, 1),
                    employer_id=employer.id,
                    wage=wage,
                ),
                OFFICER,
            )
        )
    return Firm(employer, other, memberships)


@pytest.fixture
def units(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """Job steps on the test session: each step is a savepoint."""

    @contextmanager
    def step() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    return step
