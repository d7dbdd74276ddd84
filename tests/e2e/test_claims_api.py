"""The claims API over HTTP: who may do what, idempotent filing, refusals with reasons, the maker-checker flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database
from tests.integration.claims.conftest import membership, months, pay, person

from jangkau.auth.roles import PERMISSIONS, Permission, Role
from jangkau.db.uow import unit_of_work
from jangkau.demo.users import DEMO_PASSWORD, ensure_demo_users
from jangkau.kit.months import Month
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
DOCUMENTS = ("akta_kematian", "ktp", "kk", "kartu_peserta", "ktp_ahli_waris", "surat_ahli_waris", "buku_tabungan")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def claims_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("claims")), "claims_api")
    with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as session:
        ensure_demo_users(session)
        worker = person(session, 401)  # 12.71.01.1001, inside the agent's district
        pay(session, membership(session, worker), months(Month(2023, 1), Month.of(dt.date.today())))
        person(session, 402)  # registered, no membership
        away = person(session, 403, village_code="12.71.02.1001")
        pay(session, membership(session, away), months(Month(2023, 1), Month.of(dt.date.today())))
    return engine


@pytest.fixture(scope="module")
def client(claims_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(claims_engine)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[Role, str]:
    out = {}
    for role, username in USERS.items():
        response = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        out[role] = response.json()["access_token"]
    return out


def auth(token: str, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    return {**headers, "Idempotency-Key": key} if key else headers


def death(nik: str, days_ago: int = 5, **extra: Any) -> dict[str, Any]:
    body = {
        "type": "jkm",
        "nik": nik,
        "event_date": (dt.date.today() - dt.timedelta(days=days_ago)).isoformat(),
        "reporter_kind": "agent",
        "reporter_name": "Bripka Andi",
        "heirs": [{"full_name": "Siti", "relationship": "spouse"}, {"full_name": "Rina", "relationship": "child"}],
    }
    return {**body, **extra}


NIK = "1271011508800401"


@pytest.mark.parametrize("role", list(Role))
def test_every_claims_route_checks_the_role(client: TestClient, tokens: dict[Role, str], role: Role) -> None:
    quote = client.post("/api/v1/claims/quote", json=death(NIK), headers=auth(tokens[role]))
    verify = client.post("/api/v1/claims/KLM-0000-000000/verify", json={}, headers=auth(tokens[role]))
    for response, permission in ((quote, Permission.CLAIMS_FILE), (verify, Permission.CLAIMS_PROCESS)):
        if permission in PERMISSIONS[role]:
            assert response.status_code != 403, response.text
        else:
            assert response.status_code == 403, response.text


def test_filing_is_idempotent_and_refuses_bad_claims(client: TestClient, tokens: dict[Role, str]) -> None:
    agent = tokens[Role.FIELD_AGENT]
    quote = client.post("/api/v1/claims/quote", json=death(NIK), headers=auth(agent)).json()
    assert (quote["eligible"], quote["amount"]) == (True, 42_000_000)
    assert {r["id"] for r in quote["rules"]} >= {"jkm_benefits", "claim_heirs"}

    first = client.post("/api/v1/claims", json=death(NIK), headers=auth(agent, "klaim-401"))
    assert first.status_code == 201, first.text
    retry = client.post("/api/v1/claims", json=death(NIK), headers=auth(agent, "klaim-401"))
    assert retry.headers.get("Idempotent-Replay") == "true"
    assert retry.json()["reference"] == first.json()["reference"]
    twice = client.post("/api/v1/claims", json=death(NIK), headers=auth(agent, "another-key"))
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "duplicate_claim"

    refusals = {
        "event_in_future": death(NIK, days_ago=-3),
        "no_membership": death("1271011508800402"),
        "heirs_not_in_order": death(
            NIK, days_ago=9, heirs=[{"full_name": "Pak Tetangga", "relationship": "neighbour"}]
        ),
    }
    for code, body in refusals.items():
        response = client.post("/api/v1/claims", json=body, headers=auth(agent))
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["message_id"]
    away = client.post("/api/v1/claims", json=death("1271021508800403"), headers=auth(agent))
    assert away.status_code == 404


def test_maker_checker_flow_over_http(client: TestClient, tokens: dict[Role, str]) -> None:
    officer, admin = tokens[Role.BRANCH_OFFICER], tokens[Role.ADMIN]
    filed = client.post("/api/v1/claims", json=death(NIK, days_ago=2), headers=auth(officer)).json()
    ref = filed["reference"]
    early = client.post(f"/api/v1/claims/{ref}/pay", json={"paid_on": dt.date.today().isoformat()}, headers=auth(admin))
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "transition_refused"
    for code in DOCUMENTS:
        done = client.post(f"/api/v1/claims/{ref}/documents", json={"code": code}, headers=auth(officer))
        assert done.status_code == 200, done.text
    assert done.json()["status"] == "documents_complete"
    assert done.json()["sla"]["due_on"] > dt.date.today().isoformat()
    assert client.post(f"/api/v1/claims/{ref}/verify", json={}, headers=auth(officer)).status_code == 200
    same = client.post(f"/api/v1/claims/{ref}/approve", headers=auth(officer))
    assert same.status_code == 409
    assert same.json()["error"]["code"] == "same_officer"
    assert client.post(f"/api/v1/claims/{ref}/approve", headers=auth(admin)).status_code == 200
    paid = client.post(f"/api/v1/claims/{ref}/pay", json={"paid_on": dt.date.today().isoformat()}, headers=auth(admin))
    assert paid.json()["status"] == "paid"
    assert paid.json()["late_compensation"] == 0
    queue = client.get("/api/v1/claims?status=paid", headers=auth(officer)).json()
    assert ref in [r["reference"] for r in queue["items"]]
    mine = client.get("/api/v1/claims?status=paid", headers=auth(tokens[Role.WORKER])).json()
    assert ref not in [r["reference"] for r in mine["items"]]  # a worker sees only the claims they filed
