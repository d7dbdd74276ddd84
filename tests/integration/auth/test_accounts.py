"""Accounts: validation, lockout, API tokens and the append-only audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jangkau.auth.models import AuditEvent, User
from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import LoginFailed, NewUser, authenticate, create_user, issue_api_token, principal_from_token
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


def test_lockout_after_repeated_failures(session: Session) -> None:
    create_user(session, agent(), OPERATOR)
    now = utcnow()
    for _ in range(5):
        with pytest.raises(LoginFailed, match="Wrong username or password"):
            authenticate(session, "bhabin.test", "wrong-password", now)
    with pytest.raises(LoginFailed, match="locked") as info:
        authenticate(session, "bhabin.test", PASSWORD, now)
    assert info.value.code == "account_locked"
    later = now + dt.timedelta(minutes=16)
    assert authenticate(session, "bhabin.test", PASSWORD, later).username == "bhabin.test"


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
