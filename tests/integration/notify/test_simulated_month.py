"""A simulated month of the schedule (frozen clock, tasks run at once, two workers ticking) with three BPU workers
who pay for themselves and agreed to messages:

- Ani never pays: she gets exactly the due (7 days, 1 day), missed (1 day, 7 days) and lapse messages, in order;
- Budi pays after the first missed message: he gets due, due, missed, then "protection restored", nothing else;
- Citra replies STOP after the first message: nothing reaches her after that.

The reminders run at 05:00 WIB here (inside the quiet hours, on purpose): no message may go out before 07:00 or
after 21:00 in the worker's zone; they wait for 07:00, they are not dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.integration.funding.conftest import Town
from tests.integration.notify.conftest import Providers
from tests.notify_fakes import FakeGateway, signature
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.config import get_settings
from jangkau.funding import reminders
from jangkau.funding.models import Bill
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.notify import clock, consent, hooks
from jangkau.notify.models import Message
from jangkau.notify.quiet import is_quiet
from jangkau.tasks.schedule import run_due

WIB = ZoneInfo("Asia/Jakarta")
HOURS = (0, 1, 2, 3, 5, 6, 7, 9, 12, 15, 18, 20, 21, 22)
NOT_PAYING = ["contribution_due_7", "contribution_due_1", "payment_missed_1", "payment_missed_7",
              "protection_lapse_soon"]  # fmt: skip


@pytest.fixture
def reminders_at_five(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JANGKAU_TASK_SCHEDULE", "coverage.remind=0 5 * * *")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _tick(at: dt.datetime) -> None:
    with clock.frozen_at(at):
        run_due(at.astimezone(dt.UTC))
        run_due(at.astimezone(dt.UTC))  # a second worker's tick in the same minute


def _day(day: int, hours: tuple[int, ...] = HOURS) -> None:
    for hour in hours:
        _tick(dt.datetime(2026, 11, day, hour, 0, tzinfo=WIB))


def _messages(session: Session, person_id: int) -> list[Message]:
    query = select(Message).where(Message.person_id == person_id).order_by(Message.sent_at, Message.id)
    return list(session.scalars(query))


@pytest.mark.usefixtures("immediate", "reminders_at_five")
def test_a_month_of_reminders_reaches_each_worker_in_order_out_of_quiet_hours_and_stops_on_stop(
    session: Session, town: Town, providers: Providers
) -> None:
    ani, budi, citra = (town.people[m.person_id] for m in town.bpu)
    consent.grant(session, ani.id, "whatsapp", ani.phone or "", consent.Via.ENROLMENT_FORM)
    consent.grant(session, budi.id, "sms", budi.phone or "", consent.Via.ENROLMENT_FORM)
    consent.grant(session, citra.id, "sms", citra.phone or "", consent.Via.WORKER_PAGE)

    for day in range(1, 11):
        _day(day)
    bills = {b.payer_id: b for b in session.scalars(select(Bill).where(Bill.month == dt.date(2026, 11, 1)))}
    assert bills, "the billing run on the 1st made November's bills"
    stop_at = dt.datetime(2026, 11, 10, 23, 30, tzinfo=WIB)
    with clock.frozen_at(stop_at):  # Citra replies STOP to the SMS she got (her first reminder)
        body = FakeGateway.sms_inbound(citra.phone or "", " stop ")
        assert hooks.sms_callback(session, body, signature(body)).stopped == 1
    due_on = next(iter(bills.values())).due_on
    for day in range(11, 31):
        if day == due_on.day + 3:
            bill = next(b for b in bills.values() if b.kind == "bpu" and _payer_person(session, b) == budi.id)
            paid = PaymentIn(reference=bill.reference, amount=bill.amount, paid_on=dt.date(2026, 11, day))
            record_payment(session, paid, "test")
        _day(day)

    sent = [m for m in session.scalars(select(Message)) if m.sent_at is not None]
    assert sent, "messages went out"
    for message in sent:
        at = message.sent_at
        assert at is not None
        assert 7 <= at.astimezone(WIB).hour < 21, (message.use, at)
        assert not is_quiet(at, message.region_code), (message.use, at)

    assert [m.use for m in _messages(session, ani.id)] == NOT_PAYING
    assert {(m.channel, m.status) for m in _messages(session, ani.id)} == {("whatsapp", "sent")}
    assert [m.use for m in _messages(session, budi.id)] == [*NOT_PAYING[:3], "protection_restored"]
    citra_sent = [m for m in _messages(session, citra.id) if m.sent_at is not None]
    assert [m.use for m in citra_sent] == ["contribution_due_7"]
    assert all(m.sent_at is not None for m in citra_sent)
    assert all(m.sent_at < stop_at for m in citra_sent if m.sent_at is not None)
    assert not [m for m in _messages(session, citra.id) if m.status not in ("sent", "cancelled")]

    ani_texts = [m["template"]["name"] for m in providers.whatsapp.received]
    assert ani_texts == [f"jangkau_{n}" for n in ("iuran_jatuh_tempo_7", "iuran_jatuh_tempo_1", "iuran_terlewat_1",
                                                  "iuran_terlewat_7", "perlindungan_akan_berhenti")]  # fmt: skip
    citra_phone = consent.address_for("sms", citra.phone or "")
    assert [m["to"] for m in providers.sms.received].count(citra_phone) == 1

    # the dashboards: 9 reminders sent (Ani 5, Budi 3, Citra 1); Budi paid within 7 days of two of his
    shown = reminders.figures(session, ("12.71",), dt.date(2026, 11, 30))
    assert shown == {"asked": 9, "sent": 9, "delivered": 0, "failed": 0, "paid_within_7_days": 2}
    officer = Principal(user_id=None, username="petugas", role=Role.BRANCH_OFFICER, scope=("12.71",))
    with clock.frozen_at(dt.datetime(2026, 11, 30, 12, 0, tzinfo=WIB)):
        page = client_as(session, officer).get("/funding").text
    assert 'data-figure="sent">9<' in page
    assert 'data-figure="paid">2<' in page


def _payer_person(session: Session, bill: Bill) -> int | None:
    from jangkau.funding.models import Payer

    payer = session.get(Payer, bill.payer_id)
    return payer.person_id if payer is not None else None
