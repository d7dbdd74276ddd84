"""Fixtures of the outreach tests: a community agent in two villages of Medan Kota, registrations and payments."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.integration.notify.conftest import immediate, providers, servers  # noqa: F401 - notify's fakes

from jangkau.auth.models import User
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user, principal_for
from jangkau.funding.models import Bill, BillLine, PaidMonth, Payer
from jangkau.outreach import service
from jangkau.outreach.models import Agent
from jangkau.outreach.schemas import AgentIn
from jangkau.registry.models import Membership, Person
from jangkau.registry.schemas import Registrar

VILLAGE = "12.71.01.1001"
OTHER_VILLAGE = "12.71.01.1002"
OUTSIDE = "12.71.05.1001"
_serials = itertools.count(1)


@dataclass
class FieldAgent:
    agent: Agent
    user: User

    def principal(self, session: Session) -> Principal:
        return principal_for(session, self.user)


def make_agent(session: Session, username: str, villages: list[str], kind: AgentKind = AgentKind.COMMUNITY_AGENT,
               institution: str = "Koperasi Maju") -> FieldAgent:  # fmt: skip
    user = create_user(
        session,
        NewUser(username, username.title(), Role.FIELD_AGENT, "rahasia-panjang-123", ("12.71.01",), kind, institution),
        OPERATOR,
    )
    agent = service.save_agent(
        session,
        AgentIn(username=username, institution_kind="wadah", institution=institution, villages=villages,
                umbrella="Koperasi Maju"),
        OPERATOR,
    )  # fmt: skip
    return FieldAgent(agent, user)


@pytest.fixture
def perisai(session: Session) -> FieldAgent:
    return make_agent(session, "perisai.satu", [VILLAGE, OTHER_VILLAGE])


def person(session: Session, village: str = VILLAGE, rt: str | None = "001", vulnerable: bool = False) -> Person:
    serial = next(_serials)
    return factories.person(
        session, 80000 + serial, full_name=f"Pekerja {serial}", village=village, rt=rt, is_vulnerable=vulnerable,
        registrar=Registrar("user", "cabang"), on=dt.date(2026, 1, 1),
    )  # fmt: skip


def enrol(session: Session, registrar: Registrar, start: dt.date, **kwargs: object) -> Membership:
    worker = person(session, **kwargs)  # type: ignore[arg-type]
    return factories.membership(session, worker.id, "bpu", start=start, registrar=registrar, declared_income=1_000_000)


def pay(
    session: Session, membership: Membership, months: list[dt.date], paid_on: dt.date, amount: int = 16_800
) -> None:
    """Record the membership's months as paid (a bill with one line per month, and the protected months)."""
    payer = Payer(kind="self", name="self", person_id=membership.person_id)
    session.add(payer)
    session.flush()
    for month in months:
        bill = Bill(reference=f"T-{membership.id}-{month.isoformat()}", payer_id=payer.id, month=month, kind="bpu",
                    due_on=month, amount=amount)  # fmt: skip
        session.add(bill)
        session.flush()
        session.add(BillLine(bill_id=bill.id, membership_id=membership.id, person_id=membership.person_id,
                             month=month, amount=amount))  # fmt: skip
        session.add(PaidMonth(membership_id=membership.id, month=month, bill_id=bill.id, paid_on=paid_on))
    session.flush()
