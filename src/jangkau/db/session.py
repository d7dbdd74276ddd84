"""The process-wide engine and a unit-of-work shortcut for CLI commands and jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jangkau.db.engine import make_engine, make_session_factory
from jangkau.db.uow import unit_of_work


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    return make_engine()


@lru_cache(maxsize=1)
def default_session_factory() -> sessionmaker[Session]:
    return make_session_factory(default_engine())


@contextmanager
def unit() -> Iterator[Session]:
    """One transaction on the configured database."""
    with unit_of_work(default_session_factory()) as session:
        yield session
