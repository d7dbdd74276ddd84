"""Reporting's tasks for the job queue: the coverage summary refresh (every few minutes) and nightly rebuild."""

from __future__ import annotations

from typing import Any

from jangkau.db import outbox
from jangkau.reporting import jobs
from jangkau.reporting.service import parse_month
from jangkau.tasks.queue import huey, local_now
from jangkau.tasks.record import TaskContext, enqueue, task_day, tracked

REBUILD_MONTHS = 13


@tracked("report.refresh", period=lambda kwargs: f"{kwargs['day']} {kwargs['slot']}")
def refresh(ctx: TaskContext, day: str, slot: str) -> dict[str, Any]:  # noqa: ARG001 - slot names the period
    """Drain the coverage outbox: recompute the villages and months marked dirty (nothing marked: nothing done)."""
    result = jobs.refresh(ctx.units, task_day(day))
    return result.as_dict() if result else {"refreshed": 0}


def refresh_soon() -> int | None:
    """Queue a refresh now, after a change someone waits to see (a payment), instead of waiting for the tick.

    Runs after the change's commit (:func:`jangkau.db.outbox.on_soon`). Its period is the ten-second slot, so a
    burst of payments (a statement import) queues at most one refresh per slot, and the minute tick's own refresh
    still drains whatever this one missed. In huey's immediate mode (tests) nothing is queued: the tests refresh
    explicitly.
    """
    if huey.immediate:
        return None
    at = local_now()
    slot = f"{at:%H:%M}:{at.second // 10}0"
    return enqueue(refresh, "change:payment", day=at.date().isoformat(), slot=slot)


outbox.on_soon(refresh_soon)


@tracked("report.rebuild", period=lambda kwargs: str(kwargs["day"]), check=lambda kw: task_day(str(kw["day"])))
def rebuild(ctx: TaskContext, day: str, months: int = REBUILD_MONTHS) -> dict[str, Any]:
    """Recompute the last ``months`` months of summaries from the register and the ledger (resumable)."""
    today = task_day(day)
    last = parse_month(None, today, field="last")
    return jobs.rebuild(ctx.units, last.plus(-(months - 1)), last, ctx.progress, today=today).as_dict()
