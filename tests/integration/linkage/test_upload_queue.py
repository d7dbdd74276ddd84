"""An uploaded list is stored, then imported (and linked) by a task: the request answers at once (202, or the
task's page), the task records its progress, a bad file fails the task with the reason, a rerun of the same
upload imports nothing twice, and only the uploader (or the task console) can follow the task."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.integration.linkage.test_runs_state import LIST_CSV
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.linkage import imports, runs
from jangkau.linkage.models import LinkageList, LinkageRow, LinkageUpload
from jangkau.tasks import record
from jangkau.tasks.models import TaskRecord


def _officer(session: Session, username: str = "unggah.officer") -> Principal:
    user = create_user(session, NewUser(username, "Officer", Role.REGION_OFFICER, "a-long-password-1", ("12.71",)),
                       OPERATOR)  # fmt: skip
    return Principal(user.id, user.username, Role.REGION_OFFICER, ("12.71",))


def _task(session: Session, task_id: int) -> TaskRecord:
    session.expire_all()
    return session.get_one(TaskRecord, task_id)


@pytest.mark.usefixtures("immediate")
def test_the_api_answers_202_and_the_task_imports_the_list(session: Session) -> None:
    client = client_as(session, _officer(session))
    files = {"file": ("kepling.csv", LIST_CSV.encode(), "text/csv")}
    queued = client.post("/api/v1/linkage/import", files=files, data={"source": "Kepling queue", "link": "true"})
    assert queued.status_code == 202, queued.text
    answer = queued.json()
    assert answer["task"] == f"/api/v1/tasks/{answer['task_id']}"
    task = _task(session, answer["task_id"])
    assert (task.name, task.status, task.started_by) == ("linkage.import", "done", "user:unggah.officer")
    assert (task.done, task.total) == (1 + len(runs.RUN_PHASES), 1 + len(runs.RUN_PHASES))
    result = json.loads(task.result or "{}")
    listing = session.get_one(LinkageList, result["list_id"])
    assert (listing.status, listing.rows_read, listing.uploaded_by) == ("linked", 3, "unggah.officer")
    upload = session.get_one(LinkageUpload, answer["upload_id"])
    assert (upload.list_id, upload.content) == (listing.id, None)  # the rows are the only copy now
    followed = client.get(answer["task"]).json()
    assert (followed["status"], followed["result"]["list_id"]) == ("done", listing.id)


@pytest.mark.usefixtures("immediate")
def test_a_file_that_cannot_be_read_fails_the_task_with_the_reason(session: Session) -> None:
    client = client_as(session, _officer(session))
    files = {"file": ("daftar.xlsx", b"nik,name,birth_date\n1,a,b\n", "application/octet-stream")}
    queued = client.post("/api/v1/linkage/import", files=files, data={"source": "dinsos"})
    assert queued.status_code == 202, queued.text
    task = _task(session, queued.json()["task_id"])
    assert task.status == "failed"
    assert "XLSX" in (task.error or "")
    upload = session.get_one(LinkageUpload, queued.json()["upload_id"])
    assert upload.content is None
    assert "XLSX" in (upload.error or "")
    empty = client.post("/api/v1/linkage/import", files={"file": ("a.csv", b"", "text/csv")}, data={"source": "x"})
    assert empty.status_code == 422  # refused at once: nothing to queue


@pytest.mark.usefixtures("immediate")
def test_the_page_answers_with_the_task_page_and_only_the_uploader_follows_it(session: Session) -> None:
    officer = _officer(session)
    client = client_as(session, officer)
    index = client.get("/linkage")
    token = re.search(r'name="once" value="([^"]+)"', index.text)
    assert token is not None
    form = {"source": "Kepling page", "csrf_token": "t", "once": token.group(1)}
    client.cookies.set("jangkau_csrf", "t")
    sent = client.post("/linkage/import", files={"file": ("k.csv", LIST_CSV.encode(), "text/csv")}, data=form)
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    assert re.fullmatch(r"/linkage/tasks/\d+", location)
    page = client.get(location)
    assert page.status_code == 200
    assert "<progress" in page.text
    assert "tasks/progress.js" in page.text
    assert 'id="task-list"' in page.text
    assert "/linkage/tasks/" in client.get("/linkage").text  # the officer finds the import again on the lists page
    task_id = location.rsplit("/", 1)[1]
    list_id = json.loads(_task(session, int(task_id)).result or "{}")["list_id"]
    again = client.post(f"/linkage/lists/{list_id}/run", data={"csrf_token": "t", "once": "run-again"})
    assert again.status_code == 303  # the run button queues too, and answers with the run's task page
    rerun = _task(session, int(again.headers["location"].rsplit("/", 1)[1]))
    assert (rerun.name, rerun.status) == ("linkage.run", "done")
    assert "Penautan daftar" in client.get(again.headers["location"]).text
    other = client_as(session, _officer(session, "lain.officer"))
    assert other.get(location).status_code == 404
    assert other.get(f"/api/v1/tasks/{task_id}").status_code == 404


def test_a_rerun_of_the_same_upload_imports_nothing_twice(session: Session) -> None:
    officer = _officer(session)
    upload = imports.store_upload(session, officer, "k.csv", LIST_CSV.encode(), "Kepling twice", "", link=False)

    class Step:
        def __enter__(self) -> Session:
            self.nested = session.begin_nested()
            return session

        def __exit__(self, *exc: object) -> None:
            if exc[0] is None:
                self.nested.commit()
            else:
                self.nested.rollback()

    first = imports.import_stored(Step, officer, upload.id)
    again = imports.import_stored(Step, officer, upload.id)  # a worker killed before the task finished, rerun
    assert first == again
    rows = session.scalar(select(func.count()).select_from(LinkageRow).where(LinkageRow.list_id == first))
    assert rows == 3
    lists = session.scalar(select(func.count()).select_from(LinkageList).where(LinkageList.file_name == "k.csv"))
    assert lists == 1
    assert record.TASKS["linkage.import"].period_of({"upload_id": upload.id, "user_id": 1}) == f"upload {upload.id}"
