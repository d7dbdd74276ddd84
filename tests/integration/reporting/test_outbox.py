"""The coverage outbox in ``db/``: marks are appended (no upsert), taken de-duplicated, and a mark written while a
refresh takes the others is kept for the next refresh; two writers of the same village and month never wait on
each other (PostgreSQL: they would on an upsert of one row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, text
from sqlalchemy.orm import Session, sessionmaker

from jangkau.db import outbox
from jangkau.db.outbox import CoverageChange
from jangkau.db.uow import unit_of_work
from jangkau.kit.months import Month

VILLAGE = "12.71.01.1001"
MAR = Month(2026, 3)


def test_marks_are_appended_and_taken_once_de_duplicated(session: Session) -> None:
    outbox.mark_changed(session, VILLAGE, MAR)
    outbox.mark_changed(session, VILLAGE, dt.date(2026, 3, 17))  # the same village and month: a second row
    outbox.mark_changed_many(session, [("12.71.01.1002", MAR), ("12.71.01.1002", MAR)])
    assert outbox.pending(session) == 3
    assert outbox.take_changes(session) == [(VILLAGE, MAR.first_day()), ("12.71.01.1002", MAR.first_day())]
    assert outbox.pending(session) == 0
    assert outbox.take_changes(session) == []


@pytest.fixture
def committed(engine: Engine) -> Iterator[sessionmaker[Session]]:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    yield factory
    with unit_of_work(factory) as session:
        session.execute(delete(CoverageChange))


def test_a_mark_committed_while_a_refresh_takes_the_others_stays(committed: sessionmaker[Session]) -> None:
    if committed.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: a mark cannot be written while a refresh holds its transaction")
    with unit_of_work(committed) as session:
        outbox.mark_changed(session, VILLAGE, MAR)
    writer, reader = committed(), committed()
    try:
        outbox.mark_changed(writer, "12.71.01.1002", MAR)  # not committed yet
        taken = outbox.take_changes(reader)
        writer.commit()  # commits while the refresh's transaction is still open
        reader.commit()
    finally:
        writer.close()
        reader.close()
    assert taken == [(VILLAGE, MAR.first_day())]
    with unit_of_work(committed) as session:
        assert outbox.take_changes(session) == [("12.71.01.1002", MAR.first_day())]


def test_two_writers_of_the_same_village_and_month_do_not_wait(committed: sessionmaker[Session]) -> None:
    if committed.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite serialises every writer (BEGIN IMMEDIATE)")
    first, second = committed(), committed()
    try:
        outbox.mark_changed(first, VILLAGE, MAR)  # holds its row, uncommitted
        second.execute(text("SET LOCAL lock_timeout = '1s'"))
        outbox.mark_changed(second, VILLAGE, MAR)  # an upsert would wait here for the first, then time out
        second.commit()
        first.commit()
    finally:
        first.close()
        second.close()
    with unit_of_work(committed) as session:
        assert outbox.pending(session) == 2


def test_a_soon_mark_tells_the_listeners_once_after_commit_and_never_after_rollback(
    committed: sessionmaker[Session],
) -> None:
    heard: list[str] = []

    def listener() -> None:
        heard.append("commit")

    outbox.on_soon(listener)
    try:
        with unit_of_work(committed) as session:
            outbox.mark_changed_many(session, [(VILLAGE, MAR)])  # an ordinary mark: waits for the tick
        assert heard == []
        with unit_of_work(committed) as session:
            outbox.mark_changed_many(session, [(VILLAGE, MAR)], soon=True)
            outbox.mark_changed_many(session, [("12.71.01.1002", MAR)], soon=True)
            assert heard == []  # not before the commit: a refresh must see the change
        assert heard == ["commit"]  # once per transaction
        refused = committed()
        outbox.mark_changed_many(refused, [(VILLAGE, MAR)], soon=True)
        refused.rollback()  # the change is refused
        outbox.mark_changed(refused, VILLAGE, MAR)
        refused.commit()  # the same session's next commit, with an ordinary mark, tells nobody
        refused.close()
        assert heard == ["commit"]
    finally:
        outbox._SOON_LISTENERS.remove(listener)
