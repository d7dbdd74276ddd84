"""The coverage outbox: "this village's coverage in this month changed", written by any domain, drained by
reporting (its refresh task). It lives in ``db/`` so that no domain imports reporting to tell it something
changed (the domain import graph stays without cycles; see ``.importlinter`` and docs/adr/0013).

Writing is an append-only INSERT in the writer's transaction (the mark is kept exactly when the change is): no
upsert on a shared row, so concurrent enrolments in the same village and month never wait on each other.
Duplicates are expected; the reader de-duplicates. :func:`take_changes` deletes exactly the rows it returns
(``DELETE ... RETURNING``), so a mark written while a refresh runs is never lost, and a refresh that rolls back
puts its marks back.

Most marks wait for the refresh of the next minute tick. A change that someone waits to see (a payment: the
officer looks at the dashboard next) is marked ``soon=True``: once the writer's transaction commits, the listeners
registered with :func:`on_soon` are called (reporting queues a refresh at once), still without a domain importing
reporting.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from sqlalchemy import Date, Index, String, delete, event, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from jangkau.db.base import Base, utcnow
from jangkau.db.types import BigId, UtcDateTime
from jangkau.kit.months import Month

log = logging.getLogger(__name__)
_SOON_LISTENERS: list[Callable[[], object]] = []
_SOON_PENDING = "jangkau_outbox_soon"


class CoverageChange(Base):
    """One mark: a village whose coverage summary of a month must be recomputed (duplicates allowed)."""

    __tablename__ = "coverage_change"
    __table_args__ = (Index("ix_coverage_change_village_month", "village_code", "month"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(13))
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    marked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


def _first_day(month: Month | dt.date) -> dt.date:
    return month.first_day() if isinstance(month, Month) else month.replace(day=1)


def mark_changed(session: Session, village_code: str, month: Month | dt.date) -> None:
    """The coverage of ``village_code`` in ``month`` changed (a registration, payment, lapse, visit): one INSERT, in
    the caller's transaction."""
    session.execute(
        insert(CoverageChange).values(village_code=village_code, month=_first_day(month), marked_at=utcnow())
    )


def mark_changed_many(session: Session, pairs: Iterable[tuple[str, Month | dt.date]], *, soon: bool = False) -> int:
    """:func:`mark_changed` for many (village code, month) pairs at once (one multi-row INSERT); returns how many.

    ``soon``: someone waits to see this change (a payment): the :func:`on_soon` listeners run after the commit.
    """
    now = utcnow()
    unique = sorted({(v, _first_day(m)) for v, m in pairs})
    rows = [{"village_code": v, "month": m, "marked_at": now} for v, m in unique]
    if rows:
        session.execute(insert(CoverageChange), rows)
        if soon:
            _after_commit_tell_listeners(session)
    return len(rows)


def on_soon(listener: Callable[[], object]) -> None:
    """Call ``listener`` after each commit that wrote a ``soon`` mark (once per transaction; errors are logged)."""
    if listener not in _SOON_LISTENERS:
        _SOON_LISTENERS.append(listener)


def _after_commit_tell_listeners(session: Session) -> None:
    if session.info.get(_SOON_PENDING):
        return  # this transaction already will
    session.info[_SOON_PENDING] = True

    def tell(done: Session) -> None:
        done.info.pop(_SOON_PENDING, None)
        for listener in list(_SOON_LISTENERS):
            try:
                listener()
            except Exception as exc:  # the change is committed; the minute tick's refresh still picks it up
                name = getattr(listener, "__name__", repr(listener))
                log.warning("outbox listener %s failed: %s", name, type(exc).__name__)

    def forget(undone: Session) -> None:
        if undone.info.pop(_SOON_PENDING, None) and event.contains(undone, "after_commit", tell):
            event.remove(undone, "after_commit", tell)  # rolled back: nothing to see

    event.listen(session, "after_commit", tell, once=True)
    event.listen(session, "after_rollback", forget, once=True)


def take_changes(session: Session) -> list[tuple[str, dt.date]]:
    """Remove every mark visible now and return them de-duplicated (the reader's part, in its transaction).

    Only the rows deleted are returned, so marks committed by other transactions after this statement stay for the
    next reader; if the reader's transaction rolls back, its marks come back.
    """
    taken = session.execute(delete(CoverageChange).returning(CoverageChange.village_code, CoverageChange.month))
    return sorted({(str(v), m) for v, m in taken.all()})


def clear_until(session: Session, until: dt.datetime) -> None:
    """Drop the marks made up to ``until`` (a full rebuild that started after them has covered them)."""
    session.execute(delete(CoverageChange).where(CoverageChange.marked_at <= until))


def pending(session: Session) -> int:
    """How many marks wait (duplicates counted)."""
    return int(session.scalar(select(func.count()).select_from(CoverageChange)) or 0)
