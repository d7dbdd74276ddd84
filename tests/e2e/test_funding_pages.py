"""Funding from the worker's side: a sponsor pays for an enrolment within its budget; the funding pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database

from jangkau.db.uow import unit_of_work
from jangkau.demo.seed import seed_demo
from jangkau.demo.users import DEMO_PASSWORD, ensure_demo_users
from jangkau.funding.models import Sponsorship
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.funding.service import create_programme, create_sponsor
from jangkau.kit.months import Month
from jangkau.registry.models import Person
from jangkau.web.app import create_app

# Rp16,800 a month (JKK 1 % + JKM Rp6,800 on the Rp1,000,000 band) x 12 months = Rp201,600 per worker
BUDGET_FOR_ONE = 250_000


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def setup(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, int, int]:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("fund")), "fundpages")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    seed_demo(factory, "12.71", "small", 4)
    with unit_of_work(factory) as session:
        ensure_demo_users(session)
        sponsor = create_sponsor(session, SponsorIn(kind="apbd", name="APBD Kota Medan", region_code="12.71"))
        programme = create_programme(
            session,
            ProgrammeIn(
                payer_id=sponsor.id,
                name="Perlindungan pekerja rentan 2026",
                start_month=str(Month.of(dt.date.today())),
                months=12,
                budget=BUDGET_FOR_ONE,
                region_prefix="12.71",
            ),
        )
    return engine, sponsor.id, programme.id


@pytest.fixture(scope="module")
def client(setup: tuple[Engine, int, int]) -> Iterator[TestClient]:
    with TestClient(create_app(setup[0])) as test_client:
        yield test_client


def token(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def enrolment(nik: str, payer: str) -> dict[str, object]:
    return {
        "person": {
            "nik": nik,
            "full_name": "Ani Lubis",
            "birth_date": "1990-05-07",
            "sex": "P",
            "village_code": "12.71.01.1001",
        },
        "programs": ["jkk", "jkm"],
        "payer": payer,
    }


def test_sponsor_pays_within_its_budget_and_refuses_beyond_it(
    client: TestClient, setup: tuple[Engine, int, int]
) -> None:
    engine, _sponsor, programme = setup
    officer = token(client, "cabang.medan")  # the programme's staff enrol directly (issue 22 point 6)
    first = client.post(
        "/api/v1/enrolments", json=enrolment("1271014705900004", f"programme:{programme}"), headers=officer
    )
    assert first.status_code == 201, first.text
    assert first.json()["sponsorship_request_id"] is None
    second = client.post(
        "/api/v1/enrolments", json=enrolment("1271014705900012", f"programme:{programme}"), headers=officer
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "budget_exceeded"
    agent = token(client, "bhabin.medankota")
    asked = client.post(
        "/api/v1/enrolments", json=enrolment("1271014705900039", f"programme:{programme}"), headers=agent
    )
    assert asked.status_code == 201, asked.text
    assert asked.json()["sponsorship_request_id"] is not None, "a field agent's enrolment waits for the sponsor"
    bad = client.post("/api/v1/enrolments", json=enrolment("1271014705900020", "the mayor"), headers=agent)
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "payer"
    with unit_of_work(sessionmaker(bind=engine)) as session:
        in_programme = select(func.count()).select_from(Sponsorship).where(Sponsorship.programme_id == programme)
        assert session.scalar(in_programme) == 1
        refused = session.scalar(select(func.count()).select_from(Person).where(Person.nik == "1271014705900012"))
    assert refused == 0, "a refused sponsored enrolment leaves nothing half-saved"


def test_funding_pages(client: TestClient, setup: tuple[Engine, int, int]) -> None:
    _engine, sponsor, programme = setup
    officer = token(client, "cabang.medan")
    listing = client.get("/funding?budget=2300000000&months=12&start=2026-01", headers=officer)
    assert listing.status_code == 200
    assert "Perlindungan pekerja rentan 2026" in listing.text
    assert "11.408" in listing.text  # Rp2.3 billion on the minimum package for 12 months [rules budget planner]
    page = client.get(f"/funding/programmes/{programme}", headers=officer)
    assert page.status_code == 200
    assert 'id="more-workers">0<' in page.text
    month = str(Month.of(dt.date.today()))
    statement = client.get(f"/funding/sponsors/{sponsor}/statement?from={month}&to={month}", headers=officer)
    assert statement.status_code == 200
    assert client.get("/funding/lapses", headers=officer).status_code == 200
    review = client.get("/funding/review", headers=officer)
    assert review.status_code == 200
    assert 'id="review"' in review.text
    assert client.get("/funding/review", headers=token(client, "opd.medan")).status_code == 403
    assert client.get("/funding", headers=token(client, "bhabin.medankota")).status_code == 403
    assert client.get("/funding?budget=-5", headers=officer).status_code == 422


def test_a_sponsor_login_sees_only_its_own_programmes_and_statements(
    client: TestClient, setup: tuple[Engine, int, int]
) -> None:
    _engine, other_sponsor, other_programme = setup  # made by the officer; the demo login speaks for the demo APBD
    sponsor = token(client, "sponsor.apbd")
    listing = client.get("/funding", headers=sponsor)
    assert listing.status_code == 200
    assert "Perlindungan pekerja rentan (demo)" in listing.text
    assert "Perlindungan pekerja rentan 2026" not in listing.text, "another sponsor's programme is not listed"
    month = str(Month.of(dt.date.today()))
    assert client.get(f"/funding/programmes/{other_programme}", headers=sponsor).status_code == 404
    statement = f"/funding/sponsors/{other_sponsor}/statement?from={month}&to={month}"
    assert client.get(statement, headers=sponsor).status_code == 404
    assert client.get("/funding/lapses", headers=sponsor).status_code == 403
    assert client.get("/funding/review", headers=sponsor).status_code == 403
