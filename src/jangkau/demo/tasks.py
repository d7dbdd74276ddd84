"""Demo seeding through the job queue (``jangkau demo seed --background``): the same resumable seeding as the
foreground command, one district per transaction, progress by district. A killed worker's run resumes from the
districts already seeded (the seed's own checkpoint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jangkau.db.session import default_session_factory
from jangkau.demo.errors import DemoAsOfInvalid, DemoScaleUnknown
from jangkau.demo.seed import SCALES, seed_demo
from jangkau.tasks.record import TaskContext, tracked


def _check(kwargs: dict[str, Any]) -> None:
    if kwargs.get("scale") not in SCALES:
        raise DemoScaleUnknown(SCALES)
    try:
        dt.date.fromisoformat(str(kwargs.get("as_of")))
    except ValueError as exc:
        raise DemoAsOfInvalid() from exc


@tracked("demo.seed", period=lambda kw: f"{kw['region']}:{kw['scale']}:{kw['seed']}:{kw['as_of']}", check=_check)
def seed(ctx: TaskContext, region: str, scale: str, seed: int, as_of: str, replace: bool = False) -> dict[str, Any]:
    """Seed (or resume seeding) the demo population of ``region``; the report of ``seed_demo``."""
    report = seed_demo(
        default_session_factory(), region, scale, seed, dt.date.fromisoformat(as_of), replace,
        lambda _district, done, total: ctx.progress(done, total),
    )  # fmt: skip
    return dict(report.__dict__)
