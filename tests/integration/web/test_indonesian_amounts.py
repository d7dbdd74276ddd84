"""Amount fields of the tour's forms accept "Rp 2.300.000.000" and refuse "2,5 juta" next to the field, the value
typed kept and nothing saved (issue 22 point 9)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.outreach.models import Partnership
from jangkau.registry.models import Person


@pytest.fixture
def officer(session: Session) -> TestClient:
    user = create_user(session, NewUser("cabang.rupiah", "Officer", Role.BRANCH_OFFICER, "a-long-password-1",
                                        ("12.71",)), OPERATOR)  # fmt: skip
    return client_as(session, Principal(user.id, user.username, Role.BRANCH_OFFICER, ("12.71",)))


def test_the_budget_planner_reads_rupiah_as_typed(officer: TestClient) -> None:
    planned = officer.get("/funding", params={"budget": "Rp 2.300.000.000", "months": 12, "income": "Rp1.000.000"})
    assert planned.status_code == 200, planned.text
    assert 'id="plan-result"' in planned.text
    assert "Rp2.300.000.000" in planned.text.replace("\xa0", "").replace(" ", "")
    refused = officer.get("/funding", params={"budget": "2,5 juta"})
    assert refused.status_code == 422
    assert "tulis jumlah dalam rupiah" in refused.text
    assert 'value="2,5 juta"' in refused.text  # what was typed stays in the field
    assert 'id="plan-result"' not in refused.text


def _form(client: TestClient) -> dict[str, str]:
    page = client.get("/outreach/partnerships").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert csrf is not None
    assert token is not None
    return {"csrf_token": csrf.group(1), "form_token": token.group(1), "kind": "mou", "partner": "Kelurahan Uji",
            "partner_kind": "village", "region_code": "12.71.01", "title": "MoU rupiah", "status": "draft"}  # fmt: skip


def test_a_partnership_budget_typed_with_rp_and_dots_is_saved_and_2_5_juta_is_refused_beside_the_field(
    officer: TestClient, session: Session
) -> None:
    refused = officer.post("/outreach/partnerships", data={**_form(officer), "budget": "2,5 juta"})
    assert refused.status_code == 422
    assert "tulis jumlah dalam rupiah" in refused.text
    assert 'value="2,5 juta"' in refused.text
    assert session.scalars(select(Partnership).where(Partnership.title == "MoU rupiah")).first() is None
    saved = officer.post("/outreach/partnerships", data={**_form(officer), "budget": "Rp 2.300.000.000"})
    assert saved.status_code == 303, saved.text
    mou = session.scalars(select(Partnership).where(Partnership.title == "MoU rupiah")).one()
    assert mou.budget == 2_300_000_000


def test_a_birth_date_typed_day_first_enrols_the_right_day(session: Session) -> None:
    agent = Principal(user_id=None, username="bhabin.tanggal", role=Role.FIELD_AGENT, scope=("12.71.01",))
    client = client_as(session, agent)
    token = re.findall(r'name="csrf_token" value="([^"]+)"', client.get("/enrol").text)[0]
    form = {"nik": "1271015508900421", "full_name": "Rina Tanggal", "birth_date": "15-08-1990", "sex": "P",
            "village_code": "12.71.01.1001", "declared_income": "1000000", "csrf_token": token}  # fmt: skip
    answer = client.post("/enrol", data=form)
    assert answer.status_code == 303, answer.text[-2000:]
    person = session.scalars(select(Person).where(Person.nik == "1271015508900421")).one()
    assert person.birth_date == dt.date(1990, 8, 15)
    refused = client.post("/enrol", data={**form, "nik": "1271015508900422", "birth_date": "kemarin"})
    assert refused.status_code == 422
    assert 'value="kemarin"' in refused.text  # kept, with the reason beside the field
    assert 'id="birth_date-error"' in refused.text


def test_a_scorecard_score_that_is_no_number_is_refused_beside_the_field_and_kept(session: Session) -> None:
    officer = Principal(user_id=None, username="pemkot.skor", role=Role.REGION_OFFICER, scope=("12.71",))
    client = client_as(session, officer)
    page = client.get("/reports/12.71/scorecard?year=2026")
    assert page.status_code == 200, page.text
    token = re.findall(r'name="csrf_token" value="([^"]+)"', page.text)[0]
    indicator = re.findall(r'<select id="indicator" name="indicator"><option value="([^"]+)"', page.text)[0]
    form = {"csrf_token": token, "year": "2026", "indicator": indicator, "note": "rapat 4 Desember"}
    refused = client.post("/reports/12.71/scorecard/entries", data={**form, "score": "delapan puluh"})
    assert refused.status_code == 422
    assert 'id="entry-score-error"' in refused.text  # the reason beside the score field
    assert 'value="delapan puluh"' in refused.text
    assert 'value="rapat 4 Desember"' in refused.text
    saved = client.post("/reports/12.71/scorecard/entries", data={**form, "score": "80"})
    assert saved.status_code == 303, saved.text
