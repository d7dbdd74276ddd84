"""notify's integration fixtures: providers started here (SMS gateway, WhatsApp Cloud API, SMTP), the app's
settings pointed at them, tasks run at once on the test database, no retry delay."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.integration.funding.conftest import town  # noqa: F401 - the funding tests' small town, used here
from tests.notify_fakes import FakeGateway, FakeSmtp

from jangkau.config import get_settings
from jangkau.notify import ratelimit
from jangkau.notify.channels import registry
from jangkau.registry.models import Person
from jangkau.tasks import record
from jangkau.tasks import schedule as _schedule  # noqa: F401 - registers every task

Units = factories.Units
OFFICER = factories.OFFICER


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
def immediate(units: Units, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks run at once in the test, on the test's session, retried without delay."""
    for name in ("notify.send", "notify.dispatch", "coverage.remind"):
        monkeypatch.setattr(record.TASKS[name].queued.task_class, "default_retry_delay", 0)
    with factories.tasks_at_once(units):
        yield


def make_person(session: Session, serial: int, village: str = "12.71.01.1001", phone: str | None = None) -> Person:
    return factories.person(session, serial, village=village, phone=phone if phone is not None else True)
