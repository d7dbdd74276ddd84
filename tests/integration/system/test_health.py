"""Liveness, readiness, request ids and metrics on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.config import get_settings
from jangkau.db.engine import make_engine
from jangkau.db.migrate import schema_state, upgrade
from jangkau.system.metrics import POOL_IN_USE, watch_pool
from jangkau.web.app import create_app


def test_ready_on_a_current_database(engine: Engine) -> None:
    client = TestClient(create_app(engine))
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ready"
    checks = {c["name"]: c for c in body["checks"]}
    assert checks["migrations"]["ok"]
    assert checks["worker"]["ok"]  # the test settings' queue (memory:// or SQLite) needs no separate worker
    assert checks["worker"]["detail"] == "no worker heartbeat seen yet (not required here)"


def test_not_migrated_database_is_not_ready_but_alive(tmp_path: Path) -> None:
    client = TestClient(create_app(make_engine(f"sqlite:///{tmp_path / 'empty.db'}")))
    assert client.get("/api/v1/health").json()["status"] == "ok"
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 503
    migrations = next(c for c in answer.json()["checks"] if c["name"] == "migrations")
    assert not migrations["ok"]
    assert "jangkau db upgrade" in migrations["detail"]


def test_unreachable_database_is_not_ready_but_alive(tmp_path: Path) -> None:
    client = TestClient(create_app(make_engine(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")))
    assert client.get("/api/v1/health").status_code == 200  # liveness touches no database
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 503
    assert answer.json()["checks"][0]["detail"].startswith("database unreachable")


def test_database_newer_than_the_code_is_named(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'newer.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0099_future')"))
    state = schema_state(engine)
    assert state.unknown == {"0099_future"}
    assert "newer than this version of Jangkau" in state.describe()


def test_request_id_in_header_error_body_and_error_page(engine: Engine) -> None:
    client = TestClient(create_app(engine))
    answer = client.get("/api/v1/regions/99.99", headers={"X-Request-ID": "support-ticket-77"})
    assert answer.status_code == 404
    assert answer.headers.get_list("X-Request-ID") == ["support-ticket-77"]
    assert answer.json()["error"]["request_id"] == "support-ticket-77"
    fresh = client.get("/api/v1/regions/99.99")
    assert fresh.json()["error"]["request_id"] == fresh.headers["X-Request-ID"] != "support-ticket-77"


def test_request_id_on_the_html_error_page(session: Session) -> None:
    client = client_as(session, Principal(None, "pemkot.uji", Role.REGION_OFFICER, ("12.71",)))
    page = client.get("/reports/99.99", headers={"X-Request-ID": "page-ticket-78"})
    assert page.status_code >= 400
    assert "text/html" in page.headers["content-type"]
    assert "page-ticket-78" in page.text


def test_metrics_count_by_route_template_and_status_class(engine: Engine) -> None:
    client = TestClient(create_app(engine))
    before = _sample(client, 'jangkau_http_responses_total{route="/api/v1/regions/{code}",status_class="4xx"}')
    client.get("/api/v1/regions/99.99")
    client.get("/api/v1/regions/98.98")
    text_ = client.get("/metrics").text
    assert _sample_in(text_, 'jangkau_http_responses_total{route="/api/v1/regions/{code}",status_class="4xx"}') == (
        before + 2
    )
    assert 'jangkau_http_request_duration_seconds_count{method="GET",route="/api/v1/regions/{code}"}' in text_
    assert "jangkau_db_connections_in_use" in text_
    assert "jangkau_report_pending_marks" in text_
    assert "99.99" not in text_  # raw paths never become labels


def _sample(client: TestClient, name: str) -> float:
    return _sample_in(client.get("/metrics").text, name)


def _sample_in(body: str, name: str) -> float:
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def test_only_allowed_hosts_are_answered(engine: Engine) -> None:
    settings = get_settings().model_copy(update={"allowed_hosts": "jangkau.example.go.id, 10.0.0.5"})
    client = TestClient(create_app(engine, settings), base_url="http://jangkau.example.go.id")
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/health", headers={"Host": "10.0.0.5"}).status_code == 200
    assert client.get("/api/v1/health", headers={"Host": "evil.example.com"}).status_code == 400


def test_old_code_on_a_newer_database_stays_ready(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'rolling.db'}")
    upgrade(engine)
    with engine.begin() as connection:  # a newer release migrated the database during a rolling upgrade
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0099_future')"))
    answer = TestClient(create_app(engine)).get("/api/v1/ready")
    assert answer.status_code == 200
    assert "newer than this version" in answer.json()["checks"][1]["detail"]


def test_pool_gauge_follows_checked_out_connections(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    watch_pool(engine)
    before = POOL_IN_USE._value.get()
    with engine.connect(), engine.connect():
        assert POOL_IN_USE._value.get() == before + 2
    assert POOL_IN_USE._value.get() == before


def test_metrics_say_how_fresh_the_summaries_are(engine: Engine) -> None:
    finished = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    run = {"kind": "rebuild", "first": dt.date(2026, 1, 1), "last": dt.date(2026, 11, 1), "finished": finished}
    with engine.begin() as connection:
        run_id = connection.execute(
            text(
                "INSERT INTO report_run (kind, first_month, last_month, rows, started_at, finished_at) "
                "VALUES (:kind, :first, :last, 0, :finished, :finished) RETURNING id"
            ),
            run,
        ).scalar_one()
    try:
        body = TestClient(create_app(engine)).get("/metrics").text
    finally:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM report_run WHERE id = :id"), {"id": run_id})
    age = _sample_in(body, "jangkau_report_summary_age_seconds")
    assert 7_100 < age < 7_400
