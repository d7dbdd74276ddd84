"""The rule tables in force are checked against the database at most once per ``rules_check_seconds`` per process,
and at once after this process activated or withdrew a version (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from jangkau.config import get_settings
from jangkau.ruleadmin import service


@pytest.fixture
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.connection().engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def check_every(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JANGKAU_RULES_CHECK_SECONDS", "60")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("check_every")
def test_versions_are_checked_once_per_interval_and_after_a_forced_refresh(
    session: Session, statements: list[str]
) -> None:
    revision = service.refresh(session)
    assert len(statements) >= 1  # the fingerprint (and the versions, the first time)
    statements.clear()
    assert service.refresh(session) == revision
    assert statements == []  # within the interval: nothing asked
    service.refresh(session, force=True)  # what activate() and withdraw() do
    statements.clear()
    service.refresh(session)
    assert any("rule_version" in s for s in statements)  # checked again, in case that transaction rolled back


def test_every_request_checks_when_the_interval_is_zero(
    session: Session, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JANGKAU_RULES_CHECK_SECONDS", "0")
    get_settings.cache_clear()
    try:
        service.refresh(session)
        statements.clear()
        service.refresh(session)
        assert any("rule_version" in s for s in statements)
    finally:
        get_settings.cache_clear()
