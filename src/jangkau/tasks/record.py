"""The small wrapper around each task: huey runs and retries it, this writes the task record the console shows.

A task body is ``body(ctx, **kwargs) -> dict``: it does its work through ``ctx.units`` (one transaction per step)
and reports progress with ``ctx.progress(done, total)``. The wrapper

- claims the run in the task record (one row per ``name`` + period): a second worker, a second schedule tick or a
  redelivered message finds the row running or done and does nothing (``period`` makes a periodic task once per
  period; the unique index is the guard, on SQLite and PostgreSQL alike);
- takes over a run whose worker died (no heartbeat for ``task_stale_minutes``): the body resumes from its own
  checkpoints, so nothing is done twice;
- records done with the result, or the error: ``retrying`` while huey has retries left, ``failed`` after. An
  expected refusal (:class:`JangkauError`) fails at once: retrying bad input helps nobody.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.db.session import unit
from jangkau.errors import JangkauError
from jangkau.kit.months import Month
from jangkau.tasks.errors import (
    BadArguments,
    MonthClosed,
    TaskDayInFuture,
    TaskDayMalformed,
    TaskMonthInFuture,
    TaskMonthMalformed,
)
from jangkau.tasks.models import TaskRecord, TaskStatus
from jangkau.tasks.queue import huey, local_now

Units = Callable[[], AbstractContextManager[Session]]
Period = Callable[[dict[str, Any]], str | None]
_UNITS: list[Units] = [unit]


def use_units(units: Units) -> None:
    """Run tasks on another transaction factory (tests: the test database)."""
    _UNITS[0] = units


@contextmanager
def task_unit() -> Iterator[Session]:
    """One transaction of the task machinery on the configured database."""
    with _UNITS[0]() as session:
        yield session


class TaskFailed(Exception):
    """What huey sees (and logs) when a task body fails: the described error only, so that no personal data in a
    driver's message or SQL parameters reaches the worker's log. huey retries it like any exception."""


@dataclass(frozen=True)
class TaskContext:
    """What a task body gets: the transaction factory and a progress reporter."""

    units: Units
    progress: Callable[[int, int], None]
    record_id: int


TaskBody = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class TaskSpec:
    """A registered task: its name, body, period key and the huey task that queues it."""

    name: str
    body: TaskBody
    period: Period
    queued: Any  # huey TaskWrapper: calling it queues the task
    check: Callable[[dict[str, Any]], object] | None = None
    closes_month: bool = False  # the period is a month, closed once its run is done and the month is over

    def validate(self, kwargs: dict[str, Any]) -> None:
        """Refuse arguments the body does not take, then run the task's own check.

        Raises:
            InvalidInput: unknown or missing arguments, or what the task's check refuses.
        """
        try:
            inspect.signature(self.body).bind(None, **kwargs)
        except TypeError as exc:
            raise BadArguments(self.name, str(exc)) from exc
        if self.check is not None:
            self.check(kwargs)

    def period_of(self, kwargs: dict[str, Any]) -> str | None:
        return self.period(kwargs)


TASKS: dict[str, TaskSpec] = {}


def tracked(
    name: str,
    *,
    period: Period | None = None,
    check: Callable[[dict[str, Any]], object] | None = None,
    closes_month: bool = False,
) -> Callable[[TaskBody], TaskSpec]:
    """Register ``body`` as the task ``name`` (retries with backoff from the settings).

    Args:
        name: stable task name, shown in the console (``billing.run``).
        period: from the task's arguments, the period it runs once in (``"2026-03"``), or None: every call runs.
            The claim on ``(name, period)`` is also the lock: while a run holds it (heartbeat younger than
            ``task_stale_minutes``) no other worker starts the same period; a dead worker's claim expires.
        check: validates the arguments when the task is queued (raises :class:`InvalidInput`), so that bad input
            is refused at once rather than failing in the worker.
        closes_month: the period is a month (``YYYY-MM``) that is closed for this task once its run finished
            ``done`` and the month is over (local time): queueing it again is refused (:func:`refuse_closed`).
    """
    settings = get_settings()

    def decorator(body: TaskBody) -> TaskSpec:
        def run(record_id: int | None = None, started_by: str = "schedule", task: Any = None, **kwargs: Any) -> None:
            retries_left = int(getattr(task, "retries", 0) or 0)
            execute(TASKS[name], kwargs, record_id, started_by, retries_left)

        queued = huey.task(
            retries=settings.task_retries,
            retry_delay=settings.task_retry_delay_seconds,
            retry_backoff=2,
            context=True,
            name=name,
        )(run)
        spec = TaskSpec(name, body, period or (lambda _kwargs: None), queued, check, closes_month)
        TASKS[name] = spec
        return spec

    return decorator


def execute(spec: TaskSpec, kwargs: dict[str, Any], record_id: int | None, started_by: str, retries_left: int) -> None:
    """Claim, run and record one attempt of ``spec`` (re-raises an unexpected error so huey retries)."""
    claimed = claim(spec, kwargs, record_id, started_by)
    if claimed is None:
        return
    ctx = TaskContext(_UNITS[0], lambda done, total: report_progress(claimed, done, total), claimed)
    try:
        result = spec.body(ctx, **kwargs)
    except JangkauError as exc:
        finish(claimed, TaskStatus.FAILED, error=f"{exc.message} / {exc.message_id}")
        return
    except Exception as exc:
        status = TaskStatus.RETRYING if retries_left > 0 else TaskStatus.FAILED
        finish(claimed, status, error=describe(exc))
        raise TaskFailed(describe(exc)) from None  # huey logs this: no SQL parameters, no chained traceback
    finish(claimed, TaskStatus.DONE, result=result)


def describe(exc: BaseException) -> str:
    """The error as the console shows it: the type and the first line of the message, never a driver's SQL
    parameters or detail lines (they can hold a NIK or a phone number)."""
    cause = exc.orig if isinstance(exc, StatementError) and exc.orig is not None else exc
    first = (str(cause).splitlines() or [""])[0][:300]
    return f"{type(cause).__name__}: {first}"


def _may_start(record: TaskRecord, explicit: bool, now: dt.datetime) -> bool:
    if record.status in (TaskStatus.QUEUED, TaskStatus.RETRYING):
        return True
    if record.status == TaskStatus.RUNNING:
        stale = dt.timedelta(minutes=get_settings().task_stale_minutes)
        return record.heartbeat_at is None or now - record.heartbeat_at > stale
    return explicit and record.status == TaskStatus.FAILED


def claim(spec: TaskSpec, kwargs: dict[str, Any], record_id: int | None, started_by: str) -> int | None:
    """Mark the run started; None when it is done already or running on another worker."""
    now = utcnow()
    period = spec.period_of(kwargs)
    try:
        with task_unit() as session:
            record = _find(session, spec.name, period, record_id)
            if record is None:
                record = TaskRecord(name=spec.name, period=period, args=_dump(kwargs), started_by=started_by)
                record.status, record.attempts, record.queued_at = TaskStatus.QUEUED, 0, now
                session.add(record)
            if not _may_start(record, record_id is not None, now):
                return None
            if record.status == TaskStatus.RUNNING:
                record.note = "taken over: the worker running it stopped (no heartbeat); resumed from its checkpoint"
            record.status, record.attempts = TaskStatus.RUNNING, record.attempts + 1
            record.started_at, record.heartbeat_at, record.finished_at = now, now, None
            session.flush()
            return record.id
    except IntegrityError:  # another worker inserted the same period's row first
        return None


def _find(session: Session, name: str, period: str | None, record_id: int | None) -> TaskRecord | None:
    if record_id is not None:
        return session.get(TaskRecord, record_id, with_for_update=True)
    if period is None:
        return None
    query = select(TaskRecord).where(TaskRecord.name == name, TaskRecord.period == period).with_for_update()
    return session.scalars(query).one_or_none()


def report_progress(record_id: int, done: int, total: int) -> None:
    """Rows (or steps) done of total, and a heartbeat that says the worker is alive."""
    with task_unit() as session:
        record = session.get(TaskRecord, record_id)
        if record is not None:
            record.done, record.total, record.heartbeat_at = done, total, utcnow()


def finish(record_id: int, status: TaskStatus, *, error: str | None = None, result: Any = None) -> None:
    with task_unit() as session:
        record = session.get(TaskRecord, record_id)
        if record is None:
            return
        record.status, record.error = status, error
        if result is not None:
            record.result = _dump(result)
        record.finished_at = utcnow() if status in (TaskStatus.DONE, TaskStatus.FAILED) else None


def enqueue(spec: TaskSpec, started_by: str, **kwargs: Any) -> int:
    """Queue ``spec`` for a worker; returns the task record's id (an existing one when already queued/running).

    Raises:
        InvalidInput: arguments the task refuses (see :meth:`TaskSpec.validate`).
    """
    spec.validate(kwargs)
    with task_unit() as session:
        record_id, fresh = _queued_record(session, spec, started_by, kwargs)
    if fresh:
        spec.queued(record_id=record_id, started_by=started_by, **kwargs)
    return record_id


def enqueue_in(session: Session, spec: TaskSpec, started_by: str, **kwargs: Any) -> int:
    """:func:`enqueue` inside the caller's transaction (a web request): the task record is written in ``session``
    and the message is sent only once that transaction commits, so a worker never picks up a task whose data (an
    uploaded file) is not committed yet, and on SQLite the request does not wait for its own write lock.
    In huey's immediate mode (tests) the task runs at once, in the caller's transaction.

    Raises:
        InvalidInput: arguments the task refuses (see :meth:`TaskSpec.validate`).
    """
    spec.validate(kwargs)
    record_id, fresh = _queued_record(session, spec, started_by, kwargs)
    if fresh:
        send_after_commit(session, spec, record_id, started_by, kwargs)
    return record_id


def send_after_commit(
    session: Session, spec: TaskSpec, record_id: int, started_by: str, kwargs: dict[str, Any]
) -> None:
    """Send the message of a run recorded in ``session`` once it commits (at once in huey's immediate mode)."""
    if huey.immediate:
        spec.queued(record_id=record_id, started_by=started_by, **kwargs)
        return

    def send(_session: Session) -> None:
        spec.queued(record_id=record_id, started_by=started_by, **kwargs)

    event.listen(session, "after_commit", send, once=True)


def _queued_record(session: Session, spec: TaskSpec, started_by: str, kwargs: dict[str, Any]) -> tuple[int, bool]:
    """The period's record made ``queued`` (and whether a message must be sent), or the one already under way."""
    period = spec.period_of(kwargs)
    record = _find(session, spec.name, period, None)
    if record is not None and record.status in (TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING):
        return record.id, False
    if record is not None:
        refuse_closed(spec, record)
    if record is None:
        record = TaskRecord(name=spec.name, period=period, attempts=0)
        session.add(record)
    record.args, record.started_by, record.queued_at = _dump(kwargs), started_by, utcnow()
    record.status, record.error, record.finished_at = TaskStatus.QUEUED, None, None
    session.flush()
    return record.id, True


def refuse_closed(spec: TaskSpec, record: TaskRecord) -> None:
    """Refuse to queue again a monthly run whose month is closed: its run finished ``done`` and the month is over.

    A closed month's figures are final (bills issued, the scan's findings sent); a correction is an adjustment,
    not a rerun. The current month may be run again (new members since the last run). See docs/adr/0013.

    Raises:
        Conflict: the month is closed (code ``month_closed``).
    """
    if not spec.closes_month or record.status != TaskStatus.DONE or not record.period:
        return
    now = local_now()
    if Month.parse(record.period) >= Month(now.year, now.month):
        return
    finished = record.finished_at.strftime("%Y-%m-%d %H:%M UTC") if record.finished_at else None
    raise MonthClosed(spec.name, record.period, finished)


def started_by(principal: Principal) -> str:
    """How a run started by a person is recorded (``user:<username>``)."""
    return f"user:{principal.username}"


def _dump(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


def task_month(text: str, *, allow_next: bool = False) -> Month:
    """The month a task is for; a month after the current one (local time) is refused with a clear message.

    Args:
        text: ``YYYY-MM``.
        allow_next: the next month is allowed too (billing ahead of the 1st).

    Raises:
        InvalidInput: not a month, or a month in the future.
    """
    try:
        month = Month.parse(text)
    except ValueError as exc:
        raise TaskMonthMalformed(text) from exc
    now = local_now()
    limit = Month(now.year, now.month).plus(1 if allow_next else 0)
    if month > limit:
        raise TaskMonthInFuture(month, limit)
    return month


def task_day(text: str) -> dt.date:
    """The day a daily task is for; a day after today (local time) is refused."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise TaskDayMalformed(text) from exc
    if day > local_now().date():
        raise TaskDayInFuture(day)
    return day
