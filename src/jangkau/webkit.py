"""Shared pieces of the web edge: the per-request unit of work and the Jinja environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from jangkau.db.uow import unit_of_work

PACKAGE_DIR = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=PACKAGE_DIR / "templates")


def get_session(request: Request) -> Iterator[Session]:
    """One request, one transaction: commits when the handler returns, rolls back when it raises."""
    with unit_of_work(request.app.state.session_factory) as session:
        yield session
