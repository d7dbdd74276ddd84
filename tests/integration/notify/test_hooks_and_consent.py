"""Provider callbacks (signature checked) update delivery status and take STOP replies; a worker keeps their own
consent through the API and their page."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.integration.notify.conftest import Units, make_person
from tests.notify_fakes import FakeGateway, signature
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.notify import clock, consent, service, tasks
from jangkau.notify.models import Message
from jangkau.notify.quiet import WIB
from jangkau.notify.templates import Use
from jangkau.registry.models import Person
from jangkau.web.app import create_app
from jangkau.web.kit import get_session

DAYTIME = dt.datetime(2026, 11, 10, 10, 0, tzinfo=WIB)
VALUES = {"nama": "Ani", "klaim": "KL-1", "jumlah": "Rp 1.000.000"}


@pytest.fixture
def anonymous(session: Session) -> TestClient:
    app = create_app(session.get_bind())  # type: ignore[arg-type]

    def db() -> Iterator[Session]:
        yield session

    app.dependency_overrides[get_session] = db
    return TestClient(app, follow_redirects=False)


def _sent(session: Session, units: Units, person: Person, channel: str) -> Message:
    consent.grant(session, person.id, channel, person.phone or "", consent.Via.ENROLMENT_FORM)
    made = service.request(session, service.person(person.id, person.village_code), Use.CLAIM_PAID, "k", VALUES,
                           now=DAYTIME)  # fmt: skip
    assert made is not None
    with clock.frozen_at(DAYTIME):
        tasks.dispatch_now(units)
    session.refresh(made)
    assert made.status == "sent"
    return made


@pytest.mark.usefixtures("immediate", "providers")
def test_sms_callbacks_move_a_message_to_delivered_or_failed(
    session: Session, units: Units, anonymous: TestClient
) -> None:
    message = _sent(session, units, make_person(session, 400), "sms")
    body = FakeGateway.sms_status(message.provider_id or "", "delivered")
    answer = anonymous.post("/api/v1/notify/hooks/sms", content=body, headers={"X-Jangkau-Signature": signature(body)})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"updated": 1, "ignored": 0, "stopped": 0}
    session.refresh(message)
    assert (message.status, message.delivered_at is not None) == ("delivered", True)
    body = FakeGateway.sms_status(message.provider_id or "", "failed", "handset unreachable")
    anonymous.post("/api/v1/notify/hooks/sms", content=body, headers={"X-Jangkau-Signature": signature(body)})
    session.refresh(message)
    assert (message.status, message.error) == ("failed", "handset unreachable")


@pytest.mark.usefixtures("immediate", "providers")
def test_a_callback_with_a_bad_signature_is_refused_and_logged_without_personal_data(
    session: Session, units: Units, anonymous: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    worker = make_person(session, 401)
    message = _sent(session, units, worker, "sms")
    caplog.set_level(logging.INFO)
    body = FakeGateway.sms_inbound(worker.phone or "", "STOP")
    for header in ({"X-Jangkau-Signature": signature(body, "not-the-secret")}, {}):
        answer = anonymous.post("/api/v1/notify/hooks/sms", content=body, headers=header)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "signature_invalid"
    wa = FakeGateway.whatsapp_webhook(statuses=[{"id": message.provider_id, "status": "read"}])
    answer = anonymous.post("/api/v1/notify/hooks/whatsapp", content=wa, headers={"X-Hub-Signature-256": "sha256=00"})
    assert answer.status_code == 401
    assert "bad or missing signature" in caplog.text
    assert "0812345" not in caplog.text
    assert "6281234" not in caplog.text
    assert "STOP" not in caplog.text
    row = consent.repo.consent(session, worker.id, "sms")
    assert row is not None
    assert row.granted, "a forged STOP changes nothing"


@pytest.mark.usefixtures("immediate", "providers")
def test_whatsapp_statuses_and_a_stop_reply(session: Session, units: Units, anonymous: TestClient) -> None:
    worker = make_person(session, 402)
    message = _sent(session, units, worker, "whatsapp")
    statuses = [
        {"id": message.provider_id, "status": "delivered", "timestamp": "1794300000", "recipient_id": "x"},
        {"id": message.provider_id, "status": "read", "timestamp": "1794300060", "recipient_id": "x"},
        {"id": "wamid.unknown", "status": "read", "timestamp": "1794300060", "recipient_id": "x"},
    ]
    body = FakeGateway.whatsapp_webhook(statuses=statuses)
    answer = anonymous.post("/api/v1/notify/hooks/whatsapp", content=body,
                            headers={"X-Hub-Signature-256": signature(body)})  # fmt: skip
    assert answer.json() == {"updated": 2, "ignored": 1, "stopped": 0}
    session.refresh(message)
    assert message.status == "read"
    later = service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_APPROVED, "k2",
                            VALUES, now=DAYTIME)  # fmt: skip
    assert later is not None
    assert later.status == "pending"
    stop = [{"from": (worker.phone or "").replace("08", "628", 1), "id": "wamid.in", "timestamp": "1794300100",
             "type": "text", "text": {"body": "Stop"}}]  # fmt: skip
    body = FakeGateway.whatsapp_webhook(messages=stop)
    answer = anonymous.post("/api/v1/notify/hooks/whatsapp", content=body,
                            headers={"X-Hub-Signature-256": signature(body)})  # fmt: skip
    assert answer.json()["stopped"] == 1
    session.refresh(later)
    assert later.status == "cancelled", "what was waiting is not sent after STOP"
    again = service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_PAID, "k3", VALUES)
    assert again is None


@pytest.mark.usefixtures("providers")
def test_the_whatsapp_subscription_check(anonymous: TestClient) -> None:
    ok = anonymous.get("/api/v1/notify/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42")
    assert (ok.status_code, ok.text) == (200, "42")
    bad = anonymous.get("/api/v1/notify/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=no&hub.challenge=42")
    assert bad.status_code == 401


@pytest.mark.usefixtures("providers")
def test_a_worker_keeps_their_own_consent(session: Session) -> None:
    worker = make_person(session, 403)
    me = Principal(user_id=None, username="pekerja", role=Role.WORKER, scope=(), person_id=worker.id)
    client = client_as(session, me)
    bad = client.put("/api/v1/notify/consent/sms", json={"address": "021-555-1234"})
    assert bad.status_code == 422
    assert "not a mobile number" in bad.json()["error"]["message"]
    good = client.put("/api/v1/notify/consent/sms", json={"address": "0812 3450 0403", "language": "en"})
    assert good.status_code == 200, good.text
    [row] = good.json()
    assert (row["address"], row["granted"], row["given_via"], row["language"]) == (
        "+6281234500403", True, "worker_page", "en")  # fmt: skip
    page = client.get("/account/messages")
    token = re.findall(r'name="csrf_token" value="([^"]+)"', page.text)[0]
    stopped = client.post("/account/messages", data={"channel": "sms", "action": "withdraw", "csrf_token": token})
    assert stopped.status_code == 303
    [row] = client.get("/api/v1/notify/consent").json()
    assert (row["granted"], row["withdrawn_via"]) == (False, "worker_page")


@pytest.mark.usefixtures("providers")
def test_officers_see_the_messages_of_their_territory_masked(session: Session) -> None:
    here, there = make_person(session, 404), make_person(session, 405, village="12.71.02.1001")
    for person in (here, there):
        consent.grant(session, person.id, "sms", person.phone or "", consent.Via.ENROLMENT_FORM)
        service.request(session, service.person(person.id, person.village_code), Use.CLAIM_PAID, "k", VALUES)
    officer = Principal(user_id=None, username="petugas", role=Role.BRANCH_OFFICER, scope=("12.71.01",))
    rows = client_as(session, officer).get("/api/v1/notify/messages").json()
    assert [r["person_id"] for r in rows] == [here.id]
    assert rows[0]["address"] == "+6281*****0404"
    page = client_as(session, officer).get("/notify/messages")
    assert "+6281*****0404" in page.text
    assert "0405" not in page.text
    preview = client_as(session, officer).get("/notify/templates")
    assert "jangkau_kode_cek_kepesertaan" in preview.text
    assert "Balas STOP" in preview.text


def test_consent_given_on_the_enrolment_form_is_recorded_with_how_and_when(session: Session) -> None:
    agent = Principal(user_id=None, username="bhabin", role=Role.FIELD_AGENT, scope=("12.71.01",))
    client = client_as(session, agent)
    token = re.findall(r'name="csrf_token" value="([^"]+)"', client.get("/enrol").text)[0]
    form = {"nik": "1271015508900420", "full_name": "Rina Formulir", "birth_date": "1990-08-15", "sex": "P",
            "village_code": "12.71.01.1001", "phone": "0812-3450-0420", "declared_income": "1000000",
            "consent_channel": "whatsapp", "csrf_token": token}  # fmt: skip
    answer = client.post("/enrol", data=form)
    assert answer.status_code == 303, answer.text[-2000:]
    person = session.scalars(select(Person).where(Person.nik == "1271015508900420")).one()
    [row] = consent.repo.consents_of(session, person.id)
    assert (row.channel, row.address, row.given_via, row.granted) == (
        "whatsapp", "+6281234500420", "enrolment_form", True)  # fmt: skip
