"""Linkage's task for the job queue: a list's link run, in the background, in the scope of the user who asked."""

from __future__ import annotations

from typing import Any

from jangkau.auth.models import User
from jangkau.auth.service import principal_for
from jangkau.errors import NotFound
from jangkau.linkage import runs
from jangkau.tasks.record import TaskContext, tracked


@tracked("linkage.run", period=lambda kwargs: f"list {kwargs['list_id']}")
def link_run(ctx: TaskContext, list_id: int, user_id: int) -> dict[str, Any]:
    """Link the list to the register in the asking user's scope (``runs.run_list``); progress is the phase reached.

    A failed run keeps the list's previous decisions and is recorded failed (``linkage_run``); the task then
    fails too, with the run's reason, and is not retried (a person reruns it).
    """
    phases = runs.RUN_PHASES
    with ctx.units() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"User {user_id} not found", f"Pengguna {user_id} tidak ditemukan")
        principal = principal_for(session, user)
        summary = runs.run_list(
            session, principal, list_id, on_phase=lambda phase: ctx.progress(phases.index(phase) + 1, len(phases))
        )
    if summary["run"]["state"] == "failed":
        raise runs.run_failed(summary["run"])
    return {k: v for k, v in summary.items() if k in ("list_id", "run") or isinstance(v, int | float)}
