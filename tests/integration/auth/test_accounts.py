"""Accounts: validation, login throttling, API tokens and the append-only audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pyotp
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jangkau.auth.audit import export_csv, record
from jangkau.auth.models import AuditEvent, User
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import (
    LoginAttempt,
    LoginFailed,
    NewUser,
    authenticate,
    change_password,
    confirm_totp,
    create_user,
    issue_api_token,
    principal_from_token,
    reset_totp,
    start_totp,
)
from jangkau.auth.throttle import Throttled
from jangkau.db.base import utcnow
from jangkau.errors import Conflict, InvalidInput

PASSWORD = "rahasia-sekali-123"


def agent(**changes: object) -> NewUser:
    data: dict[str, object] = {
        "username": "bhabin.test",
        "full_name": "Bripka Test",
        "role": Role.FIELD_AGENT,
        "password": PASSWORD,
        "scope": ("12.71.01",),
        "agent_kind": AgentKind.BHABINKAMTIBMAS,
    }
    data.update(changes)
    return NewUser(**data)  # type: ignore[arg-type]


def test_create_user_checks_every_field(session: Session) -> None:
    with pytest.raises(InvalidInput) as info:
        create_user(session, agent(username="X!", password="short", agent_kind=None, scope=("12.99",)), OPERATOR)
    assert {f.field for f in info.value.fields} == {"username", "password", "agent_kind", "scope"}
    create_user(session, agent(), OPERATOR)
    with pytest.raises(Conflict):
        create_user(session, agent(), OPERATOR)


def test_failures_are_throttled_per_username_and_ip_not_locked(session: Session) -> None:
    create_user(session, agent(), OPERATOR)
    for _ in range(5):
        with pytest.raises(LoginFailed, match="Wrong username or password"):
            authenticate(session, LoginAttempt("bhabin.test", "wrong-password", "10.0.0.1", "api"))
    with pytest.raises(Throttled) as info:
        authenticate(session, LoginAttempt("bhabin.test", PASSWORD, "10.0.0.1", "api"))
    assert 800 < info.value.details["retry_after"] <= 900
    user = authenticate(session, LoginAttempt("bhabin.test", PASSWORD, "10.0.0.2", "api"))
    assert user.locked_until is None
    assert user.failed_logins == 0
    logins = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(user.id)).order_by(AuditEvent.id))
    outcomes = [json.loads(e.after or "{}").get("outcome") for e in logins if e.action.startswith("login")]
    assert outcomes == ["wrong_password"] * 5 + ["throttled", "ok"]


def test_api_tokens_are_hashed_and_expire(session: Session) -> None:
    user = create_user(session, agent(), OPERATOR)
    token, stored = issue_api_token(session, user)
    assert token not in stored.token_hash
    principal = principal_from_token(session, token)
    assert principal is not None
    assert principal.scope == ("12.71.01",)
    stored.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.flush()
    assert principal_from_token(session, token) is None
    assert principal_from_token(session, token + "x") is None


def test_audit_log_is_append_only(session: Session) -> None:
    create_user(session, agent(), OPERATOR)
    session.flush()
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(update(AuditEvent).values(actor="someone else"))
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("DELETE FROM audit_event"))
    assert session.query(User).filter_by(username="bhabin.test").one()


def test_audit_export_neutralises_formulas_in_typed_values(session: Session) -> None:
    with pytest.raises(LoginFailed):  # a typed username without an account is kept as a digest only
        authenticate(session, LoginAttempt('=HYPERLINK("http://x.example","a")', "x", "10.0.0.1", "api"))
    typed = Principal(None, "+6281234", Role.BRANCH_OFFICER, ("12.71",))  # e.g. a name from another system
    record(session, typed, "read", "claim", '=HYPERLINK("http://x.example","a")')
    rows = list(csv.reader(io.StringIO(export_csv(session))))
    assert [row[3] for row in rows[1:]][-1] == "'+6281234"
    assert """'=HYPERLINK("http://x.example","a")""" in [row[6] for row in rows[1:]]
    assert not any("hyperlink" in cell.lower() for row in rows[1:-1] for cell in row), "the typed username is not kept"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_password_change_follows_the_policy_and_ends_sessions(session: Session) -> None:
    user = create_user(session, agent(), OPERATOR)
    version = user.session_version
    with pytest.raises(InvalidInput) as info:
        change_password(session, user, "not-the-password", "bismillah2026", OPERATOR)
    assert {f.field for f in info.value.fields} == {"current_password", "new_password"}
    with pytest.raises(InvalidInput, match="username"):
        change_password(session, user, PASSWORD, "bhabin.test-baru-1", OPERATOR)
    change_password(session, user, PASSWORD, "kopi-tubruk-pagi-7", OPERATOR)
    assert user.session_version == version + 1
    assert authenticate(session, LoginAttempt("bhabin.test", "kopi-tubruk-pagi-7", "10.0.0.1", "page")).id == user.id


def test_totp_enrolment_and_reset(session: Session) -> None:
    user = create_user(session, agent(), OPERATOR)
    secret = start_totp(session, user)
    assert not user.has_totp  # not before a code confirms it
    with pytest.raises(InvalidInput, match="wrong code"):
        confirm_totp(session, user, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321", OPERATOR)
    confirm_totp(session, user, pyotp.TOTP(secret).now(), OPERATOR)
    assert user.has_totp
    with pytest.raises(Conflict):
        start_totp(session, user)
    version = user.session_version
    reset_totp(session, user, OPERATOR)
    assert not user.has_totp
    assert user.session_version == version + 1
