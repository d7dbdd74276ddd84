"""Compliance's task for the job queue: the monthly scan of every employer."""

from __future__ import annotations

from typing import Any

from jangkau.compliance.jobs import run_scan
from jangkau.tasks.record import TaskContext, task_month, tracked


@tracked(
    "compliance.scan",
    period=lambda kwargs: str(kwargs["month"]),
    check=lambda kw: task_month(str(kw["month"])),
    closes_month=True,
)
def scan(ctx: TaskContext, month: str) -> dict[str, Any]:
    """Scan every employer for ``month`` (a rerun updates the findings, never duplicates them)."""
    return run_scan(ctx.units, task_month(month), on_progress=ctx.progress).as_dict()
