"""The HTML 404 and 403 pages (issue 22 point 9): in the page's language, with a way back that suits who is asking
(home when signed in, sign-in when not); the JSON API keeps its ErrorRead body (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.config import Settings
from jangkau.web.app import create_app

PASSWORD = "rahasia-sekali-123"


@pytest.fixture
def web(session: Session) -> TestClient:
    app = create_app(session.get_bind(), Settings())  # type: ignore[arg-type]
    app.state.session_factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return TestClient(app, follow_redirects=False)


def sign_in(session: Session, web: TestClient) -> None:
    create_user(
        session,
        NewUser("kepling.err", "Test", Role.FIELD_AGENT, PASSWORD, ("12.71",), AgentKind.KEPLING),
        OPERATOR,
    )
    session.commit()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
    assert csrf
    data = {"username": "kepling.err", "password": PASSWORD, "csrf_token": csrf[1], "next": "/"}
    assert web.post("/login", data=data).status_code == 303


def back_link(page: str) -> str:
    found = re.search(r'<a class="button" href="([^"]+)" id="error-back">([^<]+)<', page)
    assert found, page
    return f"{found[1]} {found[2]}"


@pytest.mark.parametrize(
    ("lang", "title", "back"),
    [("id", "Halaman tidak ditemukan", "/login Masuk"), ("en", "Page not found", "/login Sign in")],
)
def test_an_unknown_address_is_a_404_page_in_the_page_language(
    web: TestClient, lang: str, title: str, back: str
) -> None:
    web.cookies.set("jangkau_lang", lang)
    page = web.get("/tidak-ada/sama-sekali")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page.text
    assert title in page.text
    assert back_link(page.text) == back


@pytest.mark.parametrize(
    ("lang", "missing", "refused", "home"),
    [
        ("id", "Halaman tidak ditemukan", "Tidak diizinkan", "/ Kembali ke beranda Anda"),
        ("en", "Page not found", "Not allowed", "/ Back to your home page"),
    ],
)
def test_a_signed_in_user_is_sent_home_from_a_404_and_a_403(
    session: Session, web: TestClient, lang: str, missing: str, refused: str, home: str
) -> None:
    sign_in(session, web)
    web.cookies.set("jangkau_lang", lang)
    unknown = web.get("/no-such-page")  # no route: the page still knows who is asking
    assert unknown.status_code == 404
    assert missing in unknown.text
    assert back_link(unknown.text) == home
    assert 'action="/logout"' in unknown.text  # signed in: the menu is there too
    forbidden = web.get("/admin/users")
    assert forbidden.status_code == 403
    assert refused in forbidden.text
    assert back_link(forbidden.text) == home
    gone = web.get("/claims/KLM-NOPE-0000")
    assert gone.status_code == 404
    assert back_link(gone.text) == home


def test_the_api_keeps_its_json_errors(session: Session, web: TestClient) -> None:
    missing = web.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    sign_in(session, web)
    refused = web.get("/api/v1/admin/tasks", headers={"accept": "application/json"})
    assert refused.status_code in (403, 404)
    assert "error" in refused.json()
