"""``jangkau worker`` (the queue's consumer and its scheduler) and ``jangkau tasks`` (the console in a terminal)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import typer

from jangkau.auth.principal import OPERATOR
from jangkau.clikit import console, emit_json, table
from jangkau.config import get_settings
from jangkau.db.session import unit
from jangkau.errors import InvalidInput
from jangkau.i18n import N_, bilingual
from jangkau.tasks import runs, schedule, service
from jangkau.tasks.queue import huey, local_zone

app = typer.Typer(help="Background tasks: list, retry, the schedule, run what is due.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")


def make_consumer(workers: int) -> Any:
    """A huey consumer with ``workers`` threads, the periodic scheduler (the minute tick) and the heartbeat.

    SIGTERM and Ctrl-C let the running tasks finish (up to ``JANGKAU_WORKER_SHUTDOWN_SECONDS``); see
    :class:`jangkau.tasks.heartbeat.HeartbeatConsumer`.
    """
    from jangkau.tasks.heartbeat import Heartbeat, HeartbeatConsumer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    schedule.effective_schedule()  # refuses a bad JANGKAU_TASK_SCHEDULE before anything starts
    return HeartbeatConsumer(
        huey, Heartbeat(threads=workers), workers=workers, worker_type="thread", periodic=True,
        check_worker_health=True, shutdown_timeout=get_settings().worker_shutdown_seconds,
    )  # fmt: skip


def worker_command(
    workers: int = typer.Option(2, min=1, max=32, help="Worker threads in this process"),
) -> None:
    """Run the task queue's worker: executes queued tasks and queues the schedule's tasks when they are due.

    Run one per machine in production (JANGKAU_QUEUE_URL on Redis or PostgreSQL). SIGTERM or Ctrl-C stops it
    after the running tasks finish (up to JANGKAU_WORKER_SHUTDOWN_SECONDS); a second signal stops it at once.
    It writes a heartbeat every JANGKAU_WORKER_HEARTBEAT_SECONDS, which /api/v1/ready and /metrics read.
    """
    make_consumer(workers).run()


@app.command("list")
def list_command(
    status: str | None = typer.Option(None, help="queued, running, retrying, done or failed"),
    limit: int = typer.Option(30, min=1, max=500),
    as_json: bool = JSON,
) -> None:
    """The newest task runs."""
    with unit() as session:
        tasks = runs.list_tasks(session, status, None, limit)
    if as_json:
        emit_json([t.model_dump(mode="json") for t in tasks])
        return
    rows = [
        (t.id, t.name, t.period or "", t.status, f"{t.done}/{t.total}" if t.total else "", t.attempts, t.error or "")
        for t in tasks
    ]
    table("Tasks", ["id", "task", "period", "status", "progress", "attempts", "error"], rows)


@app.command("retry")
def retry_command(task_id: int = typer.Argument(..., help="The task's id (from `jangkau tasks list`)")) -> None:
    """Queue a failed task again (a worker runs it)."""
    with unit() as session:
        shown = service.retry_task(session, task_id, OPERATOR)
    console.print(f"Task {shown.id} ({shown.name} {shown.period or ''}) queued again.")


@app.command("schedule")
def schedule_command(as_json: bool = JSON) -> None:
    """The schedule (cron lines in WIB)."""
    with unit() as session:
        lines = service.schedule(session)
    if as_json:
        emit_json(lines)
        return
    rows = [(x["task"], x["cron"], x["source"], x["what"]) for x in lines]
    table("Schedule (WIB)", ["task", "cron", "from", "what"], rows)


@app.command("run-due")
def run_due_command(
    at: str | None = typer.Option(None, help="ISO time (default now); a time without zone is read as WIB"),
) -> None:
    """Queue what the schedule says is due at ``--at`` (the worker does this every minute by itself)."""
    moment = dt.datetime.now(dt.UTC)
    if at:
        try:
            parsed = dt.datetime.fromisoformat(at)
        except ValueError as exc:
            raise InvalidInput.for_field("at", *bilingual(N_("not an ISO time: %(at)s"), at=repr(at))) from exc
        moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=local_zone())
    console.print(f"{schedule.run_due(moment)} scheduled tasks queued.")
