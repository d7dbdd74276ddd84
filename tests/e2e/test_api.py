"""The JSON API over HTTP: authorisation matrix, scope, masking, audit, idempotency and bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database

from jangkau.auth.models import AuditEvent
from jangkau.auth.roles import PERMISSIONS, Permission, Role
from jangkau.db.uow import unit_of_work
from jangkau.demo.seed import seed_demo
from jangkau.demo.users import DEMO_PASSWORD, ensure_demo_users
from jangkau.registry.models import Person
from jangkau.web.app import create_app

USERS = {
    Role.ADMIN: "admin",
    Role.BRANCH_OFFICER: "cabang.medan",
    Role.REGION_OFFICER: "pemkot.medan",
    Role.OPD_OFFICER: "opd.medan",
    Role.FIELD_AGENT: "bhabin.medankota",
    Role.SPONSOR: "sponsor.apbd",
    Role.EMPLOYER: "majikan.demo",
    Role.WORKER: "pekerja.demo",
    Role.RULES_ADMIN: "aturan.cabang",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("api")), "api")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    seed_demo(factory, "12.71", "small", 3)
    with unit_of_work(factory) as session:
        ensure_demo_users(session)
    return engine


@pytest.fixture(scope="module")
def client(api_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(api_engine)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[Role, str]:
    out = {}
    for role, username in USERS.items():
        response = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        out[role] = response.json()["access_token"]
    return out


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def people(api_engine: Engine) -> tuple[int, int]:
    """A person inside the agent's district (12.71.01) and one outside it."""
    with unit_of_work(sessionmaker(bind=api_engine, expire_on_commit=False)) as session:
        inside = session.scalar(select(Person.id).where(Person.village_code.like("12.71.01.%")).limit(1))
        outside = session.scalar(select(Person.id).where(Person.village_code.like("12.71.05.%")).limit(1))
    assert inside
    assert outside
    return inside, outside


def new_person(nik: str, village: str = "12.71.01.1001") -> dict[str, Any]:
    return {"nik": nik, "full_name": "Rudi Hartono", "birth_date": "1988-04-12", "sex": "L", "village_code": village}


# route -> (method, path, permission, body)
ROUTES: dict[str, tuple[str, str, Permission, dict[str, Any] | None]] = {
    "list persons": ("GET", "/api/v1/persons?size=5", Permission.REGISTRY_READ, None),
    "list employers": ("GET", "/api/v1/employers?size=5", Permission.REGISTRY_READ, None),
    "quote": ("GET", "/api/v1/quotes/contribution?month=2026-01&income=1000000", Permission.QUOTE, None),
    "create membership": (
        "POST",
        "/api/v1/memberships",
        Permission.REGISTRY_WRITE,
        {"person_id": 0, "segment": "bpu", "programs": ["jkk"], "start_date": "2026-01-01"},
    ),
    "rule versions": ("GET", "/api/v1/rules/versions", Permission.RULES_READ, None),
    "activate a rule version": ("POST", "/api/v1/rules/versions/0/activate", Permission.RULES_MANAGE, None),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", list(ROUTES))
def test_every_route_checks_the_role(client: TestClient, tokens: dict[Role, str], role: Role, route: str) -> None:
    method, path, permission, body = ROUTES[route]
    response = client.request(method, path, headers=auth(tokens[role]), json=body)
    if permission in PERMISSIONS[role]:
        assert response.status_code != 403, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", list(Role))
def test_person_detail_in_and_out_of_scope(
    client: TestClient, tokens: dict[Role, str], api_engine: Engine, role: Role
) -> None:
    inside, outside = people(api_engine)
    got_inside = client.get(f"/api/v1/persons/{inside}", headers=auth(tokens[role]))
    got_outside = client.get(f"/api/v1/persons/{outside}", headers=auth(tokens[role]))
    if Permission.REGISTRY_READ not in PERMISSIONS[role]:
        assert got_inside.status_code == 403
        assert got_outside.status_code == 403
        return
    assert got_inside.status_code == 200
    # the agent's territory is 12.71.01; city-wide roles see 12.71.05 too
    if role is Role.FIELD_AGENT:
        assert got_outside.status_code == 404
        assert "full_name" not in got_outside.text
    else:
        assert got_outside.status_code == 200


def test_identifiers_masked_for_roles_that_do_not_need_them(
    client: TestClient, tokens: dict[Role, str], api_engine: Engine
) -> None:
    inside, _ = people(api_engine)
    opd = client.get(f"/api/v1/persons/{inside}", headers=auth(tokens[Role.OPD_OFFICER])).json()
    agent = client.get(f"/api/v1/persons/{inside}", headers=auth(tokens[Role.FIELD_AGENT])).json()
    assert "*" in opd["nik"]
    assert agent["nik"].isdigit()
    listing = client.get("/api/v1/persons?size=3", headers=auth(tokens[Role.FIELD_AGENT])).json()
    assert all("*" in p["nik"] for p in listing["items"])
    with unit_of_work(sessionmaker(bind=api_engine, expire_on_commit=False)) as session:
        reads = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "read_full", AuditEvent.entity_id == str(inside))
        ).all()
    assert {e.actor for e in reads} >= {"bhabin.medankota"}
    assert "opd.medan" not in {e.actor for e in reads}


def test_enrolment_is_idempotent(client: TestClient, tokens: dict[Role, str]) -> None:
    body = {"person": new_person("1271011204880007"), "programs": ["jkk", "jkm", "jht"], "declared_income": 1_000_000}
    headers = {**auth(tokens[Role.FIELD_AGENT]), "Idempotency-Key": "visit-0001"}
    first = client.post("/api/v1/enrolments", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["quote"]["total"] == 36_800  # Rp10,000 JKK + Rp6,800 JKM + Rp20,000 JHT [S-IDN-BPU2025]
    again = client.post("/api/v1/enrolments", json=body, headers=headers)
    assert again.status_code == 201
    assert again.json()["membership"]["id"] == first.json()["membership"]["id"]
    assert again.headers.get("idempotent-replay") == "true"
    other = client.post("/api/v1/enrolments", json={**body, "declared_income": 2_000_000}, headers=headers)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    without_key = client.post("/api/v1/enrolments", json=body, headers=auth(tokens[Role.FIELD_AGENT]))
    assert without_key.status_code == 409
    assert without_key.json()["error"]["code"] == "membership_exists"


def test_agent_cannot_enrol_outside_territory(client: TestClient, tokens: dict[Role, str]) -> None:
    body = {"person": new_person("1271051204880003", "12.71.05.1001"), "programs": ["jkk", "jkm"]}
    response = client.post("/api/v1/enrolments", json=body, headers=auth(tokens[Role.FIELD_AGENT]))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "village_code"


def test_worker_registers_a_household_worker(client: TestClient, tokens: dict[Role, str], api_engine: Engine) -> None:
    body = {
        "person": new_person("1271054506950004", "12.71.05.1001") | {"sex": "P", "birth_date": "1995-06-05"},
        "programs": ["jkk", "jkm"],
        "relationship": "household_worker",
    }
    response = client.post("/api/v1/enrolments", json=body, headers=auth(tokens[Role.WORKER]))
    assert response.status_code == 201, response.text
    with unit_of_work(sessionmaker(bind=api_engine, expire_on_commit=False)) as session:
        person = session.scalars(select(Person).where(Person.nik == "1271054506950004")).one()
    assert person.registered_by_kind == "participant"
    assert person.registered_by_person_id is not None
    missing = client.post("/api/v1/enrolments", json={**body, "relationship": None}, headers=auth(tokens[Role.WORKER]))
    assert missing.status_code == 422


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ('{"nik": "1271', "body"),  # malformed JSON
        ({"nik": 1271, "full_name": "A", "birth_date": "x", "sex": "L", "village_code": "12.71.01.1001"}, "nik"),
        ({**new_person("1271011204880015"), "colour": "blue"}, "colour"),  # unknown field
        (new_person("1271010000000000"), "nik"),
        (
            {**new_person("1271011204880015"), "birth_date": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
            "birth_date",
        ),
    ],
)
def test_bad_input_gets_one_error_shape(client: TestClient, tokens: dict[Role, str], payload: Any, field: str) -> None:
    headers = {**auth(tokens[Role.BRANCH_OFFICER]), "Content-Type": "application/json"}
    content = payload if isinstance(payload, str) else None
    response = client.post("/api/v1/persons", headers=headers, content=content, json=None if content else payload)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert any(field in f["field"] for f in error["fields"]), error


def test_duplicate_nik_is_409_and_oversized_body_is_413(client: TestClient, tokens: dict[Role, str]) -> None:
    headers = auth(tokens[Role.BRANCH_OFFICER])
    first = client.post("/api/v1/persons", json=new_person("1271011204880023"), headers=headers)
    assert first.status_code == 201, first.text
    second = client.post("/api/v1/persons", json=new_person("1271011204880023"), headers=headers)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "nik_already_registered"
    huge = client.post(
        "/api/v1/persons",
        content=b"{" + b" " * 3_000_000 + b"}",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413


def test_bad_tokens_and_passwords_are_401(client: TestClient) -> None:
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers=auth("jk_not-a-token"))
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "not_authenticated"
    wrong = client.post("/api/v1/auth/token", data={"username": "admin", "password": "nope-nope-nope"})
    assert wrong.status_code == 401


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/persons",
        "/api/v1/enrolments",
        "/api/v1/employers",
        "/api/v1/memberships",
        "/api/v1/quotes/contribution",
        "/api/v1/auth/token",
    ):
        assert path in paths


def test_cookie_session_api_writes_need_the_csrf_header(client: TestClient) -> None:
    page_client = TestClient(client.app)
    login_page = page_client.get("/login")
    token = login_page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed_in = page_client.post(
        "/login",
        data={"username": "bhabin.medankota", "password": DEMO_PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    body = {"person": new_person("1271011204880031"), "programs": ["jkk", "jkm"]}
    refused = page_client.post("/api/v1/enrolments", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    accepted = page_client.post("/api/v1/enrolments", json=body, headers={"X-Requested-With": "jangkau"})
    assert accepted.status_code == 201, accepted.text
