"""Linkage's tasks for the job queue, in the scope of the user who asked: a list's link run, and an uploaded
list's import (then its link run)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth.models import User
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.service import principal_for
from jangkau.linkage import imports, runs
from jangkau.linkage.errors import UserNotFound
from jangkau.linkage.models import LinkageList, LinkageUpload
from jangkau.tasks.record import TaskContext, tracked

RESULT_KEYS = ("list_id", "run")


def _principal(session: Session, user_id: int | None) -> Principal:
    """Whose scope the task runs in: the user who asked, or the CLI operator (``None``: everything)."""
    if user_id is None:
        return OPERATOR
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return principal_for(session, user)


def _result(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k in RESULT_KEYS or isinstance(v, int | float)}


@tracked("linkage.run", period=lambda kwargs: f"list {kwargs['list_id']}")
def link_run(ctx: TaskContext, list_id: int, user_id: int) -> dict[str, Any]:
    """Link the list to the register in the asking user's scope (``runs.run_in_steps``); progress is the phase
    reached. A failed run keeps the list's previous decisions and is recorded failed (``linkage_run``); the task
    then fails too, with the run's reason, and is not retried (a person reruns it)."""
    phases = runs.RUN_PHASES
    with ctx.units() as session:
        principal = _principal(session, user_id)
    summary = runs.run_in_steps(
        ctx.units, principal, list_id, on_phase=lambda phase: ctx.progress(phases.index(phase) + 1, len(phases))
    )
    if summary["run"]["state"] == "failed":
        raise runs.run_failed(summary["run"])
    return _result(summary)


@tracked("linkage.import", period=lambda kwargs: f"upload {kwargs['upload_id']}")
def import_upload(ctx: TaskContext, upload_id: int, user_id: int | None) -> dict[str, Any]:
    """Import an uploaded list (read, check, store its rows), then link it when the upload asked for it.

    Progress: step 1 is the import, steps 2-9 the link run's phases. A worker killed after the import does not
    import again (the upload remembers its list); one killed during the link run reruns the link run (no decision
    of the killed run was kept), and a list already linked is not linked again.
    """
    phases = runs.RUN_PHASES
    with ctx.units() as session:
        principal = _principal(session, user_id)
        upload = session.get(LinkageUpload, upload_id)
        link = bool(upload and upload.link)
    total = 1 + (len(phases) if link else 0)
    ctx.progress(0, total)
    list_id = imports.import_stored(ctx.units, principal, upload_id)
    ctx.progress(1, total)
    if not link:
        return {"list_id": list_id, "linked": False}
    with ctx.units() as session:
        listing = session.get_one(LinkageList, list_id)
        already = listing.status == "linked"
    if already:
        ctx.progress(total, total)
        return {"list_id": list_id, "linked": True, "note": "already linked"}
    summary = runs.run_in_steps(
        ctx.units, principal, list_id, on_phase=lambda phase: ctx.progress(1 + phases.index(phase) + 1, total)
    )
    if summary["run"]["state"] == "failed":
        raise runs.run_failed(summary["run"])
    return {**_result(summary), "linked": True}
