"""Claims' task for the job queue: the daily deadline check of open claims."""

from __future__ import annotations

from typing import Any

from jangkau.claims import repository as repo
from jangkau.kit.workdays import add_working_days
from jangkau.tasks.record import TaskContext, task_day, tracked


@tracked("claims.deadline_check", period=lambda kwargs: str(kwargs["day"]), check=lambda kw: task_day(str(kw["day"])))
def deadline_check(ctx: TaskContext, day: str) -> dict[str, Any]:
    """Open claims past their SLA deadline, and those due by the next working day, by reference (no personal data).

    It only reports (in the task's result, on the console); telling the officers is the messages issue's work.
    """
    on = task_day(day)
    with ctx.units() as session:
        late, due = repo.open_claims_by_deadline(session, on, add_working_days(on, 1))
    return {"late": len(late), "due_soon": len(due), "late_references": late[:200], "due_references": due[:200]}
