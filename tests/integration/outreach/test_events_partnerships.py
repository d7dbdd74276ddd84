"""Events (attendance, registrations that followed) and partnerships (MoU, PKS, documents)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR
from jangkau.config import get_settings
from jangkau.errors import InvalidInput
from jangkau.outreach.events import service as events
from jangkau.outreach.partnerships import service as partnerships
from jangkau.outreach.schemas import AttendeeIn, EventIn, PartnershipIn, PartnershipStatusIn
from jangkau.registry.schemas import Registrar

from .conftest import VILLAGE, FieldAgent, enrol


def test_socialisation_counts_the_registrations_that_followed(session: Session, perisai: FieldAgent) -> None:
    event = events.create_event(
        session,
        EventIn(kind="socialisation", title="Sosialisasi BPU pasar", organiser="BPJS Cabang Medan",
                place="Pasar Petisah", region_code=VILLAGE, held_on=dt.date(2026, 2, 1)),
        OPERATOR,
    )  # fmt: skip
    joined = enrol(session, Registrar("agent", "perisai.satu"), dt.date(2026, 2, 20))
    from jangkau.registry.models import Person

    nik = session.get(Person, joined.person_id).nik  # type: ignore[union-attr]
    result = events.add_attendees(
        session, event.id,
        [AttendeeIn(nik=nik), AttendeeIn(name="Pedagang tanpa NIK"), AttendeeIn(username="nobody"), AttendeeIn()],
        OPERATOR,
    )  # fmt: skip
    assert result["added"] == 2
    assert [r["row"] for r in result["rejected"]] == [2, 3]
    detail = events.event_detail(session, event.id, OPERATOR)
    assert (detail["attended"], detail["registrations_followed"]) == (2, 1)
    assert "*" in detail["attendees"][0]["nik"]


def test_training_topics_are_checked(session: Session, perisai: FieldAgent) -> None:
    data = EventIn(kind="training", title="Pelatihan", organiser="BPJS", place="Aula", region_code="12.71",
                   held_on=dt.date(2026, 2, 1), topics=["door_to_door", "juggling"])  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        events.create_event(session, data, OPERATOR)
    assert caught.value.fields[0].field == "topics"
    event = events.create_event(session, data.model_copy(update={"topics": ["door_to_door", "negotiation"]}), OPERATOR)
    events.add_attendees(session, event.id, [AttendeeIn(username="perisai.satu")], OPERATOR)
    assert events.event_detail(session, event.id, OPERATOR)["attendees"][0]["agent_id"] == perisai.agent.id


def _mou(**extra: object) -> PartnershipIn:
    data = {"kind": "mou", "partner": "Dinas Tenaga Kerja", "partner_kind": "opd", "region_code": "12.71"}
    data |= {"title": "MoU perlindungan pekerja rentan", "status": "signed", "signed_on": dt.date(2026, 1, 15)}
    return PartnershipIn.model_validate(data | extra)


def test_partnerships_show_who_signed_and_what_they_committed(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JANGKAU_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        mou = partnerships.create_partnership(session, _mou(), OPERATOR)
        pks = partnerships.create_partnership(
            session,
            _mou(kind="pks", parent_id=mou.id, status="under_review", signed_on=None, budget=1_200_000_000,
                 target_workers=5_000, data_sharing="NIK pekerja rentan dari DTKS"),
            OPERATOR,
        )  # fmt: skip
        partnerships.create_partnership(session, _mou(partner="Dinas Sosial", status="draft", signed_on=None), OPERATOR)
        with pytest.raises(InvalidInput):
            partnerships.create_partnership(session, _mou(kind="pks", parent_id=None), OPERATOR)
        with pytest.raises(InvalidInput):
            partnerships.set_status(session, pks.id, PartnershipStatusIn(status="signed"), OPERATOR)
        partnerships.set_status(session, pks.id, PartnershipStatusIn(status="signed", signed_on=dt.date(2026, 2, 1)),
                                OPERATOR)  # fmt: skip
        document = partnerships.add_document(session, pks.id, "pks.pdf", "application/pdf", b"%PDF-1.7 ...", OPERATOR)
        assert (tmp_path / "outreach" / "documents" / document.stored_as).exists()
        with pytest.raises(InvalidInput) as caught:
            partnerships.add_document(session, pks.id, "x.pdf", "application/pdf", b"MZ\x90 not a pdf", OPERATOR)
        assert caught.value.code == "document_type"
        overview = {p["partner"]: p for p in partnerships.partnership_overview(session, OPERATOR)}
        assert overview["Dinas Tenaga Kerja"]["signed"] is True
        assert overview["Dinas Tenaga Kerja"]["committed_budget"] == 1_200_000_000
        assert overview["Dinas Sosial"]["signed"] is False
        assert partnerships.read_document(session, document.id, OPERATOR)[1].startswith(b"%PDF")
    finally:
        get_settings.cache_clear()
