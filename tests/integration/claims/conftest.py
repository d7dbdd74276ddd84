"""Fixtures of the claims tests: a family in Medan with a BPU membership and paid months, officers and an agent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests import factories

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.funding.models import Bill, PaidMonth, Payer
from jangkau.kit.months import Month
from jangkau.registry.models import Employer, Membership, Person
from jangkau.registry.schemas import Registrar

TODAY = dt.date(2026, 2, 2)  # a Monday; no holiday until 2026-02-16
VILLAGE = "12.71.01.1001"
AGENT = Principal(user_id=None, username="bhabin.test", role=Role.FIELD_AGENT, scope=("12.71.01",))
OTHER_AGENT = Principal(user_id=None, username="babinsa.test", role=Role.FIELD_AGENT, scope=("12.71.02",))
MAKER = Principal(user_id=None, username="officer.maker", role=Role.BRANCH_OFFICER, scope=("12.71",))
CHECKER = Principal(user_id=None, username="officer.checker", role=Role.BRANCH_OFFICER, scope=("12.71",))


@dataclass
class Family:
    worker: Person
    membership: Membership
    unregistered: Person


REGISTRAR = Registrar("user", "test")


def person(session: Session, serial: int, **extra: object) -> Person:
    return factories.person(session, serial, village=VILLAGE, on=TODAY, registrar=REGISTRAR, **extra)


def membership(session: Session, who: Person, segment: str = "bpu", **extra: object) -> Membership:
    extra = {"start_date": dt.date(2022, 1, 5), "declared_income": 1_000_000, **extra}
    return factories.membership(session, who.id, segment, registrar=REGISTRAR, **extra)


def employer(session: Session) -> Employer:
    return factories.employer(session, "NPP-CLAIMS", "CV Klaim", village=VILLAGE, registrar=REGISTRAR)


def pay(session: Session, member: Membership, months: Iterable[Month]) -> None:
    """Protected months as the funding ledger records them (a paid bill per month)."""
    payer = Payer(kind="self", name="self", person_id=member.person_id)
    session.add(payer)
    session.flush()
    for month in months:
        bill = Bill(reference=f"T-{member.id}-{month}", payer_id=payer.id, month=month.first_day(), kind="bpu",
                    due_on=month.day(15), amount=16_800)  # fmt: skip
        session.add(bill)
        session.flush()
        session.add(PaidMonth(membership_id=member.id, month=month.first_day(), bill_id=bill.id, paid_on=month.day(10)))
    session.flush()


def months(first: Month, last: Month) -> list[Month]:
    return [first.plus(i) for i in range(last.minus(first) + 1)]


@pytest.fixture
def family(session: Session) -> Family:
    worker = person(session, 301)
    member = membership(session, worker)
    pay(session, member, months(Month(2022, 1), Month(2026, 2)))
    return Family(worker, member, person(session, 302))
