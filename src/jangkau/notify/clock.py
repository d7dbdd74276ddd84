"""The clock notify reads (quiet hours, send times): the real time, or a frozen one in simulations and tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

_FROZEN: list[dt.datetime | None] = [None]


def now() -> dt.datetime:
    """The current time, aware UTC (the frozen time when a simulation set one)."""
    frozen = _FROZEN[0]
    return frozen if frozen is not None else dt.datetime.now(dt.UTC)


@contextmanager
def frozen_at(at: dt.datetime) -> Iterator[None]:
    """Freeze :func:`now` at ``at`` inside the block (a simulated month moves it tick by tick)."""
    was = _FROZEN[0]
    _FROZEN[0] = at.astimezone(dt.UTC)
    try:
        yield
    finally:
        _FROZEN[0] = was
