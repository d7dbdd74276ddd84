"""``jangkau serve``: run the web app with uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from jangkau.config import get_settings


def serve_command(
    host: str = typer.Option(None, help="Interface to listen on (default from settings: 127.0.0.1)"),
    port: int = typer.Option(None, help="Port (default from settings: 8000)"),
    with_worker: bool = typer.Option(
        False,
        "--with-worker",
        help="Also run the task queue's worker in this process (make run); one Ctrl-C stops both",
    ),
) -> None:
    """Serve the web app and the JSON API."""
    settings = get_settings()
    consumer = None
    if with_worker:
        from jangkau.tasks.cli import make_consumer

        consumer = make_consumer(workers=2)
        consumer.start()
    try:
        uvicorn.run("jangkau.web:create_app", factory=True, host=host or settings.host, port=port or settings.port)
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
