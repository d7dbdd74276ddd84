"""The task record: one row per run of a task, what the console shows (huey keeps the queue itself)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, utcnow
from jangkau.db.types import UtcDateTime


class TaskStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"


class TaskRecord(Base):
    """One run of a task. ``period`` (e.g. ``2026-03`` or ``2026-03-14``) makes a periodic task run once per
    period: a second worker, a second schedule tick or a retry finds the row and does not start it again."""

    __tablename__ = "task_record"
    __table_args__ = (UniqueConstraint("name", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    period: Mapped[str | None] = mapped_column(String(40))
    args: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(12), default=TaskStatus.QUEUED, index=True)
    started_by: Mapped[str] = mapped_column(String(80))
    done: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class WorkerHeartbeat(Base):
    """One row per worker process (``host:pid``): when it started, when it was last seen alive, when it stopped.

    The worker writes ``seen_at`` every ``JANGKAU_WORKER_HEARTBEAT_SECONDS`` from a thread of its own (a long task
    does not delay it); ``/api/v1/ready`` and ``/metrics`` read it (:mod:`jangkau.tasks.heartbeat`).
    """

    __tablename__ = "worker_heartbeat"

    worker_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    host: Mapped[str] = mapped_column(String(100))
    pid: Mapped[int] = mapped_column(Integer)
    threads: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ScheduleOverride(Base):
    """A schedule line changed on ``/admin/tasks``: the task's cron (WIB) instead of the one in the code, from the
    next minute tick on. ``JANGKAU_TASK_SCHEDULE`` still wins over it (the deployment's own setting)."""

    __tablename__ = "task_schedule"

    task: Mapped[str] = mapped_column(String(60), primary_key=True)
    cron: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
