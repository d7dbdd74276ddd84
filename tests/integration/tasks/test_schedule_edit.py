"""The schedule edited on /admin/tasks (admin only): an invalid cron is refused with the reason and nothing is
stored; a valid one is stored, audited and used by the next tick; JANGKAU_TASK_SCHEDULE still wins."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.config import get_settings
from jangkau.tasks.models import ScheduleOverride
from jangkau.tasks.schedule import due, stored_overrides

ADMIN = Principal(user_id=None, username="admin.jadwal", role=Role.ADMIN, scope=("",))
BRANCH = Principal(user_id=None, username="cabang", role=Role.BRANCH_OFFICER, scope=("12.71",))
WIB = ZoneInfo("Asia/Jakarta")


def _post(session: Session, who: Principal, task: str, cron: str) -> object:
    client = client_as(session, who)
    client.cookies.set("jangkau_csrf", "t")
    return client.post("/admin/tasks/schedule", data={"task": task, "cron": cron, "csrf_token": "t"})


def test_an_invalid_cron_is_refused_and_a_valid_one_takes_effect_on_the_next_tick(session: Session) -> None:
    refused = _post(session, ADMIN, "coverage.remind", "0 25 * * *")
    assert refused.status_code == 422
    assert "cron" in refused.text
    assert "tidak valid" in refused.text
    assert session.get(ScheduleOverride, "coverage.remind") is None

    saved = _post(session, ADMIN, "coverage.remind", "30 10 * * *")
    assert saved.status_code == 303
    assert stored_overrides(session) == {"coverage.remind": "30 10 * * *"}
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "task_schedule")).one()
    assert (event.action, event.entity_id, event.actor) == ("schedule", "coverage.remind", "admin.jadwal")
    stored = stored_overrides(session)
    at_ten_thirty = dt.datetime(2026, 11, 20, 10, 30, tzinfo=WIB).astimezone(dt.UTC)
    at_nine = dt.datetime(2026, 11, 20, 9, 0, tzinfo=WIB).astimezone(dt.UTC)
    assert "coverage.remind" in {e.task.name for e, _ in due(at_ten_thirty, stored)}
    assert "coverage.remind" not in {e.task.name for e, _ in due(at_nine, stored)}
    page = client_as(session, ADMIN).get("/admin/tasks")
    assert 'value="30 10 * * *"' in page.text
    assert "console" in page.text

    assert _post(session, ADMIN, "coverage.remind", "").status_code == 303  # back to the built-in line
    assert stored_overrides(session) == {}


def test_the_deployment_setting_wins_and_only_the_admin_edits(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _post(session, ADMIN, "coverage.remind", "30 10 * * *").status_code == 303
    monkeypatch.setattr(get_settings(), "task_schedule", "coverage.remind=0 11 * * *")
    at_eleven = dt.datetime(2026, 11, 20, 11, 0, tzinfo=WIB).astimezone(dt.UTC)
    assert "coverage.remind" in {e.task.name for e, _ in due(at_eleven, stored_overrides(session))}
    assert "JANGKAU_TASK_SCHEDULE" in client_as(session, ADMIN).get("/admin/tasks").text
    assert _post(session, BRANCH, "coverage.remind", "0 8 * * *").status_code == 403
    assert 'name="cron"' not in client_as(session, BRANCH).get("/admin/tasks").text
