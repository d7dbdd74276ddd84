"""The pages: a rules admin uploads a year of minimum wages, sees every refused row, another activates it; the
officers' home page shows the tables that ended."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role

MAKER = Principal(None, "aturan.cabang", Role.RULES_ADMIN, ("12",))
CHECKER = Principal(None, "aturan.disnaker", Role.RULES_ADMIN, ("12",))
OFFICER = Principal(None, "cabang.uji", Role.BRANCH_OFFICER, ("12.71",))
GOOD = "kode,nama,jumlah,keputusan\n12,UMP,3228971,Kepgub UMP\n12.71,Kota Medan,4335198,\n"
BAD = "kode,nama,jumlah,keputusan\n12,UMP,3228971,Kepgub UMP\n12.99,Nowhere,4335198,\n12.71,Kota Medan,-1,\n"


def _csrf(client: TestClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _upload(client: TestClient, content: str) -> object:
    form = {"csrf_token": _csrf(client, "/rules"), "instrument": "Kepgub Sumut 188.44/908/KPTS/2025"}
    form |= {"valid_from": "2026-01-01", "status": "confirmed"}
    return client.post("/rules/import", data=form, files={"file": ("umk.csv", content.encode(), "text/csv")})


def test_maker_uploads_checker_activates_and_refused_rows_are_listed(session: Session) -> None:
    maker, checker = client_as(session, MAKER), client_as(session, CHECKER)
    refused = _upload(maker, BAD)
    assert refused.status_code == 422
    assert "unknown region code" in refused.text or "tidak dikenal" in refused.text
    assert "line 4" in refused.text  # the negative amount, listed too
    made = _upload(maker, GOOD)
    assert made.status_code == 303
    url = made.headers["location"]
    page = maker.get(url)
    assert "Kota Medan" in page.text
    own = maker.post(url + "/activate", data={"csrf_token": _csrf(maker, url)})
    assert own.status_code == 409
    done = checker.post(url + "/activate", data={"csrf_token": _csrf(checker, url)})
    assert done.status_code == 303
    assert 'id="version-state">aktif' in checker.get(url).text
    csv = checker.get("/rules/tables/min_wage.12.csv")
    assert "4335198" in csv.text


def test_officers_home_lists_the_tables_that_ended(session: Session) -> None:
    home = client_as(session, OFFICER).get("/")
    assert home.status_code == 200
    assert 'id="rules-health"' in home.text
    assert "min_wage.12" in home.text  # the 2025 minimum wages ended on 2025-12-31
    agent = Principal(None, "bhabin.uji", Role.FIELD_AGENT, ("12.71.01",))
    assert 'id="rules-health"' not in client_as(session, agent).get("/").text


def test_api_lists_every_refused_row_and_proposes_nothing(session: Session) -> None:
    api = client_as(session, MAKER)
    form = {"valid_from": "2026-01-01", "instrument": "Kepgub Sumut 188.44/908/KPTS/2025"}
    refused = api.post("/api/v1/rules/min-wage", data=form, files={"file": ("umk.csv", BAD.encode(), "text/csv")})
    assert refused.status_code == 422
    fields = {f["field"] for f in refused.json()["error"]["fields"]}
    assert fields == {"line 3", "line 4"}
    assert api.get("/api/v1/rules/versions").json() == []
    made = api.post("/api/v1/rules/min-wage", data=form, files={"file": ("umk.csv", GOOD.encode(), "text/csv")})
    assert made.status_code == 201
    assert made.json()["state"] == "proposed"
