"""Each use case: the right person gets the right text, once, on the channel they agreed to; a retried send task
sends nothing twice; a provider's 429/5xx is retried with backoff, then the message fails with its message."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.integration.notify.conftest import Providers, Units, make_person

from jangkau.notify import clock, consent, service, tasks
from jangkau.notify.models import Message
from jangkau.notify.templates import Use, catalog, render
from jangkau.tasks.models import TaskRecord

WIB = ZoneInfo("Asia/Jakarta")
DAYTIME = dt.datetime(2026, 11, 10, 10, 0, tzinfo=WIB)
CHANNELS = ("whatsapp", "sms", "email")
USES = [u for u in Use if u != Use.TEST]


def _values(use: Use) -> dict[str, str]:
    return {name: f"{name}-{use.value[:6]}" for name in catalog().get(use).variables}


def _received(providers: Providers, channel: str) -> list[str]:
    """What each provider got, as comparable text (WhatsApp: template name and parameters)."""
    if channel == "sms":
        return [f"{m['to']} {m['text']}" for m in providers.sms.received]
    if channel == "whatsapp":
        return [
            f"{m['to']} {m['template']['name']} {[p['text'] for p in m['template']['components'][0]['parameters']]}"
            for m in providers.whatsapp.received
        ]
    return [
        f"{m['To']} {m['Subject']} {m.get_payload(decode=True).decode().strip()}" for m in providers.smtp.inbox.messages
    ]


@pytest.mark.usefixtures("immediate")
@pytest.mark.parametrize("use", USES)
def test_each_use_reaches_the_right_person_once_with_the_right_text(
    session: Session, units: Units, providers: Providers, use: Use
) -> None:
    channel = CHANNELS[USES.index(use) % 3]
    target, other = make_person(session, 300), make_person(session, 301)
    address = "budi@example.org" if channel == "email" else "0812 3450 0300"
    consent.grant(session, target.id, channel, address, consent.Via.ENROLMENT_FORM)
    consent.grant(session, other.id, channel, "siti@example.org" if channel == "email" else "081234500301",
                  consent.Via.ENROLMENT_FORM)  # fmt: skip
    values = _values(use)
    recipient = service.person(target.id, target.village_code, target.phone)
    with clock.frozen_at(DAYTIME):
        first = service.request(session, recipient, use, "ref-1", values)
        again = service.request(session, recipient, use, "ref-1", values)  # the same ask twice: one message
        tasks.dispatch_now(units)
        tasks.dispatch_now(units)  # a second dispatch finds nothing due
    assert first is not None
    assert again is not None
    assert again.id == first.id
    rendered = render(use, "id", values)
    if use == Use.COVERAGE_CODE:  # asked for: goes by SMS to the phone on record, without consent
        channel, expected = "sms", [f"+6281234500300 {rendered.with_stop()}"]
    elif channel == "sms":
        expected = [f"+6281234500300 {rendered.with_stop()}"]
    elif channel == "whatsapp":
        expected = [f"6281234500300 {rendered.whatsapp} {list(rendered.parameters)}"]
    else:
        expected = [f"budi@example.org {rendered.subject} {rendered.text}"]
    assert _received(providers, channel) == expected
    assert "Balas STOP" in rendered.with_stop()
    shown = session.get(Message, first.id)
    assert shown is not None
    assert (shown.status, shown.attempts) == ("sent", 1)
    assert shown.provider_id


@pytest.mark.usefixtures("immediate")
def test_english_is_used_where_the_person_chose_it(session: Session, units: Units, providers: Providers) -> None:
    worker = make_person(session, 310)
    consent.grant(session, worker.id, "sms", worker.phone or "", consent.Via.WORKER_PAGE, language="en")
    values = _values(Use.CLAIM_RECEIVED)
    with clock.frozen_at(DAYTIME):
        service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_RECEIVED, "c1", values)
        tasks.dispatch_now(units)
    [sent] = providers.sms.received
    assert sent["text"].startswith("Dear ")
    assert sent["text"].endswith("Reply STOP to stop these messages.")


@pytest.mark.usefixtures("immediate")
def test_no_consent_means_no_message(session: Session, units: Units, providers: Providers) -> None:
    worker = make_person(session, 320)
    recipient = service.person(worker.id, worker.village_code, worker.phone)
    with clock.frozen_at(DAYTIME):
        made = service.request(session, recipient, Use.PAYMENT_MISSED_1, "bill:1", _values(Use.PAYMENT_MISSED_1))
        tasks.dispatch_now(units)
    assert made is None
    assert providers.sms.count == providers.whatsapp.count == 0


def _three_messages(session: Session) -> list[int]:
    ids = []
    for serial in (330, 331, 332):
        worker = make_person(session, serial)
        consent.grant(session, worker.id, "sms", worker.phone or "", consent.Via.ENROLMENT_FORM)
        made = service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_PAID, "k",
                               _values(Use.CLAIM_PAID), now=DAYTIME)  # fmt: skip
        assert made is not None
        ids.append(made.id)
    return ids


def _send_run(session: Session) -> TaskRecord:
    return session.scalars(select(TaskRecord).where(TaskRecord.name == "notify.send")).one()


@pytest.mark.usefixtures("immediate")
def test_a_retried_send_task_sends_nothing_twice(session: Session, units: Units, providers: Providers) -> None:
    ids = _three_messages(session)
    providers.sms.fail(503)  # the second message of the batch gets a 503, the others go through
    with clock.frozen_at(DAYTIME):
        tasks.dispatch_now(units)
    run = _send_run(session)
    assert (run.status, run.attempts) == ("done", 2)
    assert providers.sms.count == 3, "three messages, three posts accepted: the retry sent only the one that failed"
    assert sorted(m["to"] for m in providers.sms.received) == ["+6281234500330", "+6281234500331", "+6281234500332"]
    statuses = [(m.status, m.attempts) for m in session.scalars(select(Message).where(Message.id.in_(ids)))]
    assert sorted(statuses) == [("sent", 1), ("sent", 1), ("sent", 2)]


@pytest.mark.usefixtures("immediate")
@pytest.mark.parametrize("status", [429, 500])
def test_a_busy_provider_is_retried_then_the_message_fails_with_its_message(
    session: Session, units: Units, providers: Providers, status: int
) -> None:
    worker = make_person(session, 340)
    consent.grant(session, worker.id, "whatsapp", worker.phone or "", consent.Via.ENROLMENT_FORM)
    made = service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_APPROVED, "k",
                           _values(Use.CLAIM_APPROVED), now=DAYTIME)  # fmt: skip
    assert made is not None
    providers.whatsapp.fail(*([status] * 10))
    with clock.frozen_at(DAYTIME):
        tasks.dispatch_now(units)
    run = _send_run(session)
    assert run.attempts == 4  # the first attempt and JANGKAU_TASK_RETRIES (3) retries
    shown = session.get(Message, made.id)
    assert shown is not None
    assert shown.status == "failed"
    expected = "(#130429) Rate limit hit" if status == 429 else "(#131000) Something went wrong"
    assert shown.error == f"HTTP {status}: {expected}"
    assert providers.whatsapp.count == 0


@pytest.mark.usefixtures("immediate")
def test_a_refusal_is_not_retried(session: Session, units: Units, providers: Providers) -> None:
    worker = make_person(session, 350)
    consent.grant(session, worker.id, "sms", worker.phone or "", consent.Via.ENROLMENT_FORM)
    made = service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_PAID, "k",
                           _values(Use.CLAIM_PAID), now=DAYTIME)  # fmt: skip
    assert made is not None
    providers.sms.fail(400)
    with clock.frozen_at(DAYTIME):
        tasks.dispatch_now(units)
    shown = session.get(Message, made.id)
    assert shown is not None
    assert (shown.status, shown.attempts) == ("failed", 1)
    assert _send_run(session).attempts == 1


@pytest.mark.usefixtures("immediate")
def test_a_message_asked_for_at_night_waits_for_seven_in_the_persons_zone(
    session: Session, units: Units, providers: Providers
) -> None:
    worker = make_person(session, 360)
    consent.grant(session, worker.id, "sms", worker.phone or "", consent.Via.ENROLMENT_FORM)
    night = dt.datetime(2026, 11, 10, 22, 30, tzinfo=WIB)
    made = service.request(session, service.person(worker.id, worker.village_code), Use.CLAIM_PAID, "k",
                           _values(Use.CLAIM_PAID), now=night)  # fmt: skip
    assert made is not None
    assert made.not_before == dt.datetime(2026, 11, 11, 7, 0, tzinfo=WIB)
    with clock.frozen_at(night + dt.timedelta(hours=2)):
        tasks.dispatch_now(units)
    assert providers.sms.count == 0
    with clock.frozen_at(dt.datetime(2026, 11, 11, 7, 1, tzinfo=WIB)):
        tasks.dispatch_now(units)
    assert providers.sms.count == 1
    assert json.loads(made.variables)["klaim"]


def test_messages_go_back_to_pending_when_the_queue_is_unreachable(
    session: Session, units: Units, providers: Providers, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _three_messages(session)

    def down(*_args: object, **_kwargs: object) -> int:
        raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "enqueue", down)
    with clock.frozen_at(DAYTIME), pytest.raises(ConnectionError):
        tasks.dispatch_now(units)
    assert {m.status for m in session.scalars(select(Message).where(Message.id.in_(ids)))} == {"pending"}
    assert providers.sms.count == 0
