"""Fixtures of the reporting tests: a small town in Medan with PU and BPU members, bills, and some paid months."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.funding.jobs import run_billing
from jangkau.funding.models import Bill, BillLine
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.kit.months import Month
from jangkau.registry.models import Membership
from jangkau.registry.nik import Sex

OFFICER = factories.OFFICER
TODAY = dt.date(2026, 4, 20)
VILLAGE = "12.71.01.1001"
OTHER_VILLAGE = "12.71.02.1001"
JAN, FEB, MAR, APR = Month(2026, 1), Month(2026, 2), Month(2026, 3), Month(2026, 4)

Units = factories.Units


@dataclass
class Town:
    pu: list[Membership]
    bpu: list[Membership]


def _person(session: Session, serial: int, village: str, birth: dt.date, sex: Sex) -> int:
    return factories.person(session, serial, village=village, on=TODAY, phone=True, birth_date=birth, sex=sex).id


@pytest.fixture
def town(session: Session) -> Town:
    return build_town(session)


def build_town(session: Session) -> Town:
    """Two PU workers (an employer in VILLAGE) and three BPU workers (two in VILLAGE, one in OTHER_VILLAGE)."""
    employer = factories.employer(session, "NPP-0901", "CV Laporan")
    pu = [
        factories.membership(
            session,
            _person(session, 300 + i, VILLAGE, dt.date(1990, 5, 1), Sex.MALE),
            "pu",
            programs=["jkk", "jkm", "jht"],
            start=JAN.first_day(),
            employer_id=employer.id,
            wage=4_000_000,
        )
        for i in range(2)
    ]
    bpu = [
        factories.membership(
            session,
            _person(session, 400 + i, village, dt.date(2000, 3, 15), Sex.FEMALE),
            "bpu",
            start=dt.date(2026, 2, 5),
            declared_income=1_000_000,
        )
        for i, village in enumerate((VILLAGE, VILLAGE, OTHER_VILLAGE))
    ]
    return Town(pu, bpu)


def pay_month(session: Session, month: Month, membership_ids: list[int], paid_on: dt.date) -> None:
    """Pay in full every bill of ``month`` holding a line of one of the memberships, with what its payer still owes
    before it (a payment goes to the payer's oldest open bill first: ``rules.allocation``)."""
    bills = session.scalars(
        select(Bill)
        .join(BillLine, BillLine.bill_id == Bill.id)
        .where(Bill.month == month.first_day(), BillLine.membership_id.in_(membership_ids))
        .distinct()
    ).all()
    for bill in bills:
        open_slots = allocation_sql.open_slots(session, bill.payer_id, paid_on)
        owed = sum(s.amount for s in open_slots if s.due_on <= bill.due_on)
        owed -= allocation_sql.credit_balance(session, bill.payer_id)
        if owed > 0:
            record_payment(session, PaymentIn(reference=bill.reference, amount=owed, paid_on=paid_on), "test")


@pytest.fixture
def paid_town(session: Session, town: Town, units: Units) -> Town:
    pay_town(session, town, units)
    return town


def pay_town(session: Session, town: Town, units: Units) -> None:
    """Bills for January to March; the PU bills paid every month; BPU worker 0 paid February and March, worker 1
    paid February only (so in arrears in March), worker 2 never paid."""
    for month in (JAN, FEB, MAR):
        run_billing(units, month)
    pu_ids = [m.id for m in town.pu]
    for month in (JAN, FEB, MAR):
        pay_month(session, month, pu_ids, month.next().day(10))
    pay_month(session, FEB, [town.bpu[0].id, town.bpu[1].id], dt.date(2026, 2, 10))
    pay_month(session, MAR, [town.bpu[0].id], dt.date(2026, 3, 10))


@pytest.fixture
def city_officer(session: Session) -> TestClient:
    """The dashboard and API as the city's region officer (pages and API on the test session)."""
    create_user(
        session, NewUser("pemkot.uji", "Pemkot", Role.REGION_OFFICER, "rahasia-panjang-1", ("12.71",)), OPERATOR
    )
    return client_as(session, Principal(None, "pemkot.uji", Role.REGION_OFFICER, ("12.71",)))
