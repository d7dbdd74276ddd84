"""The jobs API over HTTP on the demo city: a worker's profile and matches, an employer's vacancy refused under the
UMK then posted, applications and impossible steps, a late hire turned into a finding, training seats, requests."""

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

from jangkau.db.uow import unit_of_work
from jangkau.demo.seed import seed_demo
from jangkau.demo.users import DEMO_PASSWORD, ensure_demo_users
from jangkau.registry.models import Person
from jangkau.web.app import create_app

USERS = ("pekerja.demo", "majikan.demo", "pemkot.medan", "bhabin.medankota", "sponsor.apbd")


@pytest.fixture(scope="module")
def api_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database("sqlite", Path(tmp_path_factory.mktemp("jobs_api")), "jobs_api")
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
def h(client: TestClient) -> dict[str, dict[str, str]]:
    out = {}
    for username in USERS:
        response = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        out[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
    return out


def vacancy(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Penjahit",
        "sector": "garmen",
        "skills": ["menjahit", "obras"],
        "wage_offered": 4_200_000,
        "district_code": "12.71.01",
        "contract_type": "pkwt",
    } | extra


def test_the_road_from_profile_to_a_finding(client: TestClient, h: dict[str, dict[str, str]]) -> None:
    worker, boss, office = h["pekerja.demo"], h["majikan.demo"], h["pemkot.medan"]
    profile = client.post(
        "/api/v1/jobs/seekers",
        headers=worker,
        json={"skills": ["Menjahit"], "education": "smk", "expected_wage": "banyak"},
    )
    assert profile.status_code == 422  # a wage must be a number
    profile = client.post("/api/v1/jobs/seekers", headers=worker, json={"skills": ["Menjahit"], "education": "smk"})
    assert profile.status_code == 201, profile.text
    seeker_id = profile.json()["id"]

    low = client.post("/api/v1/jobs/vacancies", headers=boss, json=vacancy(wage_offered=3_000_000))
    assert low.status_code == 422
    assert low.json()["error"]["code"] == "wage_below_minimum"
    assert "UMK" in low.json()["error"]["message_id"]
    unknown = client.post("/api/v1/jobs/vacancies", headers=boss, json=vacancy(district_code="12.71.77"))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"][0]["field"] == "district_code"
    zero = client.post("/api/v1/jobs/vacancies", headers=boss, json=vacancy(wage_offered=0))
    assert zero.status_code == 422
    key = {"Idempotency-Key": "jobs-vacancy-1"}
    posted = client.post("/api/v1/jobs/vacancies", headers=boss | key, json=vacancy())
    assert posted.status_code == 201, posted.text
    again = client.post("/api/v1/jobs/vacancies", headers=boss | key, json=vacancy())
    assert again.json()["id"] == posted.json()["id"]
    vacancy_id = posted.json()["id"]

    matches = client.get(f"/api/v1/jobs/seekers/{seeker_id}/matches", headers=worker).json()["items"]
    mine = next(m for m in matches if m["id"] == vacancy_id)
    assert mine["parts"]["skills"]["points"] == 30
    assert mine["employer"]["standing"]["flagged"] is False
    applied = client.post("/api/v1/jobs/applications", headers=worker, json={"vacancy_id": vacancy_id})
    assert applied.status_code == 201
    assert client.post("/api/v1/jobs/applications", headers=worker, json={"vacancy_id": vacancy_id}).status_code == 409
    ranked = client.get(f"/api/v1/jobs/vacancies/{vacancy_id}/matches", headers=boss).json()["items"]
    assert seeker_id in [m["id"] for m in ranked]
    assert client.get(f"/api/v1/jobs/vacancies/{vacancy_id}/matches", headers=worker).status_code == 404

    app_id = applied.json()["id"]
    skip = client.post(f"/api/v1/jobs/applications/{app_id}/status", headers=boss, json={"status": "hired"})
    assert skip.status_code == 422
    assert skip.json()["error"]["code"] == "transition_refused"
    client.post(f"/api/v1/jobs/applications/{app_id}/status", headers=boss, json={"status": "interviewed"})
    start = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    hire = client.post(
        f"/api/v1/jobs/applications/{app_id}/status", headers=boss, json={"status": "hired", "start_date": start}
    )
    assert hire.status_code == 200, hire.text
    assert [t["status"] for t in client.get("/api/v1/jobs/hires", headers=boss).json()] == ["waiting"]
    checked = client.post("/api/v1/jobs/hires/check", headers=office).json()
    assert checked["findings"] == 1
    assert client.post("/api/v1/jobs/hires/check", headers=office).json()["findings"] == 0
    assert client.post("/api/v1/jobs/hires/check", headers=worker).status_code == 403
    listed = client.get("/api/v1/jobs/vacancies?mine=true", headers=boss).json()["items"]
    assert listed[0]["employer"]["standing"]["flagged"] is True
    assert listed[0]["status"] == "closed"  # its one opening was filled


def test_public_board_training_seats_and_tracked_requests(
    client: TestClient, h: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    assert client.post("/api/v1/jobs/vacancies", headers=h["sponsor.apbd"], json=vacancy()).status_code == 403
    soon = dt.date.today() + dt.timedelta(days=14)
    added = client.post(
        "/api/v1/jobs/training",
        headers=h["pemkot.medan"],
        json={"title": "Las dasar", "provider": "BLK", "region_code": "12.71", "starts_on": soon.isoformat(),
              "ends_on": (soon + dt.timedelta(days=5)).isoformat(), "seats": 1},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    tid = added.json()["id"]
    assert client.post(f"/api/v1/jobs/training/{tid}/signups", headers=h["pekerja.demo"], json={}).status_code == 201
    with unit_of_work(sessionmaker(bind=api_engine)) as session:
        nik = session.scalar(select(Person.nik).where(Person.village_code.like("12.71.01.%")).offset(5).limit(1))
    full = client.post(f"/api/v1/jobs/training/{tid}/signups", headers=h["bhabin.medankota"], json={"nik": nik})
    assert full.status_code == 422
    assert full.json()["error"]["code"] == "training_full"
    board = client.get("/api/v1/jobs/board").json()  # no sign-in
    assert [t["seats_left"] for t in board["training"] if t["id"] == tid] == [0]
    filed = client.post(
        "/api/v1/jobs/requests", headers=h["pekerja.demo"], json={"kind": "job_counselling", "details": "karier"}
    )
    assert filed.status_code == 201
    code = filed.json()["tracking_code"]
    tracked = client.get(f"/api/v1/jobs/requests/track/{code}")
    assert tracked.status_code == 200
    assert tracked.json()["status"] == "submitted"
    assert "nik" not in tracked.text
    assert client.get("/api/v1/jobs/requests/track/NOPE").status_code == 404
    assert client.get("/api/v1/jobs/vacancies").status_code == 401
