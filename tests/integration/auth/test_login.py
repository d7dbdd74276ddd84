"""Sign-in through the page and the API: throttling, audit rows that outlive the refusal, the TOTP second factor
(required for admin), tokens and sessions revocable, HSTS (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.audit import unknown_username
from jangkau.auth.models import ApiToken, AuditEvent, User, UserSession
from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user, issue_api_token
from jangkau.config import Settings, get_settings
from jangkau.web.app import create_app

PASSWORD = "rahasia-sekali-123"
Client = Callable[..., TestClient]


@pytest.fixture
def client(session: Session) -> Client:
    """A test client on the real app whose requests run their own unit of work (commit or roll back) inside the
    test's transaction, as savepoints: a request that fails really rolls back, and the test still undoes it all."""

    def make(ip: str = "10.0.0.1", **settings: object) -> TestClient:
        app = create_app(session.get_bind(), Settings(**settings))  # type: ignore[arg-type]
        app.state.session_factory = sessionmaker(
            bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        return TestClient(app, follow_redirects=False, client=(ip, 50000))

    return make


def user(session: Session, username: str = "bhabin.test", role: Role = Role.FIELD_AGENT) -> User:
    kind = AgentKind.BHABINKAMTIBMAS if role is Role.FIELD_AGENT else None
    created = create_user(session, NewUser(username, "Test", role, PASSWORD, ("12.71",), kind), OPERATOR)
    session.commit()
    return created


def token(client: TestClient, username: str, password: str = PASSWORD, totp: str = "") -> tuple[int, dict[str, object]]:
    data = {"username": username, "password": password} | ({"totp": totp} if totp else {})
    response = client.post("/api/v1/auth/token", data=data)
    return response.status_code, {"retry_after": response.headers.get("retry-after"), **response.json()}


def page_login(client: TestClient, username: str, password: str = PASSWORD) -> object:
    form = client.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf[1]})


def login_rows(session: Session, username: str) -> list[dict[str, str]]:
    rows = session.scalars(select(AuditEvent).where(AuditEvent.actor == username).order_by(AuditEvent.id))
    return [json.loads(r.after or "{}") | {"action": r.action} for r in rows if r.action.startswith("login")]


def test_sixth_wrong_password_is_429_but_the_real_user_elsewhere_gets_in(session: Session, client: Client) -> None:
    user(session)
    stranger, owner = client("10.0.0.66"), client("10.0.0.7")
    for _ in range(5):
        assert token(stranger, "bhabin.test", "wrong-password")[0] == 401
    status, body = token(stranger, "bhabin.test", "wrong-password")
    assert status == 429
    assert body["error"]["code"] == "too_many_requests"  # type: ignore[index]
    assert 800 < int(str(body["retry_after"])) <= 900
    assert token(stranger, "bhabin.test")[0] == 429  # even the right password, from the same IP
    assert token(owner, "bhabin.test")[0] == 200
    # the page counts the same failures: the stranger is refused there too, with Retry-After
    refused = page_login(stranger, "bhabin.test", "wrong-password")
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert refused.headers["retry-after"]  # type: ignore[attr-defined]


def test_the_page_throttles_too_and_no_hard_lockout(session: Session, client: Client) -> None:
    user(session)
    stranger = client("10.0.0.66")
    statuses = [page_login(stranger, "bhabin.test", "wrong-password").status_code for _ in range(6)]  # type: ignore[attr-defined]
    assert statuses == [401] * 5 + [429]
    assert page_login(client("10.0.0.7"), "bhabin.test").status_code == 303  # type: ignore[attr-defined]


def test_failed_login_audit_rows_outlive_the_request(session: Session, client: Client) -> None:
    user(session)
    assert token(client("10.9.8.7"), "bhabin.test", "Sekali-Salah-99")[0] == 401
    assert token(client("10.9.8.7"), "nobody.here", "Sekali-Salah-99")[0] == 401
    assert page_login(client("10.9.8.6"), "bhabin.test", "Sekali-Salah-98").status_code == 401  # type: ignore[attr-defined]
    assert token(client("10.9.8.7"), "bhabin.test")[0] == 200
    rows = login_rows(session, "bhabin.test")
    assert [(r["action"], r["outcome"], r["channel"], r["ip"]) for r in rows] == [
        ("login_failed", "wrong_password", "api", "10.9.8.7"),
        ("login_failed", "wrong_password", "page", "10.9.8.6"),
        ("login", "ok", "api", "10.9.8.7"),
    ]
    assert login_rows(session, "nobody.here") == []  # what was typed is not kept for a username without an account
    assert login_rows(session, unknown_username("nobody.here"))[0]["outcome"] == "unknown_user"
    every = " ".join(f"{e.before} {e.after}" for e in session.scalars(select(AuditEvent)))
    assert "Sekali-Salah" not in every


def test_password12_is_refused_for_an_admin(session: Session) -> None:
    from jangkau.errors import InvalidInput

    with pytest.raises(InvalidInput, match="12 characters") as info:
        create_user(session, NewUser("admin.two", "Admin", Role.ADMIN, "password12", ("",)), OPERATOR)
    assert "too common" in info.value.message


def test_totp_is_required_for_admin_then_asked_at_every_sign_in(session: Session, client: Client) -> None:
    admin = user(session, "admin.test", Role.ADMIN)
    web = client()
    # a password alone gets an admin nowhere but the enrolment page, and no API token
    assert token(web, "admin.test")[1]["error"]["code"] == "totp_enrolment_required"  # type: ignore[index]
    older, _ = issue_api_token(session, admin, "from before the requirement")
    session.commit()
    assert web.get("/api/v1/me", headers={"authorization": f"Bearer {older}"}).status_code == 403
    signed_in = page_login(web, "admin.test")
    assert signed_in.headers["location"] == "/account/security"  # type: ignore[attr-defined]
    blocked = web.get("/admin/users", headers={"accept": "application/json"})
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "totp_enrolment_required"
    csrf = web.cookies["jangkau_csrf"]
    assert web.post("/account/security/totp", data={"csrf_token": csrf}).status_code == 303
    page = web.get("/account/security").text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert secret
    assert "otpauth://totp/Jangkau:admin.test?secret=" in page
    assert 'id="totp-qr" src="data:image/svg+xml' in page
    assert web.post("/account/security/totp/confirm", data={"csrf_token": csrf, "code": "000000"}).status_code == 422
    code = pyotp.TOTP(secret[1]).now()
    assert web.post("/account/security/totp/confirm", data={"csrf_token": csrf, "code": code}).status_code == 303
    assert web.get("/admin/users").status_code == 200
    session.refresh(admin)
    assert admin.has_totp

    # from now on: a second step on the page, a `totp` field on the API; codes are not accepted twice
    again = client()
    second = page_login(again, "admin.test")
    assert second.status_code == 200  # type: ignore[attr-defined]
    assert 'action="/login/totp"' in second.text  # type: ignore[attr-defined]
    assert "jangkau_session" not in again.cookies
    pending = re.search(r'name="pending" value="([^"]+)"', second.text)  # type: ignore[attr-defined]
    assert pending
    step = {"pending": pending[1], "csrf_token": again.cookies["jangkau_csrf"], "next": "/"}
    assert again.post("/login/totp", data=step | {"code": "000000"}).status_code == 401
    session.refresh(admin)
    fresh = pyotp.TOTP(secret[1]).at(time.time() + 30)  # the next step: the current one was used to confirm
    assert again.post("/login/totp", data=step | {"code": fresh}).status_code == 303
    assert again.get("/admin/users").status_code == 200
    assert token(client(), "admin.test")[1]["error"]["code"] == "totp_required"  # type: ignore[index]
    assert token(client(), "admin.test", totp=fresh)[0] == 401  # replayed
    assert login_rows(session, "admin.test")[-1]["outcome"] == "totp_wrong"


def test_tokens_and_sessions_are_listed_and_ended_by_the_user_and_by_the_admin(
    session: Session, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = user(session)
    first, _ = issue_api_token(session, agent, "laptop")
    second, stored = issue_api_token(session, agent, "phone")
    session.commit()
    web = client()
    page_login(web, "bhabin.test")
    page = web.get("/account/security").text
    assert "laptop" in page
    assert "phone" in page
    csrf = web.cookies["jangkau_csrf"]
    revoke = web.post(f"/account/security/tokens/{stored.id}/revoke", data={"csrf_token": csrf})
    assert revoke.status_code == 303
    assert web.get("/api/v1/me", headers={"authorization": f"Bearer {second}"}).status_code == 401
    assert web.get("/api/v1/me", headers={"authorization": f"Bearer {first}"}).status_code == 200
    listed = web.get("/api/v1/me/tokens", headers={"authorization": f"Bearer {first}"}).json()
    assert [(t["name"], t["revoked_at"] is None) for t in listed] == [("phone", False), ("laptop", True)]

    # two sign-ins are two sessions; ending the other one leaves this one open
    other = client("10.0.0.2")
    page_login(other, "bhabin.test")
    assert other.get("/api/v1/me").status_code == 200
    opened = session.scalars(select(UserSession).where(UserSession.user_id == agent.id).order_by(UserSession.id))
    mine, theirs = [s.id for s in opened]
    page = web.get("/account/security").text
    assert page.count("/sessions/") == 2
    assert "10.0.0.2" in page
    web.post(f"/account/security/sessions/{theirs}/end", data={"csrf_token": csrf})
    assert other.get("/api/v1/me").status_code == 401
    assert web.get("/api/v1/me").status_code == 200
    assert web.post(f"/account/security/sessions/{theirs}/end", data={"csrf_token": csrf}).status_code == 404
    assert [x["id"] for x in web.get("/api/v1/me/sessions").json()] == [mine]
    assert mine

    # an admin (TOTP off here: tested above) revokes the other token and ends the agent's sessions
    monkeypatch.setenv("JANGKAU_TOTP_REQUIRED_ROLES", "")
    get_settings.cache_clear()
    user(session, "admin.test", Role.ADMIN)
    admin = client()
    page_login(admin, "admin.test")
    listing = admin.get(f"/admin/users/{agent.id}/security").text
    laptop = session.scalars(select(ApiToken).where(ApiToken.name == "laptop")).one()
    assert f"/admin/users/{agent.id}/tokens/{laptop.id}/revoke" in listing
    admin_csrf = admin.cookies["jangkau_csrf"]
    admin.post(f"/admin/users/{agent.id}/tokens/{laptop.id}/revoke", data={"csrf_token": admin_csrf})
    assert web.get("/api/v1/me", headers={"authorization": f"Bearer {first}"}).status_code == 401
    assert web.get("/api/v1/me").status_code == 200
    assert f"/admin/users/{agent.id}/sessions/{mine}/end" in admin.get(f"/admin/users/{agent.id}/security").text
    admin.post(f"/admin/users/{agent.id}/sessions/end", data={"csrf_token": admin_csrf})
    assert web.get("/api/v1/me").status_code == 401
    assert session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all() == [
        s for s in session.scalars(select(UserSession)) if s.user_id != agent.id
    ]


def test_hsts_and_secure_cookies_only_when_served_over_https(session: Session, client: Client) -> None:
    user(session)
    plain = client().get("/login")
    assert "strict-transport-security" not in plain.headers
    secure = client(secure_cookies=True)
    answer = secure.get("/login")
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "secure" in answer.headers["set-cookie"].lower()
