"""Readiness and /metrics see the queue's workers through their heartbeat rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from jangkau.config import Settings, get_settings
from jangkau.db.uow import unit_of_work
from jangkau.tasks.heartbeat import Heartbeat, worker_required
from jangkau.tasks.models import WorkerHeartbeat
from jangkau.web.app import create_app


@pytest.fixture
def no_workers(engine: Engine) -> Iterator[None]:
    """The shared database starts and ends each test without heartbeat rows (they are committed, not rolled back)."""
    with engine.begin() as connection:
        connection.execute(delete(WorkerHeartbeat))
    yield
    with engine.begin() as connection:
        connection.execute(delete(WorkerHeartbeat))


def _settings(**update: Any) -> Settings:
    return get_settings().model_copy(update={"worker_stale_seconds": 1.0, **update})


def _units(engine: Engine) -> Any:
    factory = sessionmaker(bind=engine)

    def units() -> AbstractContextManager[Session]:
        return unit_of_work(factory)

    return units


def _worker(client: TestClient) -> tuple[int, dict[str, Any]]:
    answer = client.get("/api/v1/ready")
    return answer.status_code, next(c for c in answer.json()["checks"] if c["name"] == "worker")


def _gauge(client: TestClient, name: str) -> float | None:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


@pytest.mark.usefixtures("no_workers")
def test_where_a_worker_is_required_ready_follows_its_heartbeat(engine: Engine) -> None:
    client = TestClient(create_app(engine, _settings(worker_required=True)))
    status, check = _worker(client)
    assert (status, check["ok"]) == (503, False)
    assert check["detail"] == "no worker heartbeat seen yet (required)"

    beat = Heartbeat(threads=2, interval=0.1, units=_units(engine))
    beat.start()  # the first beat is written before start returns
    try:
        status, check = _worker(client)
        assert (status, check["ok"]) == (200, True)
        assert check["detail"].startswith("1 worker(s) alive")
        assert _gauge(client, "jangkau_workers_alive") == 1.0
        time.sleep(1.3)  # longer than the stale threshold: only the beats written meanwhile keep it alive
        assert _worker(client)[0] == 200
        assert _gauge(client, "jangkau_worker_last_heartbeat_age_seconds") < 1.0
    finally:
        beat.stop()

    status, check = _worker(client)  # stopped cleanly: gone at once
    assert status == 503
    assert check["detail"].startswith("no worker alive: last heartbeat 0 s ago")
    assert _gauge(client, "jangkau_workers_alive") == 0.0


@pytest.mark.usefixtures("no_workers")
def test_a_worker_that_stops_beating_goes_stale_after_the_threshold(engine: Engine) -> None:
    seen = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=0.5)
    with engine.begin() as connection:  # a worker killed half a second ago: its row is not marked stopped
        connection.execute(WorkerHeartbeat.__table__.insert().values(
            worker_id="w1:99", host="w1", pid=99, threads=2, started_at=seen, seen_at=seen))  # fmt: skip
    required = TestClient(create_app(engine, _settings(worker_required=True)))
    assert _worker(required)[0] == 200
    time.sleep(0.7)
    status, check = required.get("/api/v1/ready").status_code, _worker(required)[1]
    assert status == 503
    assert "stale after 1 s (required)" in check["detail"]

    optional = TestClient(create_app(engine, _settings(worker_required=False)))
    status, check = _worker(optional)
    assert status == 200
    assert check["ok"]
    assert "(not required here)" in check["detail"]


def test_a_worker_is_required_by_default_only_with_a_queue_service() -> None:
    base = get_settings()
    assert not worker_required(base.model_copy(update={"queue_url": "", "worker_required": None}))
    assert not worker_required(base.model_copy(update={"queue_url": "memory://", "worker_required": None}))
    assert worker_required(base.model_copy(update={"queue_url": "redis://127.0.0.1:6379/0", "worker_required": None}))
    assert worker_required(base.model_copy(update={"queue_url": "postgresql://db/jangkau", "worker_required": None}))
    assert not worker_required(base.model_copy(update={"queue_url": "redis://x", "worker_required": False}))
    assert worker_required(base.model_copy(update={"queue_url": "", "worker_required": True}))


@pytest.mark.usefixtures("no_workers")
def test_a_failed_beat_is_logged_and_the_worker_goes_on(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> AbstractContextManager[Session]:
        raise ConnectionError("database restarting")

    beat = Heartbeat(threads=1, interval=0.05, units=broken)
    beat.start()
    time.sleep(0.2)
    beat.stop()
    assert "worker heartbeat not written (ConnectionError)" in caplog.text
