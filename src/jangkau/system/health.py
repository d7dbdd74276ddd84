"""Readiness: the database answers, its schema is at the shipped migration heads, a worker was seen lately."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from jangkau.db.migrate import schema_state
from jangkau.system.schemas import CheckRead

HEARTBEAT_TABLE = "worker_heartbeat"  # written by the job queue's workers (column seen_at), when one is configured
HEARTBEAT_STALE = dt.timedelta(minutes=2)


def readiness(engine: Engine) -> list[CheckRead]:
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
    checks.append(_worker_check(engine))
    return checks


def _worker_check(engine: Engine) -> CheckRead:
    if not inspect(engine).has_table(HEARTBEAT_TABLE):
        return CheckRead(name="worker", ok=True, detail="no worker configured")
    with engine.connect() as connection:
        seen = connection.execute(text(f"SELECT max(seen_at) FROM {HEARTBEAT_TABLE}")).scalar()
    if seen is None:
        return CheckRead(name="worker", ok=False, detail="no worker heartbeat seen yet")
    if isinstance(seen, str):  # SQLite returns text for an aggregate over a timestamp column
        seen = dt.datetime.fromisoformat(seen)
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=dt.UTC)
    age = dt.datetime.now(dt.UTC) - seen
    ok = age <= HEARTBEAT_STALE
    return CheckRead(name="worker", ok=ok, detail=f"last heartbeat {int(age.total_seconds())} s ago")
