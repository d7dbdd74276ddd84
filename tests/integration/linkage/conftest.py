"""Linkage tasks run at once in the test (huey immediate mode), each step a savepoint of the test session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session

from jangkau.tasks import record
from jangkau.tasks.queue import huey


@pytest.fixture
def immediate(session: Session) -> Iterator[None]:
    @contextmanager
    def step() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    was = huey.immediate
    huey.immediate = True
    record.use_units(step)
    try:
        yield
    finally:
        record.use_units(record.unit)
        huey.immediate = was
