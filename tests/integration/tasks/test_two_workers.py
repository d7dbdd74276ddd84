"""Two workers at once: the same period's task starts on one of them only (the unique claim is the guard)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import sessionmaker

from jangkau.db.uow import unit_of_work
from jangkau.tasks import record
from jangkau.tasks.models import TaskRecord
from jangkau.tasks.queue import huey
from jangkau.tasks.record import TaskContext, tracked

RAN: list[str] = []


@tracked("test.monthly", period=lambda kwargs: str(kwargs["month"]))
def monthly(ctx: TaskContext, month: str) -> dict[str, Any]:
    RAN.append(month)
    time.sleep(0.2)  # long enough for the other worker to arrive while this one runs
    ctx.progress(1, 1)
    return {}


@pytest.fixture
def committed(engine: Engine) -> Iterator[sessionmaker[Any]]:
    """Real transactions (two workers need two connections), cleaned up after."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    was = huey.immediate
    huey.immediate = True
    record.use_units(lambda: unit_of_work(factory))
    RAN.clear()
    try:
        yield factory
    finally:
        record.use_units(record.unit)
        huey.immediate = was
        with unit_of_work(factory) as session:
            session.execute(delete(TaskRecord).where(TaskRecord.name == "test.monthly"))


def test_two_workers_ticking_at_once_run_the_month_once(committed: sessionmaker[Any]) -> None:
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        record.TASKS["test.monthly"].queued(started_by="schedule:test.monthly", month="2026-11")

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert RAN == ["2026-11"]
    with unit_of_work(committed) as session:
        runs = session.scalars(select(TaskRecord).where(TaskRecord.name == "test.monthly")).all()
        assert [(r.period, r.status, r.attempts) for r in runs] == [("2026-11", "done", 1)]
