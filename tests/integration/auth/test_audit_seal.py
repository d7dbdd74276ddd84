"""The audit log cannot be emptied or edited unseen: daily seals in a hash chain, TRUNCATE refused on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from tests.conftest import build_database

from jangkau.auth import audit
from jangkau.auth.models import AuditEvent
from jangkau.db.base import utcnow
from jangkau.db.privileges import grant_app_role

YESTERDAY = utcnow() - dt.timedelta(days=1)


def events(session: Session, day: dt.datetime, count: int) -> list[AuditEvent]:
    made = [
        AuditEvent(
            at=day + dt.timedelta(seconds=i), actor="cabang.medan", action="read", entity="person", entity_id=str(i)
        )
        for i in range(count)
    ]
    session.add_all(made)
    session.flush()
    return made


def disable_append_only(session: Session) -> None:
    """What an intruder with the owner's rights would do first (undone by the test's rollback)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_event_no_update"))
        session.execute(text("DROP TRIGGER audit_event_no_delete"))


def test_sealed_days_verify_and_an_edited_row_is_found(session: Session) -> None:
    two_days_ago = YESTERDAY - dt.timedelta(days=1)
    events(session, two_days_ago, 3)
    edited = events(session, YESTERDAY, 4)[2]
    sealed = audit.seal(session)
    assert [s.day for s in sealed][-2:] == [two_days_ago.date(), YESTERDAY.date()]
    assert audit.seal(session) == [], "a day is sealed once"
    checked, problems = audit.verify(session)
    assert checked >= 2
    assert problems == []

    disable_append_only(session)
    session.execute(text("UPDATE audit_event SET actor = 'someone.else' WHERE id = :id"), {"id": edited.id})
    _, problems = audit.verify(session)
    assert [(p.day, p.reason) for p in problems] == [
        (YESTERDAY.date(), "an event of this day was changed after it was sealed")
    ]


def test_a_removed_row_is_found(session: Session) -> None:
    removed = events(session, YESTERDAY, 2)[0]
    audit.seal(session)
    disable_append_only(session)
    session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": removed.id})
    _, problems = audit.verify(session)
    assert [p.day for p in problems] == [YESTERDAY.date()]
    assert "2 events were sealed, 1 are there now" in problems[0].reason


def test_today_is_not_sealed_until_it_is_over(session: Session) -> None:
    events(session, utcnow(), 1)
    assert all(s.day < utcnow().date() for s in audit.seal(session))


@pytest.fixture
def app_role(tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    """A fresh migrated PostgreSQL database (as owner) and an engine on it as the application's role."""
    if not os.environ.get("JANGKAU_TEST_POSTGRES_URL"):
        pytest.skip("needs PostgreSQL")
    owner = build_database("postgresql", tmp_path, "approle")
    role = f"jangkau_app_{os.getpid()}"
    with owner.begin() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
    grant_app_role(owner, role)
    app = create_engine(make_url(owner.url).set(username=role))
    yield owner, app
    app.dispose()
    with owner.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


@pytest.mark.postgres
def test_the_app_role_may_only_append_to_the_audit_log(app_role: tuple[Engine, Engine]) -> None:
    owner, app = app_role
    with app.begin() as conn:  # appending works, as do the domain tables
        conn.execute(text("INSERT INTO audit_event (at, actor, action, entity) VALUES (now(), 'x', 'read', 'person')"))
        assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() == 0
    for statement in (
        "TRUNCATE audit_event",
        "TRUNCATE audit_seal",
        "DELETE FROM audit_event",
        "UPDATE audit_event SET actor = 'y'",
        "ALTER TABLE audit_event DISABLE TRIGGER USER",
        "DROP TRIGGER audit_event_no_truncate ON audit_event",
    ):
        with pytest.raises(DBAPIError, match=r"permission denied|must be owner"), app.begin() as conn:
            conn.execute(text(statement))
    with pytest.raises(DBAPIError, match="append-only"), owner.begin() as conn:
        conn.execute(text("TRUNCATE audit_event"))  # even the owner, unless it drops the trigger first
    with app.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one() >= 1
