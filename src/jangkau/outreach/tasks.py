"""Outreach's task for the job queue: the agents' daily list of follow-ups (07:00 WIB)."""

from __future__ import annotations

from typing import Any

from jangkau.outreach.fieldwork import followups
from jangkau.tasks.record import TaskContext, task_day, tracked


@tracked("outreach.followups", period=lambda kwargs: str(kwargs["day"]), check=lambda kw: task_day(str(kw["day"])))
def followups_run(ctx: TaskContext, day: str) -> dict[str, Any]:
    """Ask notify for each agent's list of the day's follow-ups (a count; once per agent and day); notify's
    dispatcher sends them out of the agent's quiet hours."""
    on = task_day(day)
    with ctx.units() as session:
        result = followups.queue_followups(session, on)
    return result.as_dict()
