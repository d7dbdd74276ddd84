"""A link run queued in the background (``?background=true``): 202 at once, the run in the asking user's scope,
progress by phase on the task record, the list's state on its own page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.integration.linkage.test_runs_state import client, list_id  # noqa: F401 - fixtures

from jangkau.linkage import runs
from jangkau.tasks.models import TaskRecord


@pytest.mark.usefixtures("immediate")
def test_a_background_link_run_answers_202_and_records_its_phases(
    session: Session,
    client: TestClient,  # noqa: F811
    list_id: int,  # noqa: F811
) -> None:
    queued = client.post(f"/api/v1/linkage/lists/{list_id}/run", params={"background": "true"})
    assert queued.status_code == 202
    task = session.get(TaskRecord, queued.json()["task_id"])
    assert task is not None
    assert (task.name, task.status, task.started_by) == ("linkage.run", "done", "user:linkage.officer")
    assert (task.done, task.total) == (len(runs.RUN_PHASES), len(runs.RUN_PHASES))
    detail = client.get(queued.json()["list"]).json()
    assert detail["last_run"]["state"] == "done"
    assert detail["last_run"]["started_by"] == "linkage.officer"
    missing = client.post("/api/v1/linkage/lists/999999/run", params={"background": "true"})
    assert missing.status_code == 404
    assert session.scalars(select(TaskRecord).where(TaskRecord.name == "linkage.run")).all() == [task]
