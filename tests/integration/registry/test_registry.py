"""Registering persons, employers and memberships (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.errors import Conflict, InvalidInput, NotFound
from jangkau.registry.models import Membership, Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, person_detail, register_employer, register_person

AGENT = Registrar("agent", "Bhabinkamtibmas Medan Kota")
TODAY = dt.date(2026, 11, 21)


def becak_driver(**changes: object) -> PersonIn:
    data: dict[str, object] = {
        "nik": "1271011508850001",
        "full_name": "Muhammad Rizki Siregar",
        "birth_date": dt.date(1985, 8, 15),
        "sex": Sex.MALE,
        "village_code": "12.71.01.1001",
        "phone": "081234567890",
        "occupation": "pengemudi_becak",
    }
    data.update(changes)
    return PersonIn.model_validate(data)


def persons(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def test_register_and_show(session: Session) -> None:
    result = register_person(session, becak_driver(), AGENT, TODAY)
    assert result.warnings == []
    detail = person_detail(session, "1271011508850001", ["12.71"])
    assert detail["full_name"] == "Muhammad Rizki Siregar"
    assert detail["registered_by"] == {"kind": "agent", "label": "Bhabinkamtibmas Medan Kota", "person_id": None}


def test_every_bad_field_is_reported_and_nothing_is_stored(session: Session) -> None:
    before = persons(session)
    bad = becak_driver(
        nik="1271000000000000",
        birth_date=dt.date(2030, 1, 1),
        village_code="12.71.99.1001",
        phone="12345",
        occupation="astronaut",
    )
    with pytest.raises(InvalidInput) as info:
        register_person(session, bad, AGENT, TODAY)
    fields = {f.field for f in info.value.fields}
    assert fields == {"nik", "birth_date", "village_code", "phone", "occupation"}
    assert persons(session) == before


def test_nik_disagreeing_with_stated_data_is_registered_with_warnings(session: Session) -> None:
    result = register_person(session, becak_driver(birth_date=dt.date(1985, 8, 16), sex=Sex.FEMALE), AGENT, TODAY)
    assert len(result.warnings) == 2


def test_duplicate_nik_is_refused_with_the_existing_record(session: Session) -> None:
    first = register_person(session, becak_driver(), AGENT, TODAY)
    with pytest.raises(Conflict) as info:
        register_person(session, becak_driver(full_name="M. Rizki"), AGENT, TODAY)
    assert info.value.details == {"person_id": first.person.id}
    assert info.value.code == "nik_already_registered"


def test_out_of_scope_person_looks_absent(session: Session) -> None:
    register_person(session, becak_driver(), AGENT, TODAY)
    with pytest.raises(NotFound):
        person_detail(session, "1271011508850001", ["12.71.02"])


def test_memberships_check_segment_programmes_and_employer(session: Session) -> None:
    person = register_person(session, becak_driver(), AGENT, TODAY).person
    bpu = open_membership(
        session,
        MembershipIn(
            person_id=person.id, segment="bpu", programs=["jkk", "jkm"], start_date=TODAY, declared_income=1_000_000
        ),
        AGENT,
    )
    assert bpu.programs == "jkk,jkm"
    assert bpu.status == "pending"
    with pytest.raises(InvalidInput, match="BPU cannot hold"):
        open_membership(
            session,
            MembershipIn(
                person_id=person.id,
                segment="bpu",
                programs=["jkk", "jkm", "jp"],
                start_date=TODAY,
                declared_income=1_000_000,
            ),
            AGENT,
        )
    with pytest.raises(Conflict):
        open_membership(
            session,
            MembershipIn(
                person_id=person.id, segment="bpu", programs=["jkm", "jkk"], start_date=TODAY, declared_income=1_000_000
            ),
            AGENT,
        )
    with pytest.raises(InvalidInput) as info:
        open_membership(
            session,
            MembershipIn(
                person_id=person.id,
                segment="pu",
                programs=["jkk", "jkm"],
                start_date=TODAY,
                employer_id=999_999,
                wage=4_100_000,
            ),
            AGENT,
        )
    assert info.value.fields[0].field == "employer_id"
    employer = register_employer(
        session,
        EmployerIn(
            registration_number="12719999",
            name="PT Sinar Deli",
            business_sector="perdagangan",
            size_class="small",
            jkk_risk_group=2,
            village_code="12.71.01.1002",
        ),
        AGENT,
    )
    pu = open_membership(
        session,
        MembershipIn(
            person_id=person.id,
            segment="pu",
            programs=["jht", "jkm", "jkk"],
            start_date=TODAY,
            employer_id=employer.id,
            wage=4_100_000,
        ),
        AGENT,
    )
    assert pu.programs == "jkk,jkm,jht"
    count = session.scalar(select(func.count()).select_from(Membership).where(Membership.person_id == person.id))
    assert count == 2
