"""The task console: ``/api/v1/tasks`` and ``/admin/tasks`` list runs, show one, retry a failed one; staff only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.tasks import record
from jangkau.tasks.models import TaskRecord
from jangkau.tasks.queue import local_now
from jangkau.tasks.record import TaskContext, enqueue, tracked

BRANCH = Principal(user_id=None, username="cabang", role=Role.BRANCH_OFFICER, scope=("12.71",))
FIELD = Principal(user_id=None, username="agen", role=Role.FIELD_AGENT, scope=("12.71.01",))
BROKEN = {"yes": True}


@tracked("test.console")
def console_task(ctx: TaskContext, label: str) -> dict[str, Any]:
    ctx.progress(3, 4)
    if BROKEN["yes"]:
        raise ConnectionError("SMS gateway unreachable")
    return {"label": label}


@pytest.fixture(autouse=True)
def _no_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    BROKEN["yes"] = True
    monkeypatch.setattr(record.TASKS["test.console"].queued.task_class, "default_retries", 0)


@pytest.mark.usefixtures("immediate")
def test_a_failed_task_is_listed_with_its_error_and_the_retry_button_runs_it_again(session: Session) -> None:
    task_id = enqueue(record.TASKS["test.console"], "user:cabang", label="x")
    client = client_as(session, BRANCH)
    failed = client.get("/api/v1/tasks", params={"status": "failed"}).json()
    assert [(t["id"], t["error"], t["done"], t["total"], t["started_by"]) for t in failed] == [
        (task_id, "ConnectionError: SMS gateway unreachable", 3, 4, "user:cabang")
    ]
    page = client.get("/admin/tasks")
    assert "SMS gateway unreachable" in page.text
    assert f'action="/admin/tasks/{task_id}/retry"' in page.text

    BROKEN["yes"] = False
    retried = client.post(f"/api/v1/tasks/{task_id}/retry")
    assert retried.status_code == 202
    shown = client.get(f"/api/v1/tasks/{task_id}").json()
    assert (shown["status"], shown["attempts"], shown["error"], shown["result"]) == ("done", 2, None, {"label": "x"})
    again = client.post(f"/api/v1/tasks/{task_id}/retry")
    assert again.status_code == 409
    assert "only a failed task" in again.json()["error"]["message"]


@pytest.mark.usefixtures("immediate")
def test_the_console_is_for_the_branch_office_not_for_field_agents(session: Session) -> None:
    assert client_as(session, FIELD).get("/api/v1/tasks").status_code == 403
    assert client_as(session, FIELD).get("/admin/tasks").status_code in (303, 403)
    refused = client_as(session, BRANCH).get("/api/v1/tasks", params={"status": "stuck"})
    assert refused.status_code == 422
    assert client_as(session, BRANCH).get("/api/v1/tasks/999999").status_code == 404


@pytest.mark.usefixtures("immediate")
def test_a_scheduled_task_started_from_the_api_returns_its_run_and_bad_input_is_refused(session: Session) -> None:
    client = client_as(session, BRANCH)
    started = client.post("/api/v1/tasks", json={"name": "coverage.lapse", "args": {"day": "2026-11-02"}})
    assert started.status_code == 202
    run = started.json()
    assert (run["name"], run["period"], run["status"], run["started_by"]) == (
        "coverage.lapse", "2026-11-02", "done", "user:cabang"
    )  # fmt: skip
    future = client.post("/api/v1/tasks", json={"name": "billing.run", "args": {"month": "2031-01"}})
    assert future.status_code == 422
    assert "belum tiba" in future.json()["error"]["message_id"]
    unknown = client.post("/api/v1/tasks", json={"name": "rm -rf", "args": {}})
    assert unknown.status_code == 422
    wrong = client.post("/api/v1/tasks", json={"name": "coverage.lapse", "args": {"month": "2026-11"}})
    assert wrong.status_code == 422


def test_a_closed_month_is_refused_with_a_clear_message_and_the_current_month_is_not_closed(session: Session) -> None:
    finished = dt.datetime(2026, 2, 1, 3, 0, tzinfo=dt.UTC)
    done = TaskRecord(name="billing.run", period="2026-01", args='{"month": "2026-01"}', status="done",
                      started_by="schedule", attempts=1, queued_at=finished, finished_at=finished)  # fmt: skip
    session.add(done)
    session.flush()
    refused = client_as(session, BRANCH).post(
        "/api/v1/tasks", json={"name": "billing.run", "args": {"month": "2026-01"}}
    )
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "month_closed"
    assert "2026-01" in error["message"]
    assert "ditutup" in error["message_id"]
    now = local_now()
    current = f"{now.year:04d}-{now.month:02d}"
    done_now = TaskRecord(name="billing.run", period=current, status="done", finished_at=finished)
    record.refuse_closed(record.TASKS["billing.run"], done_now)  # the current month may be billed again
    failed = TaskRecord(name="billing.run", period="2026-01", status="failed", finished_at=finished)
    record.refuse_closed(record.TASKS["billing.run"], failed)  # a failed run is retried, not refused
    lapse = TaskRecord(name="coverage.lapse", period="2026-01-05", status="done", finished_at=finished)
    record.refuse_closed(record.TASKS["coverage.lapse"], lapse)  # only monthly closing tasks close
