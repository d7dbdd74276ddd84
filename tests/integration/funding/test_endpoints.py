"""The funding API: permissions, territory (out of scope = 404), refusals with reasons, statement downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.errors import JangkauError
from jangkau.funding.endpoints import router
from jangkau.funding.jobs import run_billing
from jangkau.kit.months import Month
from jangkau.webkit import get_session

from .conftest import OTHER_VILLAGE, VILLAGE, Town

Units = Callable[[], AbstractContextManager[Session]]


@pytest.fixture
def as_user(session: Session) -> Callable[[Role, tuple[str, ...]], TestClient]:
    def make(role: Role, scope: tuple[str, ...]) -> TestClient:
        app = FastAPI()
        app.include_router(router, prefix="/api/v1")

        def handler(request: Request, exc: Exception) -> JSONResponse:
            assert isinstance(exc, JangkauError)
            return JSONResponse({"error": exc.as_dict()}, status_code=exc.http_status)

        def db() -> Iterator[Session]:
            yield session

        app.add_exception_handler(JangkauError, handler)
        app.dependency_overrides[current_principal] = lambda: Principal(1, "tester", role, scope)
        app.dependency_overrides[get_session] = db
        return TestClient(app)

    return make


def test_coverage_is_scoped_and_out_of_scope_is_404(as_user: Callable[..., TestClient], town: Town) -> None:
    officer = as_user(Role.BRANCH_OFFICER, (VILLAGE,))
    mine, theirs = town.bpu[0].id, town.bpu[2].id  # bpu[2] lives in the other village
    assert officer.get(f"/api/v1/funding/memberships/{mine}/coverage").status_code == 200
    response = officer.get(f"/api/v1/funding/memberships/{theirs}/coverage")
    assert response.status_code == 404
    assert (
        as_user(Role.BRANCH_OFFICER, (OTHER_VILLAGE,)).get(f"/api/v1/funding/memberships/{theirs}/coverage").status_code
        == 200
    )


def test_sponsor_role_reads_but_cannot_write(as_user: Callable[..., TestClient], town: Town) -> None:
    sponsor = as_user(Role.SPONSOR, ("12.71",))
    assert (
        sponsor.get("/api/v1/funding/plan", params={"budget": 2_300_000_000, "start": "2026-01"}).json()["workers"]
        == 11_408
    )
    denied = sponsor.post("/api/v1/funding/sponsors", json={"kind": "donor", "name": "Budi"})
    assert denied.status_code == 403


def test_programme_enrolment_over_budget_is_409_with_reason_and_statement_downloads(
    as_user: Callable[..., TestClient], town: Town, session: Session, units: Units
) -> None:
    officer = as_user(Role.REGION_OFFICER, ("12.71",))
    sponsor = officer.post("/api/v1/funding/sponsors", json={"kind": "csr_bumn", "name": "CSR Bank"}).json()
    start = Month.of(dt.date.today())
    programme = officer.post(
        "/api/v1/funding/programmes",
        json={"payer_id": sponsor["id"], "name": "CSR", "start_month": str(start), "months": 1, "budget": 20_000},
    ).json()
    url = f"/api/v1/funding/programmes/{programme['id']}/enrolments"
    assert officer.post(url, json={"membership_id": town.bpu[0].id}).status_code == 201
    refused = officer.post(url, json={"membership_id": town.bpu[2].id})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "budget_exceeded"
    run_billing(units, start)
    statement = f"/api/v1/funding/sponsors/{sponsor['id']}/statement"
    data = officer.get(statement, params={"from": str(start), "to": str(start)}).json()
    assert data["totals"]["workers"] == 1
    pdf = officer.get(statement, params={"from": str(start), "to": str(start), "format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    elsewhere = as_user(Role.REGION_OFFICER, ("12.72",)).get(statement, params={"from": str(start), "to": str(start)})
    assert elsewhere.json()["totals"]["workers"] == 0
