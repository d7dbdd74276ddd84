"""notify's integration fixtures: providers started here (SMS gateway, WhatsApp Cloud API, SMTP), the app's
settings pointed at them, tasks run at once on the test database, no retry delay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests.integration.funding.conftest import town  # noqa: F401 - the funding tests' small town, used here
from tests.notify_fakes import FakeGateway, FakeSmtp

from jangkau.config import get_settings
from jangkau.notify import ratelimit
from jangkau.notify.channels import registry
from jangkau.registry.models import Person
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import PersonIn, Registrar
from jangkau.registry.service import register_person
from jangkau.tasks import record
from jangkau.tasks import schedule as _schedule  # noqa: F401 - registers every task
from jangkau.tasks.queue import huey

Units = Callable[[], AbstractContextManager[Session]]
OFFICER = Registrar("user", "Petugas cabang")


@dataclass
class Providers:
    sms: FakeGateway
    whatsapp: FakeGateway
    smtp: FakeSmtp


@pytest.fixture(scope="module")
def servers() -> Iterator[Providers]:
    with FakeGateway("sms") as sms, FakeGateway("whatsapp") as whatsapp, FakeSmtp() as smtp:
        yield Providers(sms, whatsapp, smtp)


@pytest.fixture
def providers(servers: Providers, monkeypatch: pytest.MonkeyPatch) -> Iterator[Providers]:
    """The three providers, empty, with the app's settings pointing at them."""
    for fake in (servers.sms, servers.whatsapp):
        fake.received.clear()
        fake.failures.clear()
        fake.count = 0
    servers.smtp.inbox.messages.clear()
    servers.smtp.inbox.envelopes.clear()
    for key, value in {**servers.sms.env(), **servers.whatsapp.env(), **servers.smtp.env()}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JANGKAU_NOTIFY_RATE_SMS", "1000/second")
    monkeypatch.setenv("JANGKAU_NOTIFY_RATE_WHATSAPP", "1000/second")
    _reset()
    yield servers
    monkeypatch.undo()
    _reset()


def _reset() -> None:
    get_settings.cache_clear()
    registry.reset()
    ratelimit.reset()


@pytest.fixture
def units(session: Session) -> Units:
    @contextmanager
    def step() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    return step


@pytest.fixture
def immediate(units: Units, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks run at once in the test, on the test's session, retried without delay."""
    for name in ("notify.send", "notify.dispatch", "coverage.remind"):
        monkeypatch.setattr(record.TASKS[name].queued.task_class, "default_retry_delay", 0)
    was = huey.immediate
    huey.immediate = True
    record.use_units(units)
    try:
        yield
    finally:
        record.use_units(record.unit)
        huey.immediate = was


def make_person(session: Session, serial: int, village: str = "12.71.01.1001", phone: str | None = None) -> Person:
    data = {
        "nik": f"12710115088{serial:05d}",
        "full_name": f"Pekerja {serial}",
        "birth_date": dt.date(1988, 8, 15),
        "sex": Sex.MALE,
        "village_code": village,
        "phone": phone if phone is not None else f"0812345{serial:05d}",
        "occupation": "pengemudi_becak",
    }
    return register_person(session, PersonIn.model_validate(data), OFFICER, dt.date(2026, 3, 1)).person
