"""Funding's tasks for the job queue: the monthly billing run, the daily lapse job and the daily reminders.

Each calls the same service the CLI command calls; each is idempotent (see the functions' notes).
"""

from __future__ import annotations

from typing import Any

from jangkau.funding import jobs, reminders
from jangkau.tasks.record import TaskContext, task_day, task_month, tracked


def _month_period(kwargs: dict[str, Any]) -> str:
    return str(kwargs["month"])


def _day_period(kwargs: dict[str, Any]) -> str:
    return str(kwargs["day"])


@tracked(
    "billing.run",
    period=_month_period,
    check=lambda kw: task_month(str(kw["month"]), allow_next=True),
    closes_month=True,
)
def billing_run(ctx: TaskContext, month: str, chunk: int = jobs.DEFAULT_CHUNK) -> dict[str, Any]:
    """The month's bills. Resumes from its checkpoint after a crash; a second run creates nothing. The claim on the
    month in the task record keeps two workers from billing the same month at once (a lease that a dead worker's
    run loses when its heartbeat stops)."""
    wanted = task_month(month, allow_next=True)
    result = jobs.run_billing(ctx.units, wanted, chunk_size=chunk, on_progress=ctx.progress)
    return result.as_dict()


@tracked("coverage.lapse", period=_day_period, check=lambda kw: task_day(str(kw["day"])))
def lapse_run(ctx: TaskContext, day: str) -> dict[str, Any]:
    """The daily lapse job for ``day`` (statuses are recomputed from the ledger: a rerun changes nothing)."""
    on = task_day(day)
    with ctx.units() as session:
        changed = jobs.run_lapse(session, on)
    return changed.as_dict()


@tracked("coverage.remind", period=_day_period, check=lambda kw: task_day(str(kw["day"])))
def reminders_run(ctx: TaskContext, day: str) -> dict[str, Any]:
    """Ask notify for the day's reminders (once per bill and kind: notify's natural key is the guard); notify's
    dispatcher sends them out of quiet hours."""
    on = task_day(day)
    with ctx.units() as session:
        queued = reminders.queue_reminders(session, on)
    return {"queued": queued.as_dict()}
