"""``jangkau serve``: run the web app with uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from jangkau.config import get_settings


def serve_command(
    host: str = typer.Option(None, help="Interface to listen on (default from settings: 127.0.0.1)"),
    port: int = typer.Option(None, help="Port (default from settings: 8000)"),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (each with its own connection pool)"),
) -> None:
    """Serve the web app and the JSON API."""
    settings = get_settings()
    uvicorn.run(
        "jangkau.web:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
    )
