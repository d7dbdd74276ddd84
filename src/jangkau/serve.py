"""``jangkau serve``: run the web app with uvicorn, on a database at the current migrations only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import typer
import uvicorn
from sqlalchemy.exc import SQLAlchemyError

from jangkau.config import Settings, get_settings
from jangkau.db.engine import make_engine
from jangkau.db.errors import DatabaseUnreachable, SchemaNotCurrent
from jangkau.db.migrate import schema_state
from jangkau.system.logs import log_config


def serve_command(
    host: str = typer.Option(None, help="Interface to listen on (default from settings: 127.0.0.1)"),
    port: int = typer.Option(None, help="Port (default from settings: 8000)"),
    workers: int = typer.Option(
        None, min=1, max=64, help="Worker processes (default from settings JANGKAU_WORKERS: 1)"
    ),
    with_worker: bool = typer.Option(
        False,
        "--with-worker",
        help="Also run the task queue's worker in this process (make run); one Ctrl-C stops both",
    ),
) -> None:
    """Serve the web app and the JSON API (refuses a database that is not at the current migrations)."""
    settings = get_settings()
    check_schema()
    count = workers or settings.workers
    if count > 1:
        _share_metrics(settings)
    consumer = None
    if with_worker:
        from jangkau.tasks.cli import make_consumer

        consumer = make_consumer(workers=2)
        consumer.start()
    try:
        uvicorn.run(
            "jangkau.web.app:create_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=count,
            log_config=log_config(settings.log_format, settings.log_level),
            access_log=False,  # jangkau.access writes one line per request with the route template, not the raw path
            timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
            timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
        )
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def check_schema() -> None:
    """Raise :class:`SchemaNotCurrent` (with the command to run) unless the database is at the shipped head."""
    engine = make_engine()
    try:
        state = schema_state(engine)
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(type(getattr(exc, "orig", None) or exc).__name__) from exc
    finally:
        engine.dispose()
    if not state.up_to_date:
        raise SchemaNotCurrent(state.describe(), state.describe_id())


def _share_metrics(settings: Settings) -> None:
    """Workers write their metrics to one directory, emptied at start (prometheus-client's multi-process mode)."""
    directory = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.var_dir / "prometheus")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory.resolve())
