"""The claimant hears of their claim: received when it is filed (on the channel they agreed to), nothing without
consent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.integration.notify.conftest import OFFICER, make_person

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.claims.schemas import ClaimIn
from jangkau.claims.service import file_claim
from jangkau.notify import consent
from jangkau.notify.models import Message
from jangkau.registry.schemas import MembershipIn
from jangkau.registry.service import open_membership

ADMIN = Principal(None, "petugas", Role.ADMIN, ("",))


def _claimant(session: Session, serial: int) -> tuple[int, str]:
    person = make_person(session, serial)
    data = MembershipIn(person_id=person.id, segment="bpu", programs=["jkk", "jkm"],
                        start_date=dt.date(2026, 1, 5), declared_income=1_000_000)  # fmt: skip
    open_membership(session, data, OFFICER)
    return person.id, person.nik


def test_a_filed_claim_tells_the_claimant_it_was_received(session: Session) -> None:
    agreed, nik = _claimant(session, 500)
    consent.grant(session, agreed, "sms", "081234500500", consent.Via.ENROLMENT_FORM)
    silent, other_nik = _claimant(session, 501)
    today = dt.date.today()
    claim = file_claim(session, ClaimIn(type="jkk", nik=nik, event_date=today), ADMIN, today)
    file_claim(session, ClaimIn(type="jkk", nik=other_nik, event_date=today), ADMIN, today)
    rows = session.scalars(select(Message).where(Message.use == "claim_received")).all()
    assert [(m.person_id, m.channel, m.address) for m in rows] == [(agreed, "sms", "+6281234500500")]
    assert f"klaim {claim.reference} sudah kami terima" in rows[0].body
    assert silent not in [m.person_id for m in rows]


def test_the_coverage_check_code_goes_by_sms_to_the_phone_on_record_without_consent(session: Session) -> None:
    from jangkau.notify import clock, service
    from jangkau.notify.quiet import WIB
    from jangkau.registry.coverage.service import start_check

    worker = make_person(session, 510, phone="0812-3450-0510")
    night = dt.datetime(2026, 11, 10, 23, 30, tzinfo=WIB)
    with clock.frozen_at(night):
        challenge = start_check(session, worker.nik, "203.0.113.9", now=night)
    [message] = session.scalars(select(Message).where(Message.use == "coverage_code")).all()
    assert (message.person_id, message.channel, message.address) == (worker.id, "sms", "+6281234500510")
    assert message.reference == f"check:{challenge[:40]}"
    assert "Kode cek kepesertaan" in message.body
    with clock.frozen_at(night):  # asked for at night: not held back by the quiet hours
        assert service.dispatch(session, clock.now(), 10) == [message.id]
