"""Door-to-door enrolment as a service: what it writes for a new and for an already registered worker (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.enrolment.schemas import EnrolmentIn
from jangkau.enrolment.service import enrol
from jangkau.errors import Conflict
from jangkau.registry.models import Membership, Person

AGENT = Principal(user_id=None, username="bhabin.enrol", role=Role.FIELD_AGENT, scope=("12.71.01",))
TODAY = dt.date(2026, 11, 21)


def worker(nik: str = "1271011508850001") -> EnrolmentIn:
    person = {"nik": nik, "full_name": "Muhammad  Rizki Siregar", "birth_date": "1985-08-15", "sex": "L",
              "village_code": "12.71.01.1001"}  # fmt: skip
    return EnrolmentIn.model_validate({"person": person, "programs": ["jkk", "jkm"]})


def events(session: Session) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.actor == AGENT.username).order_by(AuditEvent.id)
    return list(session.scalars(query))


def test_a_new_worker_is_registered_and_enrolled_with_two_events_in_order(session: Session) -> None:
    result = enrol(session, worker(), AGENT, TODAY)
    assert result.created_person
    assert result.person.full_name == "Muhammad Rizki Siregar"
    assert result.membership.person_id == result.person.id
    assert result.membership.status == "pending"
    written = events(session)
    assert [(e.action, e.entity, e.entity_id) for e in written] == [
        ("create", "person", str(result.person.id)),
        ("enrol", "membership", str(result.membership.id)),
    ]
    assert json.loads(written[0].after or "{}") == {"nik": "1271011508850001", "full_name": "Muhammad Rizki Siregar"}
    assert all(e.region_code == "12.71.01.1001" for e in written)


def test_a_registered_worker_is_found_and_cannot_get_a_second_open_membership(session: Session) -> None:
    first = enrol(session, worker(), AGENT, TODAY)
    with pytest.raises(Conflict) as refused:
        enrol(session, worker(), AGENT, TODAY)
    assert refused.value.code == "membership_exists"
    people = session.scalar(select(func.count()).select_from(Person).where(Person.nik == "1271011508850001"))
    assert people == 1
    open_ones = session.scalar(
        select(func.count()).select_from(Membership).where(Membership.person_id == first.person.id)
    )
    assert open_ones == 1
