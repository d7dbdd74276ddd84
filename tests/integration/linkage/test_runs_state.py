"""Runs are recorded (state, phase, reason) and a run that breaks midway leaves the previous decisions intact;
retried API requests (``Idempotency-Key``) create one list version and run once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.errors import JangkauError
from jangkau.linkage import repository as repo
from jangkau.linkage import runs
from jangkau.linkage.endpoints import router
from jangkau.linkage.imports import import_list
from jangkau.linkage.models import LinkageDecision, LinkageList, LinkageRun, LinkageSource
from jangkau.linkage.review import list_detail
from jangkau.registry.models import Person
from jangkau.tasks.models import TaskRecord
from jangkau.web.kit import get_session

LIST_CSV = """row_id,nik,name,birth_date,sex,village_code
a,1271011508800001,M. Yusuf Harahap,15-08-1980,L,12.71.01.1001
b,,Hj. St. Aminah,1985-03-12,P,12.71.01.1002
c,,Rina Marlina,2001-02-03,P,12.71.02.1003
"""


@pytest.fixture
def list_id(session: Session, tmp_path: Path) -> int:
    for nik, name, born, sex, village in (
        ("1271011508800001", "MUHAMMAD YUSUF HARAHAP", dt.date(1980, 8, 15), "L", "12.71.01.1001"),
        ("1271015203850001", "SITI AMINAH", dt.date(1985, 3, 12), "P", "12.71.01.1002"),
    ):
        session.add(Person(nik=nik, full_name=name, birth_date=born, sex=sex, village_code=village,
                           registered_by_kind="user"))  # fmt: skip
    session.flush()
    path = tmp_path / "kepling.csv"
    path.write_text(LIST_CSV, encoding="utf-8")
    return int(import_list(session, OPERATOR, path, "Kepling runs")["list_id"])


def _decisions(session: Session, list_id: int) -> list[tuple[str, int | None]]:
    found = session.execute(
        select(LinkageDecision.decision, LinkageDecision.person_id)
        .where(LinkageDecision.list_id == list_id)
        .order_by(LinkageDecision.row_pk)
    )
    return [(d, p) for d, p in found]


def test_a_run_is_recorded_done_with_its_last_phase(session: Session, list_id: int) -> None:
    seen: list[str] = []
    summary = runs.run_list(session, OPERATOR, list_id, on_phase=seen.append)
    assert summary["run"]["state"] == "done"
    assert seen[0] == "read_list"
    assert seen[-2:] == ["dedupe", "store"]
    assert "predict" in seen
    detail = list_detail(session, OPERATOR, list_id)
    assert detail["last_run"]["state"] == "done"
    assert detail["last_run"]["phase"] == "store"
    assert detail["last_run"]["finished_at"] is not None
    assert [d for d, _ in _decisions(session, list_id)].count("match") == 2


def test_an_engine_crash_keeps_the_old_decisions_and_marks_the_run_failed(
    session: Session, list_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs.run_list(session, OPERATOR, list_id)
    before = _decisions(session, list_id)
    assert len(before) == 3

    def crash(_validated: Any, _register: Any, _options: Any = None, on_phase: Any = None) -> None:
        on_phase("predict")
        raise RuntimeError("DuckDB: out of memory")

    monkeypatch.setattr(runs, "link_list", crash)
    summary = runs.run_list(session, OPERATOR, list_id)
    assert summary["run"]["state"] == "failed"
    assert summary["run"]["phase"] == "predict"
    assert "out of memory" in summary["run"]["error"]
    assert _decisions(session, list_id) == before
    detail = list_detail(session, OPERATOR, list_id)
    assert (detail["last_run"]["state"], detail["last_run"]["phase"]) == ("failed", "predict")


def test_a_crash_while_storing_leaves_no_half_written_decisions(
    session: Session, list_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs.run_list(session, OPERATOR, list_id)
    before = _decisions(session, list_id)
    real = repo.replace_decisions

    def half(session_: Session, list_id_: int, rows: list[dict[str, Any]]) -> None:
        real(session_, list_id_, rows[:1])  # old decisions deleted, one new one written ...
        raise OSError("disk full")  # ... then the store breaks

    monkeypatch.setattr(repo, "replace_decisions", half)
    summary = runs.run_list(session, OPERATOR, list_id)
    assert (summary["run"]["state"], summary["run"]["phase"]) == ("failed", "store")
    assert _decisions(session, list_id) == before


def test_a_first_run_that_crashes_leaves_no_decisions(
    session: Session, list_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("engine broke")

    monkeypatch.setattr(runs, "link_list", crash)
    assert runs.run_list(session, OPERATOR, list_id)["run"]["state"] == "failed"
    assert _decisions(session, list_id) == []
    listing = session.get(LinkageList, list_id)
    assert listing is not None
    assert listing.status == "imported"
    monkeypatch.undo()
    assert runs.run_list(session, OPERATOR, list_id)["run"]["state"] == "done"  # a clean rerun
    assert len(_decisions(session, list_id)) == 3


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(session: Session, list_id: int) -> None:
    stale = LinkageRun(list_id=list_id, state="running", phase="predict", started_by="cli",
                       started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    session.add(stale)
    session.flush()
    runs.run_list(session, OPERATOR, list_id)
    session.refresh(stale)
    assert stale.state == "failed"
    assert stale.error == runs.RUN_INTERRUPTED


# --- the API: retries with the same Idempotency-Key ----------------------------------------------------------


@pytest.fixture
def client(session: Session) -> TestClient:
    user = create_user(session, NewUser("linkage.officer", "Officer", Role.BRANCH_OFFICER, "a-long-password-1",
                                        ("12.71",)), OPERATOR)  # fmt: skip
    app = FastAPI()
    app.include_router(router, prefix="/api/v1")
    app.state.session_factory = sessionmaker(bind=session.get_bind())

    def handler(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, JangkauError)
        return JSONResponse({"error": exc.as_dict()}, status_code=exc.http_status)

    def db() -> Iterator[Session]:
        yield session

    app.add_exception_handler(JangkauError, handler)
    app.dependency_overrides[current_principal] = lambda: Principal(user.id, user.username, Role.BRANCH_OFFICER,
                                                                    ("12.71",))  # fmt: skip
    app.dependency_overrides[get_session] = db
    return TestClient(app)


def _versions(session: Session, name: str) -> int:
    stmt = select(func.count()).select_from(LinkageList).join(LinkageSource).where(LinkageSource.name == name)
    return int(session.scalar(stmt) or 0)


def _post_list(client: TestClient, key: str, content: str = LIST_CSV) -> Any:
    files = {"file": ("kepling.csv", content.encode(), "text/csv")}
    return client.post("/api/v1/linkage/import", files=files, data={"source": "Kepling API"},
                       headers={"Idempotency-Key": key})  # fmt: skip


@pytest.mark.usefixtures("immediate")
def test_a_retried_import_creates_one_list_version(client: TestClient, session: Session) -> None:
    first = _post_list(client, "import-1")
    assert first.status_code == 202, first.text
    again = _post_list(client, "import-1")
    assert again.status_code == 202
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replay") == "true"
    assert _versions(session, "Kepling API") == 1
    other = _post_list(client, "import-1", LIST_CSV + "d,,Budi,1990-01-01,L,12.71.01.1001\n")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert _versions(session, "Kepling API") == 1
    task = session.get(TaskRecord, _post_list(client, "import-2").json()["task_id"])  # a new key is a new import
    assert task is not None
    assert task.result is not None
    assert session.get_one(LinkageList, json.loads(task.result)["list_id"]).version == 2


def test_a_retried_run_runs_once(client: TestClient, session: Session, list_id: int) -> None:
    first = client.post(f"/api/v1/linkage/lists/{list_id}/run", headers={"Idempotency-Key": "run-1"})
    assert first.status_code == 200, first.text
    again = client.post(f"/api/v1/linkage/lists/{list_id}/run", headers={"Idempotency-Key": "run-1"})
    assert again.json() == first.json()
    runs_recorded = session.scalar(select(func.count()).select_from(LinkageRun).where(LinkageRun.list_id == list_id))
    assert runs_recorded == 1
    other = client.post(f"/api/v1/linkage/lists/{list_id + 1000}/run", headers={"Idempotency-Key": "run-1"})
    assert other.status_code == 422


def test_a_failed_run_answers_500_with_its_reason_and_is_recorded(
    client: TestClient, session: Session, list_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("engine broke")

    monkeypatch.setattr(runs, "link_list", crash)
    failed = client.post(f"/api/v1/linkage/lists/{list_id}/run")
    assert failed.status_code == 500
    body = failed.json()
    assert body["error"]["code"] == "linkage_run_failed"
    assert body["run"]["state"] == "failed"
    assert "engine broke" in body["error"]["message"]
    assert client.get(f"/api/v1/linkage/lists/{list_id}").json()["last_run"]["state"] == "failed"


def test_the_list_page_shows_a_failed_run_with_its_reason_and_a_rerun_button(
    session: Session, list_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.staticfiles import StaticFiles

    from jangkau.linkage.pages import router as pages
    from jangkau.web.kit import WEB_DIR

    app = FastAPI()
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")

    @app.middleware("http")
    async def signed_in(request: Request, call_next: Any) -> Any:
        request.state.principal = OPERATOR
        return await call_next(request)

    def db() -> Iterator[Session]:
        yield session

    app.dependency_overrides[current_principal] = lambda: OPERATOR
    app.dependency_overrides[get_session] = db
    page = TestClient(app)

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("engine broke")

    monkeypatch.setattr(runs, "link_list", crash)
    runs.run_list(session, OPERATOR, list_id)
    html = page.get(f"/linkage/lists/{list_id}").text
    assert 'data-state="failed"' in html
    assert "engine broke" in html
    assert "Jalankan ulang" in html
    monkeypatch.undo()
    runs.run_list(session, OPERATOR, list_id)
    html = page.get(f"/linkage/lists/{list_id}").text
    assert 'data-state="done"' in html
    assert "run-error" not in html
