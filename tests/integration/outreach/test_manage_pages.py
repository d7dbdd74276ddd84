"""The outreach management pages over HTTP, on both databases: who may use them (outreach.manage), the territory
(outside = 404), bad input shown with 422 and nothing saved, CSRF, and a double submit that creates one row."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.integration.outreach.conftest import OTHER_VILLAGE, OUTSIDE, VILLAGE, make_agent
from tests.webclient import client_as

from jangkau.auth import repository as auth_repo
from jangkau.auth.models import User
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.config import get_settings
from jangkau.kit.numbers import format_count
from jangkau.outreach import repository as repo
from jangkau.outreach.models import (
    Agent,
    Attendance,
    Campaign,
    Event,
    Partnership,
    PartnershipDocument,
    Prospect,
    Target,
)
from jangkau.regions import repository as regions

Client = Callable[..., TestClient]
PASSWORD = "rahasia-panjang-1"
MEDAN_KOTA = "12.71.01"
MANAGE_PAGES = ("/outreach/agents", "/outreach/agents/review", "/outreach/campaigns", "/outreach/prospects",
                "/outreach/events")  # fmt: skip


def count(session: Session, model: type, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def as_user(session: Session) -> Client:
    """A client signed in as a new user with ``role`` and ``scope`` (pages on the test session)."""

    def make(role: Role, scope: tuple[str, ...], name: str, **extra: Any) -> TestClient:
        user = create_user(session, NewUser(name, name, role, PASSWORD, scope, **extra), OPERATOR)
        return client_as(session, Principal(user.id, name, role, scope))

    return make


@pytest.fixture
def officer(as_user: Client) -> TestClient:
    """A branch officer of Medan Kota (kecamatan 12.71.01)."""
    return as_user(Role.BRANCH_OFFICER, (MEDAN_KOTA,), "cabang.uji")


def tokens(client: TestClient, url: str) -> dict[str, str]:
    """GET a page (sets the CSRF cookie) and read the tokens of its forms."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert csrf
    out = {"csrf_token": csrf.group(1)}
    if form:
        out["form_token"] = form.group(1)
    return out


def test_only_outreach_managers_may_use_the_pages(as_user: Client, officer: TestClient) -> None:
    opd = as_user(Role.OPD_OFFICER, ("12.71",), "bappeda.uji")
    agent = as_user(Role.FIELD_AGENT, (VILLAGE,), "kepling.uji", agent_kind=AgentKind.KEPLING)
    for url in MANAGE_PAGES:
        assert officer.get(url).status_code == 200, url
        assert opd.get(url).status_code == 403, url
        assert agent.get(url).status_code == 403, url
    form = tokens(opd, "/outreach")
    refused = opd.post("/outreach/campaigns", data={**form, "name": "x", "region_code": MEDAN_KOTA, "target": "1"})
    assert refused.status_code == 403
    assert agent.post("/outreach/prospects", data={**form, "full_name": "X"}).status_code == 403
    # the links to the management pages are on /outreach only for outreach.manage
    assert 'href="/outreach/agents"' in officer.get("/outreach").text
    assert 'href="/outreach/agents"' not in opd.get("/outreach").text
    assert "agreement-form" not in opd.get("/outreach/partnerships").text
    assert "agreement-form" in officer.get("/outreach/partnerships").text


def test_register_an_agent_with_a_new_account_once(officer: TestClient, session: Session) -> None:
    form = tokens(officer, "/outreach/agents")
    body = {
        **form,
        "account": "new",
        "username": "bhabin.baru",
        "full_name": "Bripka Baru",
        "agent_kind": "bhabinkamtibmas",
        "password": "sandi-awal-2026",
        "institution_kind": "polsek",
        "institution": "Polsek Medan Kota",
        "villages": [VILLAGE, OUTSIDE],
    }
    outside = officer.post("/outreach/agents", data=body)
    assert outside.status_code == 422
    assert f"{OUTSIDE} di luar wilayah Anda" in outside.text
    assert 'value="Bripka Baru"' in outside.text  # what was typed is kept
    assert f'value="{VILLAGE}" id="v-{VILLAGE}" checked' in outside.text
    assert "sandi-awal-2026" not in outside.text  # never the password
    assert auth_repo.user_by_username(session, "bhabin.baru") is None  # nothing half-saved
    short = officer.post("/outreach/agents", data={**body, "villages": [VILLAGE], "password": "pendek"})
    assert short.status_code == 422
    assert "minimal" in short.text
    assert auth_repo.user_by_username(session, "bhabin.baru") is None
    no_csrf = officer.post("/outreach/agents", data={**body, "csrf_token": "x", "villages": [VILLAGE]})
    assert no_csrf.status_code == 403
    good = {**body, **tokens(officer, "/outreach/agents"), "villages": [VILLAGE], "village_codes": OTHER_VILLAGE}
    first = officer.post("/outreach/agents", data=good)
    second = officer.post("/outreach/agents", data=good)  # a double submit
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    user = auth_repo.user_by_username(session, "bhabin.baru")
    assert user is not None
    assert user.role == "field_agent"
    assert count(session, User, User.username == "bhabin.baru") == 1
    assert auth_repo.scope_of(session, user.id) == (VILLAGE, OTHER_VILLAGE)
    page = officer.get(first.headers["location"])
    row = re.search(r'<tr id="agent-\d+" data-username="bhabin.baru">.*?</tr>', page.text, re.S)
    assert row
    assert "Bhabinkamtibmas" in row.group(0)
    assert "Aktif" in row.group(0)
    officer.cookies.set("jangkau_lang", "en")  # the English switch
    english = officer.get("/outreach/agents").text
    assert "<h1>Field agents</h1>" in english
    assert "Register an agent" in english


def test_existing_account_status_and_the_review(as_user: Client, officer: TestClient, session: Session) -> None:
    create_user(session, NewUser("babinsa.lama", "Serka Lama", Role.FIELD_AGENT, PASSWORD, (MEDAN_KOTA,),
                                 AgentKind.BABINSA), OPERATOR)  # fmt: skip
    create_user(session, NewUser("babinsa.jauh", "Serka Jauh", Role.FIELD_AGENT, PASSWORD, ("12.71.05",),
                                 AgentKind.BABINSA), OPERATOR)  # fmt: skip
    page = officer.get("/outreach/agents")
    assert "babinsa.lama" in page.text
    assert "babinsa.jauh" not in page.text  # accounts of another territory are not offered
    form = tokens(officer, "/outreach/agents")
    body = {**form, "account": "existing", "username": "babinsa.jauh", "institution_kind": "koramil",
            "institution": "Koramil", "villages": [VILLAGE]}  # fmt: skip
    taken = officer.post("/outreach/agents", data=body)
    assert taken.status_code == 422
    assert "akun ini di luar wilayah" in taken.text
    # an inactive agent of another territory (empty scope, villages kept on the profile) cannot be taken either
    idle = make_agent(session, "perisai.barat", [OUTSIDE])
    auth_repo.set_scope(session, idle.user.id, [])
    session.flush()
    assert officer.post("/outreach/agents", data={**body, "username": "perisai.barat"}).status_code == 422
    assert repo.villages_of(session, idle.agent.id) == [OUTSIDE]  # unchanged
    assert officer.post("/outreach/agents", data={**body, "username": "babinsa.lama"}).status_code == 303
    agent = session.scalars(
        select(Agent).join(User, User.id == Agent.user_id).where(User.username == "babinsa.lama")
    ).one()
    # a Perisai community agent idle for months: the review shows it, says the rule is unconfirmed, changes nothing
    perisai = make_agent(session, "perisai.idle", [VILLAGE])
    perisai.agent.status_changed_on = dt.date(2025, 1, 1)
    session.flush()
    review = officer.get("/outreach/agents/review")
    assert "BELUM DIKONFIRMASI" in review.text
    assert "perisai_deactivation" in review.text
    assert "Akan dinonaktifkan" in review.text
    session.refresh(perisai.agent)
    assert perisai.agent.status == "active"
    applied = officer.post("/outreach/agents/review", data={"csrf_token": form["csrf_token"]})
    assert applied.status_code == 200
    session.refresh(perisai.agent)
    assert perisai.agent.status == "inactive"
    assert auth_repo.scope_of(session, perisai.user.id) == ()
    # deactivate with a reason; an empty reason is refused; another territory's agent is 404
    url = f"/outreach/agents/{agent.id}/status"
    no_reason = officer.post(url, data={"csrf_token": form["csrf_token"], "status": "inactive", "reason": ""})
    assert no_reason.status_code == 422
    session.refresh(agent)
    assert agent.status == "active"
    done = officer.post(url, data={"csrf_token": form["csrf_token"], "status": "inactive", "reason": "Pindah tugas"})
    assert done.status_code == 303
    session.refresh(agent)
    assert (agent.status, agent.status_reason) == ("inactive", "Pindah tugas")
    other = as_user(Role.BRANCH_OFFICER, ("12.71.05",), "cabang.lain")
    other_form = tokens(other, "/outreach/agents")
    assert other.post(url, data={**other_form, "status": "active", "reason": "x"}).status_code == 404


def test_campaign_with_100_per_village_and_row_edits(as_user: Client, officer: TestClient, session: Session) -> None:
    villages = [r.code for r in regions.descendants(session, MEDAN_KOTA, 4)]
    form = tokens(officer, "/outreach/campaigns")
    body = {**form, "name": "1 desa 100 pekerja rentan", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "region_code": "12.71.05", "target": "100", "per_village": "1"}  # fmt: skip
    before = count(session, Campaign)
    outside = officer.post("/outreach/campaigns", data=body)
    assert outside.status_code == 422
    assert "di luar wilayah" in outside.text
    assert 'value="1 desa 100 pekerja rentan"' in outside.text
    backwards = officer.post("/outreach/campaigns", data={**body, "region_code": MEDAN_KOTA, "ends_on": "2025-01-01"})
    assert backwards.status_code == 422
    assert "berakhir sebelum mulai" in backwards.text
    assert count(session, Campaign) == before
    first = officer.post("/outreach/campaigns", data={**body, "region_code": MEDAN_KOTA})
    second = officer.post("/outreach/campaigns", data={**body, "region_code": MEDAN_KOTA})
    assert first.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(session, Campaign) == before + 1
    campaign_id = int(first.headers["location"].split("/")[-1].split("?")[0])
    targets = dict(
        session.execute(select(Target.region_code, Target.target).where(Target.campaign_id == campaign_id)).all()
    )
    assert targets == dict.fromkeys(villages, 100)
    page = officer.get(f"/outreach/campaigns/{campaign_id}")
    assert page.status_code == 200
    assert f'id="total-target">{format_count(100 * len(villages))}<' in page.text
    csrf = {"csrf_token": form["csrf_token"]}
    # per-row edits: a bad number is named and nothing is saved; then one row changes
    bad = officer.post(
        f"/outreach/campaigns/{campaign_id}/rows", data={**csrf, f"t:{villages[0]}": "80", f"t:{villages[1]}": "banyak"}
    )
    assert bad.status_code == 422
    assert "angka bulat" in bad.text
    assert 'value="banyak"' in bad.text
    assert (
        session.scalar(
            select(Target.target).where(Target.campaign_id == campaign_id, Target.region_code == villages[0])
        )
        == 100
    )
    ok = officer.post(f"/outreach/campaigns/{campaign_id}/rows", data={**csrf, f"t:{villages[0]}": "80"})
    assert ok.status_code == 303
    assert (
        session.scalar(
            select(Target.target).where(Target.campaign_id == campaign_id, Target.region_code == villages[0])
        )
        == 80
    )
    # one number for every village of the district again
    again = officer.post(
        f"/outreach/campaigns/{campaign_id}/targets", data={**csrf, "region_code": MEDAN_KOTA, "target": "50"}
    )
    assert again.status_code == 303
    assert set(session.scalars(select(Target.target).where(Target.campaign_id == campaign_id))) == {50}
    zero = officer.post(
        f"/outreach/campaigns/{campaign_id}/targets", data={**csrf, "region_code": MEDAN_KOTA, "target": "0"}
    )
    assert zero.status_code == 422
    assert set(session.scalars(select(Target.target).where(Target.campaign_id == campaign_id))) == {50}
    assert f'href="/outreach/campaigns/{campaign_id}"' in officer.get("/outreach/campaigns").text
    other = as_user(Role.BRANCH_OFFICER, ("12.71.05",), "cabang.lain")
    assert f'href="/outreach/campaigns/{campaign_id}"' not in other.get("/outreach/campaigns").text
    assert other.get(f"/outreach/campaigns/{campaign_id}").status_code == 404
    other_csrf = tokens(other, "/outreach/campaigns")
    assert other.post(f"/outreach/campaigns/{campaign_id}/targets",
                      data={**other_csrf, "region_code": "12.71.05", "target": "5"}).status_code == 404  # fmt: skip


def test_prospects_by_hand_from_csv_and_from_lapses(officer: TestClient, session: Session) -> None:
    form = tokens(officer, "/outreach/prospects")
    body = {**form, "full_name": "Siti Aminah", "nik": "1234", "village_code": VILLAGE, "rt": "003"}
    bad = officer.post("/outreach/prospects", data=body)
    assert bad.status_code == 422
    assert "NIK tidak valid" in bad.text
    assert 'value="Siti Aminah"' in bad.text
    assert count(session, Prospect, Prospect.full_name == "Siti Aminah") == 0
    one = officer.post("/outreach/prospects", data={**body, "nik": ""})
    assert one.status_code == 200
    assert 'id="added">1<' in one.text
    again = officer.post("/outreach/prospects", data={**body, "nik": ""})
    assert 'id="again"' in again.text
    assert count(session, Prospect, Prospect.full_name == "Siti Aminah") == 1
    csv_text = (
        "full_name,village_code,rt,nik\n"
        f"Budi Santoso,{VILLAGE},001,\n"
        f",{VILLAGE},002,\n"
        f"Orang Jauh,{OUTSIDE},001,\n"
        f"Ani,{OTHER_VILLAGE},004,99\n"
        f"Rudi Hartono,{OTHER_VILLAGE},005,\n"
    )
    files = {"file": ("daftar.csv", csv_text.encode(), "text/csv")}
    uploaded = officer.post("/outreach/prospects/import", data=form, files=files)
    assert uploaded.status_code == 200
    assert 'id="added">2<' in uploaded.text
    assert 'id="rejected-count">3<' in uploaded.text
    rejected = re.search(r'<table id="rejected">.*?</table>', uploaded.text, re.S)
    assert rejected
    lines = re.findall(r"<tr><td>(\d+)</td>", rejected.group(0))
    assert lines == ["3", "4", "5"]
    assert "di luar wilayah" in rejected.group(0)
    assert "NIK tidak valid" in rejected.group(0)
    twice = officer.post("/outreach/prospects/import", data=form, files=files)
    assert 'id="again"' in twice.text
    assert count(session, Prospect, Prospect.full_name.in_(["Budi Santoso", "Rudi Hartono"])) == 2
    header = officer.post("/outreach/prospects/import", data={"csrf_token": form["csrf_token"]},
                          files={"file": ("x.csv", b"nama,desa\nA,B\n", "text/csv")})  # fmt: skip
    assert header.status_code == 422
    assert "full_name" in header.text
    lapses = officer.post(
        "/outreach/prospects/from-lapses", data={"csrf_token": form["csrf_token"], "village_code": VILLAGE}
    )
    assert lapses.status_code == 200
    assert 'id="added">' in lapses.text
    far = officer.post(
        "/outreach/prospects/from-lapses", data={"csrf_token": form["csrf_token"], "village_code": OUTSIDE}
    )
    assert far.status_code == 404
    listing = officer.get("/outreach/prospects", params={"village": VILLAGE})
    assert "Siti Aminah" in listing.text
    assert "Rudi Hartono" not in listing.text


def test_events_and_attendance(as_user: Client, officer: TestClient, session: Session) -> None:
    form = tokens(officer, "/outreach/events")
    body = {
        **form,
        "kind": "training",
        "title": "Pelatihan petugas",
        "organiser": "BPJS Cabang Medan",
        "place": "Aula Kelurahan",
        "region_code": OUTSIDE,
        "held_on": "2026-03-02",
        "topics": ["negotiation"],
    }
    outside = officer.post("/outreach/events", data=body)
    assert outside.status_code == 422
    assert "di luar wilayah" in outside.text
    assert count(session, Event, Event.title == "Pelatihan petugas") == 0
    first = officer.post("/outreach/events", data={**body, "region_code": VILLAGE})
    assert (
        officer.post("/outreach/events", data={**body, "region_code": VILLAGE}).headers["location"]
        == first.headers["location"]
    )
    assert count(session, Event, Event.title == "Pelatihan petugas") == 1
    url = first.headers["location"].split("?")[0]
    make_agent(session, "perisai.hadir", [VILLAGE])
    form = tokens(officer, url)
    saved = officer.post(
        f"{url}/attendees", data={**form, "attendees": "@perisai.hadir\n@tidak.ada\nIbu Rina\n-Pak Joko"}
    )
    assert saved.status_code == 200
    assert 'id="rejected-count">1<' in saved.text
    assert "petugas tidak ada" in saved.text
    event_id = int(url.rsplit("/", 1)[1])
    assert count(session, Attendance, Attendance.event_id == event_id) == 3
    again = officer.post(f"{url}/attendees", data={**form, "attendees": "@perisai.hadir\nIbu Rina"})
    assert 'id="again"' in again.text
    assert count(session, Attendance, Attendance.event_id == event_id) == 3
    other = as_user(Role.BRANCH_OFFICER, ("12.71.05",), "cabang.lain")
    assert other.get(url).status_code == 404
    other_form = tokens(other, "/outreach/events")
    assert other.post(f"{url}/attendees", data={**other_form, "attendees": "X"}).status_code == 404


def test_partnership_status_and_signed_document(
    officer: TestClient, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JANGKAU_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        form = tokens(officer, "/outreach/partnerships")
        body = {
            **form,
            "kind": "mou",
            "partner": "Polsek Medan Kota",
            "partner_kind": "polres",
            "region_code": MEDAN_KOTA,
            "title": "MoU perlindungan pekerja rentan",
            "status": "signed",
            "budget": "1.500.000",
        }
        undated = officer.post("/outreach/partnerships", data=body)
        assert undated.status_code == 422
        assert "tanggal penandatanganan" in undated.text
        assert 'value="MoU perlindungan pekerja rentan"' in undated.text
        assert count(session, Partnership, Partnership.partner == "Polsek Medan Kota") == 0
        first = officer.post("/outreach/partnerships", data={**body, "status": "draft"})
        second = officer.post("/outreach/partnerships", data={**body, "status": "draft"})
        assert first.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        mou = session.scalars(select(Partnership).where(Partnership.partner == "Polsek Medan Kota")).one()
        assert mou.budget == 1_500_000
        csrf = {"csrf_token": form["csrf_token"]}
        status_url = f"/outreach/partnerships/{mou.id}/status"
        assert officer.post(status_url, data={**csrf, "status": "signed"}).status_code == 422
        assert officer.post(status_url, data={**csrf, "status": "signed", "signed_on": "2026-02-01"}).status_code == 303
        session.refresh(mou)
        assert (mou.status, mou.signed_on) == ("signed", dt.date(2026, 2, 1))
        upload_url = f"/outreach/partnerships/{mou.id}/documents"
        fake = officer.post(upload_url, data=form, files={"file": ("mou.pdf", b"MZ\x90 not a pdf", "application/pdf")})
        assert fake.status_code == 422
        assert count(session, PartnershipDocument, PartnershipDocument.partnership_id == mou.id) == 0
        pdf = {"file": ("mou.pdf", b"%PDF-1.7 signed", "application/pdf")}
        assert officer.post(upload_url, data=form, files=pdf).status_code == 303
        assert officer.post(upload_url, data=form, files=pdf).status_code == 303  # double submit
        assert count(session, PartnershipDocument, PartnershipDocument.partnership_id == mou.id) == 1
        assert "mou.pdf" in officer.get("/outreach/partnerships").text
    finally:
        get_settings.cache_clear()
