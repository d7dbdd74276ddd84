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
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.errors import JangkauError
from jangkau.funding.endpoints import router
from jangkau.funding.jobs import run_billing
from jangkau.kit.months import Month
from jangkau.web.kit import get_session

from .conftest import OTHER_VILLAGE, VILLAGE, Town

Units = Callable[[], AbstractContextManager[Session]]


@pytest.fixture
def as_user(session: Session) -> Callable[[Role, tuple[str, ...]], TestClient]:
    def make(role: Role, scope: tuple[str, ...], user_id: int | None = None) -> TestClient:
        app = FastAPI()
        app.include_router(router, prefix="/api/v1")

        def handler(request: Request, exc: Exception) -> JSONResponse:
            assert isinstance(exc, JangkauError)
            return JSONResponse({"error": exc.as_dict()}, status_code=exc.http_status)

        def db() -> Iterator[Session]:
            yield session

        app.add_exception_handler(JangkauError, handler)
        app.dependency_overrides[current_principal] = lambda: Principal(user_id, "tester", role, scope)
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


def test_sponsor_role_plans_but_cannot_write(as_user: Callable[..., TestClient], town: Town) -> None:
    sponsor = as_user(Role.SPONSOR, ("12.71",))
    assert (
        sponsor.get("/api/v1/funding/plan", params={"budget": 2_300_000_000, "start": "2026-01"}).json()["workers"]
        == 11_408
    )
    denied = sponsor.post("/api/v1/funding/sponsors", json={"kind": "donor", "name": "Budi"})
    assert denied.status_code == 403
    assert sponsor.get("/api/v1/funding/lapses").status_code == 403, "a sponsor does not read the city's arrears"


def test_a_sponsor_user_reads_only_the_sponsors_granted_to_it(
    as_user: Callable[..., TestClient], town: Town, session: Session
) -> None:
    staff_user = create_user(
        session, NewUser("staf.kota", "Staf", Role.REGION_OFFICER, "rahasia-panjang-2026", ("12.71",)), OPERATOR
    )
    officer = as_user(Role.REGION_OFFICER, ("12.71",), user_id=staff_user.id)  # grants are audited under a real user
    ids = {}
    for kind, name in (("apbd", "APBD Kota"), ("csr_bumn", "CSR Bank")):
        body = {"kind": kind, "name": name, "region_code": "12.71"}
        sponsor = officer.post("/api/v1/funding/sponsors", json=body).json()
        programme = officer.post(
            "/api/v1/funding/programmes",
            json={"payer_id": sponsor["id"], "name": name, "start_month": "2026-01", "months": 12, "budget": 10**9},
        ).json()
        ids[kind] = (sponsor["id"], programme["id"])
    treasurer = create_user(
        session, NewUser("bendahara.apbd", "Bendahara APBD", Role.SPONSOR, "rahasia-panjang-2026", ("12.71",)), OPERATOR
    )
    granted = officer.post(f"/api/v1/funding/sponsors/{ids['apbd'][0]}/users", json={"username": "bendahara.apbd"})
    assert granted.json()["created"] is True
    again = officer.post(f"/api/v1/funding/sponsors/{ids['apbd'][0]}/users", json={"username": "bendahara.apbd"})
    assert again.json()["created"] is False, "a repeated grant changes nothing"
    sponsor = as_user(Role.SPONSOR, ("12.71",), user_id=treasurer.id)
    period = {"from": "2026-01", "to": "2026-02"}
    own_sponsor, own_programme = ids["apbd"]
    other_sponsor, other_programme = ids["csr_bumn"]
    assert sponsor.get(f"/api/v1/funding/programmes/{own_programme}").status_code == 200
    assert sponsor.get(f"/api/v1/funding/sponsors/{own_sponsor}/statement", params=period).status_code == 200
    hidden = sponsor.get(f"/api/v1/funding/programmes/{other_programme}")
    assert hidden.status_code == 404, "another sponsor's programme is not found, as if it did not exist"
    assert sponsor.get(f"/api/v1/funding/sponsors/{other_sponsor}/statement", params=period).status_code == 404
    assert officer.get(f"/api/v1/funding/sponsors/{other_sponsor}/statement", params=period).status_code == 200
    unknown = officer.post(f"/api/v1/funding/sponsors/{own_sponsor}/users", json={"username": "tidak-ada"})
    assert unknown.status_code == 404
    staff = officer.post(f"/api/v1/funding/sponsors/{own_sponsor}/users", json={"username": "staf.kota"})
    assert staff.status_code == 409
    assert staff.json()["error"]["code"] == "not_a_sponsor_user"
    revoked = officer.delete(f"/api/v1/funding/sponsors/{own_sponsor}/users/bendahara.apbd")
    assert revoked.status_code == 200
    assert revoked.json()["revoked"] is True
    assert sponsor.get(f"/api/v1/funding/programmes/{own_programme}").status_code == 404
    assert (
        as_user(Role.SPONSOR, ("12.71",))
        .post(f"/api/v1/funding/sponsors/{own_sponsor}/users", json={"username": "bendahara.apbd"})
        .status_code
        == 403
    ), "a sponsor cannot grant itself another sponsor"


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


def test_payment_reversal_over_the_api(as_user: Callable[..., TestClient], town: Town, units: Units) -> None:
    run_billing(units, Month(2026, 3))
    coverage = as_user(Role.ADMIN, ("",)).get(f"/api/v1/funding/memberships/{town.bpu[2].id}/coverage").json()
    reference = coverage["bills"][0]["reference"]
    officer = as_user(Role.BRANCH_OFFICER, ("",))
    negative = officer.post(
        "/api/v1/funding/payments", json={"reference": reference, "amount": -1, "paid_on": "2026-03-05"}
    )
    assert negative.status_code == 422
    paid = officer.post(
        "/api/v1/funding/payments", json={"reference": reference, "amount": 16_800, "paid_on": "2026-03-05"}
    )
    assert paid.status_code == 201
    body = {"reversed_on": "2026-03-09", "reason": "transfer ditolak"}
    outside = as_user(Role.BRANCH_OFFICER, (VILLAGE,))  # bpu[2] lives in the other village
    assert outside.post(f"/api/v1/funding/payments/{paid.json()['payment_id']}/reversal", json=body).status_code == 404
    undone = officer.post(f"/api/v1/funding/payments/{paid.json()['payment_id']}/reversal", json=body)
    assert undone.status_code == 201
    assert undone.json()["months_unprotected"] == [{"membership_id": town.bpu[2].id, "month": "2026-03"}]
    assert undone.json()["back_to_pending"] == 1  # its only paid month is gone: pending again
    unknown = officer.post("/api/v1/funding/payments/987654/reversal", json=body)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "payment_not_found")
