"""The outreach API over HTTP: who may call what, the batch sync with a corrupted record, document uploads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database

from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import PERMISSIONS, AgentKind, Permission, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.config import get_settings
from jangkau.db.uow import unit_of_work
from jangkau.web.app import create_app

PASSWORD = "rahasia-panjang-123"
USERS = {
    Role.ADMIN: ("admin.test", ("",), None),
    Role.REGION_OFFICER: ("disnaker.test", ("12.71",), None),
    Role.OPD_OFFICER: ("opd.test", ("12.71",), None),
    Role.FIELD_AGENT: ("agen.test", ("12.71.01",), AgentKind.COMMUNITY_AGENT),
    Role.SPONSOR: ("sponsor.test", ("12.71",), None),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = Path(tmp_path_factory.mktemp("outreach_api"))
    engine: Engine = build_database("sqlite", folder, "api")
    with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as session:
        for role, (name, scope, kind) in USERS.items():
            create_user(session, NewUser(name, name, role, PASSWORD, scope, kind, "Koperasi"), OPERATOR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JANGKAU_VAR_DIR", str(folder))
        get_settings.cache_clear()
        with TestClient(create_app(engine)) as test_client:
            yield test_client
    get_settings.cache_clear()


def headers(client: TestClient, role: Role) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": USERS[role][0], "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


ROUTES: dict[str, tuple[str, str, Permission, Any]] = {
    "funnel": ("GET", "/api/v1/outreach/funnel?by=agent", Permission.OUTREACH_READ, None),
    "partnerships": ("GET", "/api/v1/outreach/partnerships", Permission.OUTREACH_READ, None),
    "create campaign": ("POST", "/api/v1/outreach/campaigns", Permission.OUTREACH_MANAGE, {}),
    "register agent": ("POST", "/api/v1/outreach/agents/register", Permission.OUTREACH_MANAGE, {}),
    "set targets": ("PUT", "/api/v1/outreach/campaigns/1/targets", Permission.OUTREACH_MANAGE, {}),
    "today": ("GET", "/api/v1/outreach/today", Permission.FIELD_WORK, None),
    "sync": ("POST", "/api/v1/outreach/visits/sync", Permission.FIELD_WORK, {"records": []}),
}


@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("route", list(ROUTES))
def test_every_route_checks_the_role(client: TestClient, role: Role, route: str) -> None:
    method, path, permission, body = ROUTES[route]
    response = client.request(method, path, headers=headers(client, role), json=body)
    assert (response.status_code == 403) is (permission not in PERMISSIONS[role]), response.text


def test_agent_sync_keeps_good_records(client: TestClient) -> None:
    admin = headers(client, Role.ADMIN)
    saved = client.post("/api/v1/outreach/agents", headers=admin, json={
        "username": "agen.test", "institution_kind": "polsek", "institution": "Polsek Medan Kota",
        "villages": ["12.71.01.1001"]})  # fmt: skip
    assert saved.status_code == 201, saved.text
    rows = [
        {"full_name": "Ani", "village_code": "12.71.01.1001"},
        {"full_name": "Luar", "village_code": "12.71.05.1001"},
    ]
    added = client.post("/api/v1/outreach/prospects", headers=admin, json={"source": "manual", "rows": rows})
    inside, outside = added.json()["prospect_ids"]
    agent = headers(client, Role.FIELD_AGENT)
    today = client.get("/api/v1/outreach/today", headers=agent).json()
    assert [p["full_name"] for p in today["items"]] == ["Ani"], "the agent sees only their village"
    records = [
        {"prospect_id": inside, "visited_on": "2026-01-05", "outcome": "interested", "client_key": "k-000000001"},
        {"prospect_id": outside, "visited_on": "2026-01-05", "outcome": "refused", "client_key": "k-000000002"},
        {"prospect_id": inside, "outcome": 12, "client_key": "k-000000003"},
    ]
    body = client.post("/api/v1/outreach/visits/sync", headers=agent, json={"records": records}).json()
    assert [r["status"] for r in body["results"]] == ["created", "error", "error"]
    assert body["results"][1]["error"]["code"] == "outside_scope"
    again = client.post("/api/v1/outreach/visits/sync", headers=agent, json={"records": records[:1]}).json()
    assert again["results"][0]["status"] == "duplicate"
    funnel = client.get("/api/v1/outreach/funnel?by=agent&from=2026-01-01&to=2026-01-31", headers=admin).json()
    assert funnel["rows"][0]["key"] == "agen.test"
    assert (funnel["rows"][0]["visited"], funnel["rows"][0]["interested"]) == (1, 1)


def test_document_upload_checks_type_and_size(client: TestClient) -> None:
    officer = headers(client, Role.REGION_OFFICER)
    mou = client.post("/api/v1/outreach/partnerships", headers=officer, json={
        "kind": "mou", "partner": "Dinas Kominfo", "partner_kind": "opd", "region_code": "12.71",
        "title": "Berbagi data", "status": "signed", "signed_on": "2026-01-10"}).json()  # fmt: skip
    url = f"/api/v1/outreach/partnerships/{mou['id']}/upload"
    fake = client.post(url, headers=officer, files={"file": ("mou.pdf", b"<html>", "application/pdf")})
    assert fake.status_code == 422
    assert fake.json()["error"]["code"] == "document_type"
    big = client.post(
        url, headers=officer, files={"file": ("mou.pdf", b"%PDF-" + b"0" * 10_000_000, "application/pdf")}
    )
    assert big.status_code == 422
    assert big.json()["error"]["code"] == "document_size"
    good = client.post(url, headers=officer, files={"file": ("mou.pdf", b"%PDF-1.7 ok", "application/pdf")})
    assert good.status_code == 201, good.text
    listing = client.get("/api/v1/outreach/partnerships", headers=headers(client, Role.OPD_OFFICER)).json()
    assert listing[0]["signed"] is True
    assert listing[0]["agreements"][0]["documents"][0]["file_name"] == "mou.pdf"
    download = client.get(f"/api/v1/outreach/documents/{good.json()['id']}", headers=officer)
    assert download.content == b"%PDF-1.7 ok"


def test_register_an_agent_once_and_set_targets(client: TestClient) -> None:
    officer = headers(client, Role.REGION_OFFICER)
    body = {"username": "kepling.api", "new_account": True, "full_name": "Kepling API", "agent_kind": "kepling",
            "password": "sandi-awal-2026", "institution_kind": "kelurahan", "institution": "Kelurahan Pusat Pasar",
            "villages": ["12.71.01.1003"]}  # fmt: skip
    outside = client.post("/api/v1/outreach/agents/register", headers=officer,
                          json={**body, "villages": ["12.07.01.2001"]})  # fmt: skip
    assert outside.status_code == 422
    assert outside.json()["error"]["fields"][0]["field"] == "villages[0]"
    retry = {**officer, "Idempotency-Key": "register-kepling-api-1"}
    first = client.post("/api/v1/outreach/agents/register", headers=retry, json=body)
    second = client.post("/api/v1/outreach/agents/register", headers=retry, json=body)
    assert first.status_code == second.status_code == 201, first.text
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replay") == "true"
    token = client.post("/api/v1/auth/token", data={"username": "kepling.api", "password": "sandi-awal-2026"})
    assert token.status_code == 200
    preview = client.post("/api/v1/outreach/agents/review?dry_run=true", headers=officer)
    assert preview.status_code == 200
    campaign = client.post("/api/v1/outreach/campaigns", headers=officer, json={
        "name": "API", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "regions": ["12.71.01.1003"],
        "target_per_region": 10}).json()  # fmt: skip
    url = f"/api/v1/outreach/campaigns/{campaign['id']}/targets"
    changed = client.put(url, headers=officer, json={"targets": {"12.71.01": 100}, "per_village": True})
    assert changed.status_code == 200, changed.text
    assert {r["target"] for r in changed.json()["regions"]} == {100}
    assert len(changed.json()["regions"]) > 1
    bad = client.put(url, headers=officer, json={"targets": {"12.71.01.1003": 0}})
    assert bad.status_code == 422
    lapses = client.post("/api/v1/outreach/prospects/from-lapses?village=12.07.01.2001", headers=officer)
    assert lapses.status_code == 404
