"""Tasks run at once in the test (huey immediate mode) on the test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from sqlalchemy.orm import Session

from jangkau.tasks import record
from jangkau.tasks.queue import huey


@pytest.fixture
def units(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """Task steps on the test session: each step is a savepoint (kept on success, rolled back on an error)."""

    @contextmanager
    def step() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    return step


@pytest.fixture
def immediate(units: Callable[[], AbstractContextManager[Session]]) -> Iterator[None]:
    was = huey.immediate
    huey.immediate = True
    record.use_units(units)
    try:
        yield
    finally:
        record.use_units(record.unit)
        huey.immediate = was
