"""Whom an API token belongs to is remembered for a few seconds, and forgotten at once when this process changes
the account, its territory or the token (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from jangkau.auth import repository as repo
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user, issue_api_token, principal_from_token
from jangkau.auth.tokencache import CACHE, PrincipalCache
from jangkau.db.base import utcnow

PASSWORD = "rahasia-sekali-123"


@pytest.fixture
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session sends while the test runs."""
    seen: list[str] = []
    engine = session.connection().engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def _agent(session: Session) -> tuple[str, Any]:
    user = create_user(
        session,
        NewUser("bhabin.cache", "Bripka Cache", Role.FIELD_AGENT, PASSWORD, ("12.71.01",), AgentKind.BHABINKAMTIBMAS),
        OPERATOR,
    )
    token, _stored = issue_api_token(session, user)
    session.flush()
    return token, user


def _lookup(session: Session, token: str, statements: list[str]) -> tuple[Principal | None, int]:
    before = len(statements)
    principal = principal_from_token(session, token)
    return principal, len(statements) - before


def test_a_token_owner_is_remembered_without_a_query(session: Session, statements: list[str]) -> None:
    token, _user = _agent(session)
    session.expunge_all()
    first, queries = _lookup(session, token, statements)
    assert first is not None
    assert queries == 3  # token, user, territory
    again, queries = _lookup(session, token, statements)
    assert again == first
    assert queries == 0


def test_deactivation_role_territory_and_revocation_are_seen_at_once(session: Session, statements: list[str]) -> None:
    token, user = _agent(session)
    assert principal_from_token(session, token) is not None
    repo.set_scope(session, user.id, ["12.71.02"])  # a bulk DELETE + INSERT, not an ORM change of the user
    changed, queries = _lookup(session, token, statements)
    assert changed is not None
    assert changed.scope == ("12.71.02",)
    assert queries > 0
    user.role = Role.BRANCH_OFFICER.value
    session.flush()
    principal = principal_from_token(session, token)
    assert principal is not None
    assert principal.role is Role.BRANCH_OFFICER
    user.is_active = False
    session.flush()
    assert principal_from_token(session, token) is None
    user.is_active = True
    session.flush()
    assert principal_from_token(session, token) is not None
    stored = repo.tokens_of(session, user.id)[0]
    stored.revoked_at = utcnow()
    session.flush()
    assert principal_from_token(session, token) is None


def test_never_remembered_past_the_token_expiry(session: Session, statements: list[str]) -> None:
    token, user = _agent(session)
    stored = repo.tokens_of(session, user.id)[0]
    stored.expires_at = utcnow() + dt.timedelta(seconds=0.3)
    session.flush()
    assert principal_from_token(session, token) is not None
    time.sleep(0.4)
    expired, queries = _lookup(session, token, statements)  # nothing changed in between: only the clock
    assert expired is None
    assert queries == 1


def test_a_lookup_that_raced_with_a_change_is_not_stored() -> None:
    cache = PrincipalCache()
    principal = Principal(user_id=1, username="a", role=Role.FIELD_AGENT, scope=("12.71",))
    generation = cache.generation
    cache.clear()  # an account changed while the lookup ran
    cache.put(("db", "hash"), principal, 5, generation)
    assert cache.get(("db", "hash")) is None
    cache.put(("db", "hash"), principal, 5, cache.generation)
    assert cache.get(("db", "hash")) == principal
    cache.put(("db", "other"), principal, 0, cache.generation)  # auth_cache_seconds = 0: off
    assert cache.get(("db", "other")) is None


def test_the_shared_cache_is_emptied_by_a_commit_that_changed_an_account(session: Session) -> None:
    token, user = _agent(session)
    assert principal_from_token(session, token) is not None
    generation = CACHE.generation
    user.full_name = "Bripka Cache Baru"
    session.commit()
    assert CACHE.generation > generation
