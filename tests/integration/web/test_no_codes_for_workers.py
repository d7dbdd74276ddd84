"""Pages meant for workers, employers and field agents show labels, never codes (issue 22 point 9): no programme
codes (``jkm.death``), state codes (``no_match``, ``lapsed``), regulation notes or source tags (``Permenaker 5/2021``,
``UNCONFIRMED``). The demo city is rendered page by page as each of these roles sees it; every offender is listed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker
from tests.conftest import build_database
from tests.e2e.days import CODE_PATTERN

from jangkau.db.uow import unit_of_work
from jangkau.demo.seed import seed_demo
from jangkau.demo.users import ensure_demo_users
from jangkau.registry.models import Membership
from jangkau.web.app import create_app

PASSWORD = "jangkau-demo-2026"
# what a worker or an agent must not read: codes, snake_case states, regulation notes and source tags
FORBIDDEN = [
    CODE_PATTERN,
    re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"),  # no_match, not_registered, household_worker
    re.compile(r"\b(?:lapsed|pending|active|nonaktif)\b"),  # membership states as stored
    re.compile(r"\b(?:Permenaker|Perpres|PP|UU) (?:No\. )?\d+(?:/| Tahun )\d{4}\b"),  # regulation notes
    re.compile(r"\bUNCONFIRMED\b|\bBELUM DIKONFIRMASI\b"),
]
PAGES = {
    "pekerja.demo": ["/", "/coverage", "/enrol", "/register-other", "/claims", "/claims/new", "/claims/jht",
                     "/jobs/profile", "/jobs/vacancies", "/account/messages", "{receipt}"],
    "majikan.demo": ["/", "/enrol", "/register-other", "/claims", "/claims/new", "/jobs/vacancies"],
    "bhabin.medankota": ["/", "/field", "/enrol", "/register-other", "/jobs/assist"],
    "kepling.demo": ["/", "/field", "/enrol"],
}  # fmt: skip


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database("sqlite", Path(tmp_path_factory.mktemp("codes")), "codes")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    seed_demo(factory, "12.71", "small", 1)
    with unit_of_work(factory) as session:
        ensure_demo_users(session)
    return engine


@pytest.fixture(scope="module")
def app(city: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(city), follow_redirects=True) as client:
        yield client


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attribute values."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def codes_in(text: str) -> list[str]:
    return sorted({m.group(0) for pattern in FORBIDDEN for m in pattern.finditer(text)})


def _sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    signed = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)})
    assert signed.status_code == 200, signed.text
    assert "/login" not in str(signed.url), f"{username} could not sign in"


def _receipt(city: Engine, client: TestClient) -> str:
    """The worker's own enrolment receipt (the first membership the home page links to), else skip it."""
    found = re.search(r'href="(/enrol/receipt/\d+)"', client.get("/").text + client.get("/coverage").text)
    if found:
        return found.group(1)
    with sessionmaker(bind=city)() as session:
        first = session.scalar(select(Membership.id).order_by(Membership.id))
    return f"/enrol/receipt/{first}"


def test_worker_employer_and_agent_pages_show_no_codes(app: TestClient, city: Engine) -> None:
    offenders: list[str] = []
    for username, urls in PAGES.items():
        _sign_in(app, username)
        for url in urls:
            target = _receipt(city, app) if url == "{receipt}" else url
            page = app.get(target)
            if page.status_code in (403, 404) and url == "{receipt}":
                continue
            assert page.status_code == 200, f"{username} {target}: {page.status_code}"
            found = codes_in(visible_text(page.text))
            if found:
                offenders.append(f"{username} {target}: {found}")
    assert offenders == [], "codes on worker/agent pages:\n" + "\n".join(offenders)


def test_the_scan_finds_codes_when_they_are_there() -> None:
    page = '<p>jkm.death <b>no_match</b> lapsed Permenaker 5/2021 <span title="x_y">UNCONFIRMED</span></p>'
    text = visible_text(page)
    assert codes_in(text) == ["Permenaker 5/2021", "UNCONFIRMED", "jkm.death", "lapsed", "no_match"]
    assert codes_in(visible_text("<p>Terlindungi sampai 31 Desember 2026</p><script>a_b.c_d()</script>")) == []
