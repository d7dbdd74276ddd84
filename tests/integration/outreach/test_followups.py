"""The agent's daily list of follow-ups (issue 21): the right agent gets the right text once, a rerun sends nothing
twice, no consent or no follow-up means nothing, STOP from the agent's phone turns it off, quiet hours per zone;
the phone and consent on the officer's agent form and on the agent's own page."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.integration.notify.conftest import Providers, Units
from tests.integration.outreach.conftest import OTHER_VILLAGE, OUTSIDE, VILLAGE, FieldAgent, make_agent
from tests.integration.outreach.test_manage_pages import PASSWORD, tokens
from tests.notify_fakes import signature
from tests.webclient import client_as

from jangkau.auth import repository as auth_repo
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.errors import InvalidInput
from jangkau.notify import clock, consent, hooks, tasks
from jangkau.notify.models import Consent, Message
from jangkau.notify.quiet import WIB, WIT, WITA
from jangkau.notify.templates import Use, render
from jangkau.outreach import tasks as outreach_tasks
from jangkau.outreach.fieldwork import followups
from jangkau.outreach.models import Prospect
from jangkau.outreach.schemas import AgentRegistrationIn, AgentStatusIn
from jangkau.outreach.service import register_agent, set_agent_status
from jangkau.regions.models import Region
from jangkau.tasks import schedule

DAY = dt.date(2026, 11, 10)
SEVEN_WIB = dt.datetime(2026, 11, 10, 7, 0, tzinfo=WIB)
BALI_VILLAGE = "51.71.01.1001"  # WITA
PAPUA_VILLAGE = "91.71.01.1001"  # WIT (Kota Jayapura)


def prospect(session: Session, village: str, follow_up_on: dt.date | None, status: str = "open") -> Prospect:
    row = Prospect(
        dedupe_key=f"t:{uuid.uuid4().hex}", full_name="Pekerja Rahasia", village_code=village, rt="001",
        source="manual", status=status, follow_up_on=follow_up_on,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def with_phone(session: Session, agent: FieldAgent, channel: str, phone: str) -> None:
    consent.grant_user(session, agent.user.id, channel, phone, consent.Via.AGENT_FORM)


def messages(session: Session) -> list[Message]:
    return list(session.scalars(select(Message).where(Message.use == Use.AGENT_FOLLOWUPS.value).order_by(Message.id)))


def village_in(session: Session, code: str) -> None:
    """A district and a village outside Sumatera Utara (the test database holds Sumut's villages only)."""
    model = session.get(Region, VILLAGE)
    assert model is not None
    parent = code.rsplit(".", 1)[0]
    for level, at in ((3, parent), (4, code)):
        if session.get(Region, at) is None:
            session.add(Region(code=at, name=f"Uji {at}", level=level, kind=model.kind, source_id=model.source_id,
                               parent_code=at.rsplit(".", 1)[0]))  # fmt: skip
    session.flush()


@pytest.mark.usefixtures("immediate")
def test_the_right_agent_gets_the_right_text_once(session: Session, units: Units, providers: Providers) -> None:
    due = make_agent(session, "perisai.due", [VILLAGE, OTHER_VILLAGE])
    with_phone(session, due, "whatsapp", "0812 3400 0001")
    later = make_agent(session, "perisai.later", [OUTSIDE])  # consent, but the follow-up is tomorrow
    with_phone(session, later, "sms", "081234000002")
    make_agent(session, "perisai.silent", [VILLAGE])  # follow-ups due, no consent
    gone = make_agent(session, "perisai.gone", [OTHER_VILLAGE])  # consent and follow-ups, but deactivated
    with_phone(session, gone, "sms", "081234000003")
    set_agent_status(session, gone.agent.id, AgentStatusIn(status="inactive", reason="pindah tugas"), OPERATOR)
    prospect(session, VILLAGE, DAY)
    prospect(session, OTHER_VILLAGE, DAY - dt.timedelta(days=3))  # overdue counts: it is on today's list
    prospect(session, VILLAGE, DAY, status="refused")  # closed: not a follow-up
    prospect(session, VILLAGE, DAY + dt.timedelta(days=1))  # not yet
    prospect(session, VILLAGE, None)  # no follow-up date
    prospect(session, OUTSIDE, DAY + dt.timedelta(days=1))

    with clock.frozen_at(SEVEN_WIB):
        outreach_tasks.followups_run.queued(day=DAY.isoformat())
        rerun = followups.queue_followups(session, DAY)  # the task again (by hand): notify's key makes nothing new
        tasks.dispatch_now(units)
        tasks.dispatch_now(units)

    [made] = messages(session)
    assert (made.recipient, made.user_id, made.person_id, made.reference) == (f"user:{due.user.id}", due.user.id,
                                                                                None, "2026-11-10")  # fmt: skip
    assert (made.channel, made.status, made.address) == ("whatsapp", "sent", "+6281234000001")
    values = {"nama": due.user.full_name, "jumlah_kunjungan": "2", "tanggal": "10 November 2026"}
    assert json.loads(made.variables) == values
    rendered = render(Use.AGENT_FOLLOWUPS, "id", values)
    assert [m["to"] for m in providers.whatsapp.received] == ["6281234000001"]
    sent = [p["text"] for p in providers.whatsapp.received[0]["template"]["components"][0]["parameters"]]
    assert sent == list(rendered.parameters)
    assert "ada 2 pekerja" in made.body
    assert "Pekerja Rahasia" not in made.body  # nothing about the workers, only the count
    assert providers.sms.count == 0  # the later and the deactivated agent got nothing
    assert (rerun.agents_due, rerun.asked, rerun.no_consent) == (2, 1, 1)  # due and silent; gone is inactive
    assert rerun.message_ids == [made.id]


@pytest.mark.usefixtures("immediate")
def test_stop_from_the_agents_phone_turns_it_off(session: Session, units: Units, providers: Providers) -> None:
    agent = make_agent(session, "perisai.stop", [VILLAGE])
    with_phone(session, agent, "sms", "0812 3400 0010")
    prospect(session, VILLAGE, DAY)
    early = dt.datetime(2026, 11, 10, 5, 30, tzinfo=WIB)
    waiting = followups.queue_followups(session, DAY, now=early)  # asked in quiet hours: waits for 07:00
    [pending] = messages(session)
    assert (waiting.asked, pending.status) == (1, "pending")
    body = json.dumps({"type": "inbound", "from": "+6281234000010", "text": "stop"}).encode()
    result = hooks.sms_callback(session, body, signature(body))
    assert result.stopped == 1
    session.refresh(pending)
    assert pending.status == "cancelled"
    row = session.scalars(select(Consent).where(Consent.user_id == agent.user.id)).one()
    assert (row.granted, row.withdrawn_via) == (False, "stop_reply")
    with clock.frozen_at(SEVEN_WIB):
        tasks.dispatch_now(units)
    tomorrow = followups.queue_followups(session, DAY + dt.timedelta(days=1))
    assert (tomorrow.asked, tomorrow.no_consent) == (0, 1)
    assert providers.sms.count == 0


@pytest.mark.usefixtures("immediate")
def test_quiet_hours_in_each_zone(session: Session, units: Units, providers: Providers) -> None:
    village_in(session, BALI_VILLAGE)
    village_in(session, PAPUA_VILLAGE)
    agents = {
        "wib": make_agent(session, "agen.wib", [VILLAGE]),
        "wita": make_agent(session, "agen.wita", [BALI_VILLAGE]),
        "wit": make_agent(session, "agen.wit", [PAPUA_VILLAGE]),
    }
    for n, (zone, agent) in enumerate(agents.items()):
        with_phone(session, agent, "sms", f"08123400002{n}")
        prospect(session, {"wib": VILLAGE, "wita": BALI_VILLAGE, "wit": PAPUA_VILLAGE}[zone], DAY)
    # the schedule moved to 06:00 WIB: 07:00 WITA and 08:00 WIT are out of quiet hours, 06:00 WIB is not
    six_wib = dt.datetime(2026, 11, 10, 6, 0, tzinfo=WIB)
    made = followups.queue_followups(session, DAY, now=six_wib)
    assert made.asked == 3
    by_region = {m.region_code: m for m in messages(session)}
    assert by_region[VILLAGE].not_before == SEVEN_WIB
    assert by_region[BALI_VILLAGE].not_before == dt.datetime(2026, 11, 10, 7, 0, tzinfo=WITA) == six_wib
    assert by_region[PAPUA_VILLAGE].not_before == six_wib
    with clock.frozen_at(six_wib + dt.timedelta(minutes=1)):
        tasks.dispatch_now(units)
    assert sorted(m["to"] for m in providers.sms.received) == ["+6281234000021", "+6281234000022"]
    with clock.frozen_at(SEVEN_WIB):
        tasks.dispatch_now(units)
    assert [m["to"] for m in providers.sms.received][2:] == ["+6281234000020"]
    assert providers.sms.count == 3
    # a list asked at night in WIT waits for 07:00 WIT (= 05:00 WIB), not for 07:00 WIB
    night = dt.datetime(2026, 11, 10, 22, 0, tzinfo=WIB)
    prospect(session, PAPUA_VILLAGE, DAY + dt.timedelta(days=1))
    followups.queue_followups(session, DAY + dt.timedelta(days=1), now=night)  # yesterday's follow-ups still open
    next_day = {m.region_code: m for m in messages(session) if m.reference == "2026-11-11"}
    assert json.loads(next_day[PAPUA_VILLAGE].variables)["jumlah_kunjungan"] == "2"
    assert next_day[PAPUA_VILLAGE].not_before == dt.datetime(2026, 11, 11, 7, 0, tzinfo=WIT)
    assert next_day[BALI_VILLAGE].not_before == dt.datetime(2026, 11, 11, 7, 0, tzinfo=WITA)
    assert next_day[VILLAGE].not_before == dt.datetime(2026, 11, 11, 7, 0, tzinfo=WIB)


def test_the_daily_list_is_on_the_schedule_at_seven_wib() -> None:
    [entry] = [e for e in schedule.SCHEDULE if e.task.name == "outreach.followups"]
    assert entry.cron == "0 7 * * *"
    at = dt.datetime(2026, 11, 10, 0, 0, tzinfo=dt.UTC)  # 07:00 WIB
    assert any(e.task.name == "outreach.followups" and kw == {"day": "2026-11-10"} for e, kw in schedule.due(at, {}))
    assert not any(e.task.name == "outreach.followups" for e, _ in schedule.due(at - dt.timedelta(minutes=1), {}))


@pytest.fixture
def branch(session: Session) -> TestClient:
    """A branch officer of Medan Kota, signed in."""
    user = create_user(session, NewUser("cabang.hp", "Cabang HP", Role.BRANCH_OFFICER, PASSWORD, ("12.71.01",)),
                       OPERATOR)  # fmt: skip
    return client_as(session, Principal(user.id, user.username, Role.BRANCH_OFFICER, ("12.71.01",)))


def test_the_officer_records_the_agents_phone_and_consent(session: Session, branch: TestClient) -> None:
    officer = branch
    form = tokens(officer, "/outreach/agents")
    assert 'id="followups_channel"' in officer.get("/outreach/agents").text
    body = {
        **form, "account": "new", "username": "kepling.hp", "full_name": "Kepling HP", "agent_kind": "kepling",
        "password": "sandi-awal-2026", "institution_kind": "kelurahan", "institution": "Kelurahan Uji",
        "villages": [VILLAGE], "phone": "021-555-1234", "followups_channel": "sms",
    }  # fmt: skip
    landline = officer.post("/outreach/agents", data=body)
    assert landline.status_code == 422
    assert "bukan nomor seluler" in landline.text
    assert 'value="021-555-1234"' in landline.text
    assert auth_repo.user_by_username(session, "kepling.hp") is None  # nothing half-saved
    no_channel = officer.post("/outreach/agents", data={**body, "phone": "0812 3400 0030", "followups_channel": ""})
    assert no_channel.status_code == 422
    assert "pilih WhatsApp atau SMS" in no_channel.text
    good = {**body, **tokens(officer, "/outreach/agents"), "phone": "0812 3400 0030", "followups_channel": "whatsapp"}
    assert officer.post("/outreach/agents", data=good).status_code == 303
    user = auth_repo.user_by_username(session, "kepling.hp")
    assert user is not None
    row = session.scalars(select(Consent).where(Consent.user_id == user.id)).one()
    assert (row.channel, row.address, row.granted, row.given_via, row.person_id) == (
        "whatsapp", "+6281234000030", True, "agent_form", None)  # fmt: skip
    assert row.given_at is not None


def test_the_service_refuses_a_bad_phone_with_the_reason(session: Session) -> None:
    data = AgentRegistrationIn(username="kepling.x", new_account=True, full_name="X", agent_kind="kepling",
                               password="sandi-awal-2026", institution_kind="kelurahan", institution="K",
                               villages=[VILLAGE], phone="+65 8123 4567", followups_channel="sms")  # fmt: skip
    with pytest.raises(InvalidInput, match="phone: not an Indonesian number") as caught:
        register_agent(session, data, OPERATOR)
    assert caught.value.code == "agent_invalid"
    assert [(f.field, f.message_id) for f in caught.value.fields] == [("phone", "bukan nomor Indonesia (+62)")]
    assert auth_repo.user_by_username(session, "kepling.x") is None


@pytest.mark.usefixtures("providers")
def test_the_agent_keeps_their_own_consent(session: Session) -> None:
    agent = make_agent(session, "perisai.sendiri", [VILLAGE], kind=AgentKind.COMMUNITY_AGENT)
    client = client_as(session, agent.principal(session))
    page = client.get("/account/messages")
    assert page.status_code == 200
    assert 'id="agent-intro"' in page.text
    assert 'id="nav-followups"' in page.text
    assert 'data-channel="email"' not in page.text
    token = re.findall(r'name="csrf_token" value="([^"]+)"', page.text)[0]
    bad = client.post("/account/messages", data={"channel": "sms", "address": "12345", "csrf_token": token})
    assert bad.status_code == 422
    email = client.post("/account/messages", data={"channel": "email", "address": "a@b.id", "csrf_token": token})
    assert email.status_code == 422
    good = client.post("/account/messages", data={"channel": "sms", "address": "0812 3400 0040", "csrf_token": token})
    assert good.status_code == 303
    row = session.scalars(select(Consent).where(Consent.user_id == agent.user.id)).one()
    assert (row.granted, row.given_via, row.address) == (True, "agent_page", "+6281234000040")
    stop = client.post("/account/messages", data={"channel": "sms", "action": "withdraw", "csrf_token": token})
    assert stop.status_code == 303
    session.refresh(row)
    assert (row.granted, row.withdrawn_via) == (False, "agent_page")
    worker_only = client_as(session, agent.principal(session)).get("/api/v1/notify/consent")
    assert worker_only.status_code == 403  # the worker's consent API stays a worker's
    assert Role.FIELD_AGENT.value == agent.user.role
