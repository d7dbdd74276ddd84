"""User administration in the browser (issue 22 point 3): create, edit, deactivate and reactivate accounts, territory
by region name, one-time password links; every form refuses bad input next to the field and saves nothing twice
(SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.models import AuditEvent, PasswordReset, User
from jangkau.auth.principal import OPERATOR
from jangkau.auth.repository import scope_of
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.config import Settings, get_settings
from jangkau.db.base import utcnow
from jangkau.web.app import create_app

PASSWORD = "rahasia-sekali-123"
NEW_PASSWORD = "kopi-susu-pagi-2027"
Client = Callable[..., TestClient]


@pytest.fixture(autouse=True)
def _no_totp(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests are about the user pages, not the admin's second factor (tested in test_login.py)."""
    monkeypatch.setenv("JANGKAU_TOTP_REQUIRED_ROLES", "")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def client(session: Session) -> Client:
    def make(ip: str = "10.0.0.1") -> TestClient:
        app = create_app(session.get_bind(), Settings())  # type: ignore[arg-type]
        app.state.session_factory = sessionmaker(
            bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        return TestClient(app, follow_redirects=False, client=(ip, 50000))

    return make


def account(session: Session, username: str, role: Role = Role.ADMIN) -> User:
    kind = AgentKind.KEPLING if role is Role.FIELD_AGENT else None
    made = create_user(session, NewUser(username, "Test", role, PASSWORD, ("12.71",), kind), OPERATOR)
    session.commit()
    return made


def login(web: TestClient, username: str, password: str = PASSWORD) -> int:
    form = web.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf
    data = {"username": username, "password": password, "csrf_token": csrf[1], "next": "/"}
    return web.post("/login", data=data).status_code


def form_token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found
    return found[1]


@pytest.fixture
def admin(session: Session, client: Client) -> TestClient:
    account(session, "admin.test")
    web = client()
    assert login(web, "admin.test") == 303
    return web


def new_user(admin: TestClient, **fields: str) -> tuple[int, str, dict[str, str]]:
    token = form_token(admin.get("/admin/users/new").text)
    data = {"csrf_token": admin.cookies["jangkau_csrf"], "form_token": token} | fields
    answer = admin.post("/admin/users/new", data=data)
    return answer.status_code, answer.headers.get("location") or answer.text, data


def users(session: Session, username: str) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.username == username)) or 0


def test_the_new_user_form_names_each_bad_field_and_keeps_what_was_typed(session: Session, admin: TestClient) -> None:
    status, page, _ = new_user(admin)
    assert status == 422
    for field in ("username", "full_name", "role", "region"):
        assert f'id="error-{field}"' in page, field
    status, page, _ = new_user(
        admin, username="Bad Name!", full_name="Siti Aminah", role="field_agent", region="Kota Atlantis"
    )
    assert status == 422
    assert 'id="error-username"' in page
    assert 'id="error-agent_kind"' in page  # a field agent needs a kind
    assert "Kota Atlantis" in page  # kept, and named in the message
    assert 'value="Siti Aminah"' in page
    assert '<option value="field_agent" selected>' in page
    status, page, _ = new_user(admin, username="admin.test", full_name="X", role="branch_officer", region="12.71")
    assert status == 422
    assert "admin.test" in re.search(r'id="error-username"[^>]*>([^<]+)<', page)[1]  # type: ignore[index]
    # a name several regions share: the form asks which one, with the names above each
    status, page, _ = new_user(admin, username="cabang.dua", full_name="Budi", role="branch_officer", region="Medan")
    assert status == 422
    assert 'id="region-choices"' in page
    assert "Medan Kota, Kota Medan, Sumatera Utara" in page
    assert users(session, "cabang.dua") == 0
    assert new_user(admin, username="x.y", full_name="X", role="worker", region="12.71")[0] == 422  # not given here


def test_an_admin_creates_a_branch_officer_once_with_the_territory_by_name(session: Session, admin: TestClient) -> None:
    status, location, data = new_user(
        admin, username="Cabang.Dua", full_name="Budi Santoso", role="branch_officer", region="kota medan"
    )
    assert status == 303
    created = session.scalars(select(User).where(User.username == "cabang.dua")).one()
    assert location == f"/admin/users/{created.id}?created=1"
    assert scope_of(session, created.id) == ("12.71",)
    assert (created.role, created.agent_kind) == ("branch_officer", None)
    # the same form sent again (a double click): the same answer, one account
    again = admin.post("/admin/users/new", data=data)
    assert (again.status_code, again.headers["location"]) == (303, location)
    assert users(session, "cabang.dua") == 1
    # chosen among several regions of a name (the radio of the form)
    status, _, _ = new_user(
        admin,
        username="kepling.dua",
        full_name="Ani",
        role="field_agent",
        agent_kind="kepling",
        region="Medan",
        region_code="12.71.01",
    )
    assert status == 303
    agent = session.scalars(select(User).where(User.username == "kepling.dua")).one()
    assert scope_of(session, agent.id) == ("12.71.01",)
    listing = admin.get("/admin/users").text
    assert "Kota Medan" in listing
    assert "Medan Kota" in listing
    found = admin.get("/admin/users", params={"q": "budi"}).text  # by a part of the name, any case
    assert re.findall(r'data-username="([^"]+)"', found) == ["cabang.dua"]
    assert re.findall(r'data-username="([^"]+)"', admin.get("/admin/users", params={"q": "100%"}).text) == []
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.entity == "user"))
    assert {e.entity_id for e in events} >= {str(created.id), str(agent.id)}


def test_edit_saves_once_and_an_admin_cannot_lock_themselves_out(session: Session, admin: TestClient) -> None:
    agent = account(session, "kepling.tiga", Role.FIELD_AGENT)
    page = admin.get(f"/admin/users/{agent.id}").text
    assert "Kota Medan (12.71)" in page  # the territory by name
    data = {
        "csrf_token": admin.cookies["jangkau_csrf"],
        "form_token": form_token(page),
        "full_name": "Ani Lubis",
        "role": "region_officer",
        "region": "Medan Kota (12.71.01)",
    }
    assert admin.post(f"/admin/users/{agent.id}", data=data | {"full_name": ""}).status_code == 422
    assert admin.post(f"/admin/users/{agent.id}", data=data).headers["location"] == f"/admin/users/{agent.id}?saved=1"
    assert admin.post(f"/admin/users/{agent.id}", data=data).status_code == 303
    session.refresh(agent)
    assert (agent.full_name, agent.role, agent.agent_kind) == ("Ani Lubis", "region_officer", None)
    assert scope_of(session, agent.id) == ("12.71.01",)
    updates = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "update", AuditEvent.entity_id == str(agent.id))
    )
    assert len(list(updates)) == 1

    me = session.scalars(select(User).where(User.username == "admin.test")).one()
    own = admin.get(f"/admin/users/{me.id}").text
    mine = data | {"form_token": form_token(own), "role": "branch_officer"}
    refused = admin.post(f"/admin/users/{me.id}", data=mine)
    assert refused.status_code == 409
    assert 'id="form-error"' in refused.text
    off = admin.post(f"/admin/users/{me.id}/deactivate", data={"csrf_token": admin.cookies["jangkau_csrf"]})
    assert off.status_code == 409
    assert 'id="action-error"' in off.text
    session.refresh(me)
    assert (me.is_active, me.role) == (True, "admin")


def test_a_deactivated_user_cannot_sign_in_and_their_sessions_end(
    session: Session, admin: TestClient, client: Client
) -> None:
    officer = account(session, "cabang.tiga", Role.BRANCH_OFFICER)
    theirs = client("10.0.0.9")
    assert login(theirs, "cabang.tiga") == 303
    assert theirs.get("/api/v1/me").status_code == 200
    csrf = {"csrf_token": admin.cookies["jangkau_csrf"]}
    assert admin.post(f"/admin/users/{officer.id}/deactivate", data=csrf).status_code == 303
    assert admin.post(f"/admin/users/{officer.id}/deactivate", data=csrf).status_code == 303  # twice: no change
    assert theirs.get("/api/v1/me").status_code == 401
    assert login(client("10.0.0.10"), "cabang.tiga") == 401
    assert "deactivated" in admin.get("/admin/users", cookies={"jangkau_lang": "en"}).text
    assert admin.post(f"/admin/users/{officer.id}/reactivate", data=csrf).status_code == 303
    assert login(client("10.0.0.11"), "cabang.tiga") == 303
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(officer.id), AuditEvent.action.like("%activate"))
    )
    assert list(actions) == ["deactivate", "reactivate"]


def make_link(admin: TestClient, user_id: int) -> tuple[str | None, str, dict[str, str]]:
    data = {
        "csrf_token": admin.cookies["jangkau_csrf"],
        "form_token": form_token(admin.get(f"/admin/users/{user_id}").text),
    }
    page = admin.post(f"/admin/users/{user_id}/password-link", data=data)
    assert page.status_code == 200
    found = re.search(r'id="reset-link"[^>]*>http://testserver(/password/[^<]+)<', page.text)
    return (found[1] if found else None), page.text, data


def test_a_one_time_link_sets_the_password_once(session: Session, admin: TestClient, client: Client) -> None:
    officer = account(session, "cabang.empat", Role.BRANCH_OFFICER)
    link, page, data = make_link(admin, officer.id)
    assert link
    assert page.count(link) == 1
    stored = session.scalars(select(PasswordReset).where(PasswordReset.user_id == officer.id)).one()
    assert link.rsplit("/", 1)[1] not in stored.token_hash  # only the hash is kept
    again = admin.post(f"/admin/users/{officer.id}/password-link", data=data)  # the same form again: no new link
    assert "/password/" not in again.text
    assert session.scalar(select(func.count()).select_from(PasswordReset)) == 1

    user = client("10.0.0.20")
    form = user.get(link)
    assert form.status_code == 200
    csrf = user.cookies["jangkau_csrf"]
    weak = user.post(link, data={"csrf_token": csrf, "new_password": "password", "repeat_password": "password"})
    assert weak.status_code == 422
    assert 'id="error-new_password"' in weak.text
    differ = user.post(link, data={"csrf_token": csrf, "new_password": NEW_PASSWORD, "repeat_password": "x"})
    assert 'id="error-repeat_password"' in differ.text
    done = user.post(link, data={"csrf_token": csrf, "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})
    assert (done.status_code, done.headers["location"]) == (303, "/login?password_set=1")
    assert login(client("10.0.0.21"), "cabang.empat", NEW_PASSWORD) == 303
    assert login(client("10.0.0.22"), "cabang.empat", PASSWORD) == 401
    # once only: the link is dead, and a second send of the form changes nothing
    assert user.get(link).status_code == 404
    resend = user.post(
        link, data={"csrf_token": csrf, "new_password": "another-pass-99x", "repeat_password": "another-pass-99x"}
    )
    assert resend.status_code == 404
    assert login(client("10.0.0.23"), "cabang.empat", NEW_PASSWORD) == 303
    assert (
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "set_password_by_link"))
        == 1
    )


def test_an_expired_or_replaced_link_is_refused_in_the_page_language(
    session: Session, admin: TestClient, client: Client
) -> None:
    officer = account(session, "cabang.lima", Role.BRANCH_OFFICER)
    first, _, _ = make_link(admin, officer.id)
    second, _, _ = make_link(admin, officer.id)
    assert first
    assert second
    user = client("10.0.0.30")
    assert user.get(first).status_code == 404  # replaced by the newer one
    assert user.get(second).status_code == 200
    session.execute(update(PasswordReset).values(expires_at=utcnow() - dt.timedelta(minutes=1)))
    session.commit()
    expired = user.get(second, cookies={"jangkau_lang": "en"})
    assert expired.status_code == 404
    assert "Ask your administrator for a new link" in expired.text
    assert "Minta tautan baru" in user.get(second, cookies={"jangkau_lang": "id"}).text


def test_only_an_admin_manages_users(session: Session, client: Client) -> None:
    account(session, "cabang.enam", Role.BRANCH_OFFICER)
    web = client("10.0.0.40")
    assert login(web, "cabang.enam") == 303
    assert web.get("/admin/users/new").status_code == 403
    data = {
        "csrf_token": web.cookies["jangkau_csrf"],
        "username": "x.y.z",
        "full_name": "X",
        "role": "admin",
        "region": "12",
    }
    assert web.post("/admin/users/new", data=data).status_code == 403
    assert users(session, "x.y.z") == 0


def test_a_worker_account_keeps_its_role_when_its_name_is_corrected(session: Session, admin: TestClient) -> None:
    worker = account(session, "pekerja.satu", Role.WORKER)
    page = admin.get(f"/admin/users/{worker.id}").text
    assert '<option value="worker" selected>' in page
    data = {
        "csrf_token": admin.cookies["jangkau_csrf"],
        "form_token": form_token(page),
        "full_name": "Siti Rahma",
        "role": "worker",
        "region": "Kota Medan (12.71)",
    }
    assert admin.post(f"/admin/users/{worker.id}", data=data).status_code == 303
    session.refresh(worker)
    assert (worker.full_name, worker.role) == ("Siti Rahma", "worker")
    other = account(session, "cabang.tujuh", Role.BRANCH_OFFICER)
    page = admin.get(f"/admin/users/{other.id}").text
    refused = admin.post(f"/admin/users/{other.id}", data=data | {"form_token": form_token(page)})
    assert refused.status_code == 422  # a worker's role is not given to a staff account here
    assert 'id="error-role"' in refused.text
