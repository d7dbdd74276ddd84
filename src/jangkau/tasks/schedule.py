"""The schedule: which task runs when (cron, in the local zone: WIB), and the minute tick that queues them.

One huey periodic task (``schedule.tick``) runs every minute on every worker; it queues each entry whose cron
matches the local minute. Two workers tick twice, but each entry's task has a period key, so the task record lets
only one run per period (see :mod:`jangkau.tasks.record`). The tick also requeues runs whose worker died.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huey import crontab
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jangkau.claims import tasks as claims_tasks
from jangkau.compliance import tasks as compliance_tasks
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.demo import tasks as demo_tasks
from jangkau.funding import tasks as funding_tasks
from jangkau.jobs import tasks as jobs_tasks
from jangkau.linkage import tasks as linkage_tasks
from jangkau.notify import tasks as notify_tasks
from jangkau.outreach import tasks as outreach_tasks
from jangkau.reporting import tasks as reporting_tasks
from jangkau.tasks.errors import CronInvalid, ScheduleEntryInvalid
from jangkau.tasks.models import ScheduleOverride, TaskRecord, TaskStatus
from jangkau.tasks.queue import huey, local_now
from jangkau.tasks.record import TASKS, TaskContext, TaskSpec, task_day, task_unit, tracked

Args = Callable[[dt.datetime], dict[str, Any]]


def _day(at: dt.datetime) -> dict[str, Any]:
    return {"day": at.date().isoformat()}


def _month(at: dt.datetime) -> dict[str, Any]:
    return {"month": f"{at.year:04d}-{at.month:02d}"}


def _stamp(at: dt.datetime) -> dict[str, Any]:
    return {"day": at.date().isoformat(), "slot": at.strftime("%H:%M")}


def _nothing(_at: dt.datetime) -> dict[str, Any]:
    return {}


@tracked("tasks.prune", period=lambda kwargs: str(kwargs["day"]))
def prune(ctx: TaskContext, day: str) -> dict[str, Any]:
    """Delete the runs that finished ``done`` more than ``task_keep_days`` before ``day`` (failed runs stay)."""
    limit = dt.datetime.combine(task_day(day), dt.time(), dt.UTC) - dt.timedelta(days=get_settings().task_keep_days)
    with ctx.units() as session:
        gone = session.execute(
            delete(TaskRecord).where(TaskRecord.status == TaskStatus.DONE, TaskRecord.finished_at < limit)
        )
        return {"deleted": int(getattr(gone, "rowcount", 0) or 0)}


@dataclass(frozen=True)
class Entry:
    """One line of the schedule: the task, its cron (minute hour day month weekday, local time), its arguments."""

    task: TaskSpec
    cron: str
    args: Args
    why: str


def parse_cron(expression: str) -> Callable[[dt.datetime], bool]:
    """A five-field cron expression as a matcher of local times; refuses a malformed one with a clear message."""
    fields = expression.split()
    try:
        if len(fields) != 5:
            raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
        minute, hour, day, month, weekday = fields
        matcher: Callable[[dt.datetime], bool] = crontab(minute, hour, day, month, weekday, strict=True)
    except ValueError as exc:
        raise CronInvalid("cron", expression, str(exc)) from exc
    return matcher


# Bills are issued on the 1st: the rules give the due dates (BPU on the 15th of the month, PU on the 15th of the
# next month), and the 1st leaves every payer two weeks before the first due date.
SCHEDULE: tuple[Entry, ...] = (
    Entry(funding_tasks.billing_run, "0 1 1 * *", _month, "monthly billing run, 01:00 WIB on the 1st"),
    Entry(funding_tasks.lapse_run, "30 1 * * *", _day, "daily lapse job, 01:30 WIB"),
    Entry(funding_tasks.reminders_run, "0 9 * * *", _day, "daily reminders, 09:00 WIB (outside quiet hours)"),
    Entry(jobs_tasks.hire_check, "0 2 * * *", _day, "daily unregistered-hire check (30 days), 02:00 WIB"),
    Entry(claims_tasks.deadline_check, "15 2 * * *", _day, "daily claims deadline check, 02:15 WIB"),
    Entry(reporting_tasks.refresh, "* * * * *", _stamp, "coverage summary refresh from the outbox, every minute"),
    Entry(reporting_tasks.rebuild, "0 3 * * *", _day, "nightly coverage summary rebuild, 03:00 WIB"),
    Entry(prune, "30 3 * * *", _day, "delete finished task runs older than JANGKAU_TASK_KEEP_DAYS, 03:30 WIB"),
    Entry(compliance_tasks.scan, "0 4 2 * *", _month, "monthly compliance scan, 04:00 WIB on the 2nd"),
    Entry(notify_tasks.dispatch, "* * * * *", _stamp, "messages due (out of quiet hours) to send tasks, every minute"),
    Entry(outreach_tasks.followups_run, "0 7 * * *", _day, "agents' daily list of follow-ups, 07:00 WIB"),
)


def effective_schedule(overrides: str | None = None, stored: dict[str, str] | None = None) -> tuple[Entry, ...]:
    """The schedule with the lines changed on ``/admin/tasks`` (``stored``), then the overrides of
    ``JANGKAU_TASK_SCHEDULE`` (``task=cron; task=cron``) applied: the deployment's setting wins.

    Raises:
        InvalidInput: a malformed override, an unknown task, or an invalid cron expression.
    """
    text = get_settings().task_schedule if overrides is None else overrides
    crons = {entry.task.name: entry.cron for entry in SCHEDULE}
    for name, cron in (stored or {}).items():
        if name in crons:  # a task since removed from the code is ignored
            crons[name] = cron
    for name, cron in env_overrides(text).items():
        crons[name] = cron
    return tuple(Entry(e.task, crons[e.task.name], e.args, e.why) for e in SCHEDULE)


def env_overrides(text: str | None = None) -> dict[str, str]:
    """The lines ``JANGKAU_TASK_SCHEDULE`` sets (``task=cron; task=cron``), each checked.

    Raises:
        InvalidInput: a malformed override, an unknown task, or an invalid cron expression.
    """
    text = get_settings().task_schedule if text is None else text
    names = {entry.task.name for entry in SCHEDULE}
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, cron = (x.strip() for x in part.partition("="))
        if not sep or name not in names:
            raise ScheduleEntryInvalid(part, ", ".join(sorted(names)))
        parse_cron(cron)
        found[name] = cron
    return found


def stored_overrides(session: Session) -> dict[str, str]:
    """The schedule lines changed on ``/admin/tasks`` (task -> cron)."""
    return {row.task: row.cron for row in session.scalars(select(ScheduleOverride))}


# queued by a person, never by the schedule
ON_DEMAND: tuple[TaskSpec, ...] = (linkage_tasks.link_run, linkage_tasks.import_upload, demo_tasks.seed)


def due(at: dt.datetime, stored: dict[str, str] | None = None) -> list[tuple[Entry, dict[str, Any]]]:
    """The entries due at ``at`` (UTC) and their arguments, matched on the local (WIB) minute; ``stored`` are the
    schedule lines changed on the console (default: read from the database)."""
    local = local_now(at)
    if stored is None:
        with task_unit() as session:
            stored = stored_overrides(session)
    return [(entry, entry.args(local)) for entry in effective_schedule(stored=stored) if parse_cron(entry.cron)(local)]


def run_due(at: dt.datetime) -> int:
    """Queue every entry due at ``at``; returns how many were queued (each runs once per period anyway)."""
    entries = due(at)
    for entry, kwargs in entries:
        entry.task.queued(started_by=f"schedule:{entry.task.name}", **kwargs)
    return len(entries)


def requeue_stale(now: dt.datetime) -> int:
    """Queue again the runs whose worker died (running, no heartbeat): at-least-once over huey's dequeue."""
    limit = now - dt.timedelta(minutes=get_settings().task_stale_minutes)
    with task_unit() as session:
        query = select(TaskRecord).where(TaskRecord.status == TaskStatus.RUNNING, TaskRecord.heartbeat_at < limit)
        stale = [(r.id, r.name, r.args, r.started_by) for r in session.scalars(query)]
    for record_id, name, args, started_by in stale:
        if name in TASKS:
            TASKS[name].queued(record_id=record_id, started_by=started_by, **_load(args))
    return len(stale)


def _load(args: str) -> dict[str, Any]:
    import json

    loaded: dict[str, Any] = json.loads(args)
    return loaded


@huey.periodic_task(crontab(), name="schedule.tick")  # type: ignore[untyped-decorator]
def tick() -> None:
    """Every minute on every worker: queue what is due, requeue what a dead worker left."""
    now = utcnow()
    run_due(now)
    requeue_stale(now)
