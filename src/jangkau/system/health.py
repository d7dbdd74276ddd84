"""Readiness: the database answers, its schema is at the shipped migration head, a worker was seen lately."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from jangkau.config import Settings, get_settings
from jangkau.db.base import utcnow
from jangkau.db.migrate import schema_state
from jangkau.system.schemas import CheckRead
from jangkau.tasks.heartbeat import worker_status


def readiness(engine: Engine, settings: Settings | None = None) -> list[CheckRead]:
    """Run the checks in order; a later check is skipped when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        return [CheckRead(name="database", ok=False, detail=f"database unreachable ({reason})")]
    checks = [CheckRead(name="database", ok=True, detail=engine.dialect.name)]
    state = schema_state(engine)
    # A database ahead of this code (a rolling upgrade migrated it) still serves this code: migrations only add
    # while old workers run. One behind it does not.
    checks.append(CheckRead(name="migrations", ok=state.up_to_date or bool(state.unknown), detail=state.describe()))
    checks.append(_worker_check(engine, settings or get_settings()))
    return checks


def _worker_check(engine: Engine, settings: Settings) -> CheckRead:
    """A live worker (a heartbeat younger than ``JANGKAU_WORKER_STALE_SECONDS``); failing only where one is
    required (``JANGKAU_WORKER_REQUIRED``, by default when the queue is on Redis or PostgreSQL)."""
    try:
        status = worker_status(engine, settings=settings)
    except SQLAlchemyError as exc:  # a schema behind the code: the migrations check already says so
        return CheckRead(name="worker", ok=False, detail=f"worker heartbeats unreadable ({type(exc).__name__})")
    age = status.age(utcnow())
    if status.alive:
        detail = f"{status.alive} worker(s) alive, last heartbeat {age:.0f} s ago"
        return CheckRead(name="worker", ok=True, detail=detail)
    need = "required" if status.required else "not required here"
    if age is None:
        return CheckRead(name="worker", ok=not status.required, detail=f"no worker heartbeat seen yet ({need})")
    detail = f"no worker alive: last heartbeat {age:.0f} s ago, stale after {status.stale_after:.0f} s ({need})"
    return CheckRead(name="worker", ok=not status.required, detail=detail)
