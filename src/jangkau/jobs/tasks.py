"""Jobs' task for the job queue: the daily check of hires still unregistered after 30 days."""

from __future__ import annotations

from typing import Any

from jangkau.jobs.vacancies.service import check_hires
from jangkau.tasks.record import TaskContext, task_day, tracked


@tracked("jobs.check_hires", period=lambda kwargs: str(kwargs["day"]), check=lambda kw: task_day(str(kw["day"])))
def hire_check(ctx: TaskContext, day: str) -> dict[str, Any]:
    """Unregistered hires past 30 days become compliance findings (idempotent: one finding per hire)."""
    return check_hires(ctx.units, task_day(day)).as_dict()
