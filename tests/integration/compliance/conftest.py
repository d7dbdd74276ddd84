"""Fixtures of the compliance tests: a medium-sized employer in Medan with three PU workers, two of them wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests import factories

from jangkau.registry.models import Employer, Membership

OFFICER = factories.OFFICER
VILLAGE = "12.71.01.1001"
OTHER_DISTRICT_VILLAGE = "12.71.02.1001"
UMK_MEDAN_2025 = 4_014_072


@dataclass
class Firm:
    employer: Employer
    other: Employer
    memberships: list[Membership]


@pytest.fixture
def firm(session: Session) -> Firm:
    employer = factories.employer(
        session,
        "NPP-7001",
        "PT. Sinar Deli Makmur",
        sector="industri",
        size="medium",
        risk_group=2,
        npwp="01.234.567.8-121.000",
        address="Jl. Gatot Subroto No. 12",
    )
    other = factories.employer(
        session, "NPP-7002", "CV Sinar Laut", village=OTHER_DISTRICT_VILLAGE, sector="industri", risk_group=2
    )
    memberships = []
    # 3,000,000 is under the UMK; the third lacks JP, which a medium business must give
    for i, (wage, programs) in enumerate(
        (
            (3_000_000, ["jkk", "jkm", "jht", "jp"]),
            (5_000_000, ["jkk", "jkm", "jht", "jp"]),
            (5_000_000, ["jkk", "jkm", "jht"]),
        )
    ):
        person = factories.person(session, 80001 + i, full_name=f"Buruh {i}", occupation=None, on=dt.date(2025, 1, 1))
        memberships.append(
            factories.membership(
                session,
                person.id,
                "pu",
                programs=programs,
                start=dt.date(2024, 6, 1),
                employer_id=employer.id,
                wage=wage,
            )
        )
    return Firm(employer, other, memberships)
