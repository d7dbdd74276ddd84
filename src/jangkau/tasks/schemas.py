"""What the task console reads (``/api/v1/tasks``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TaskIn(BaseModel):
    """Start one of the scheduled tasks now, in the background (e.g. ``billing.run`` for ``{"month": "2026-11"}``)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    args: dict[str, str | int] = Field(default_factory=dict)


class TaskRead(BaseModel):
    """One run of a task: status, progress, who or which schedule started it, timing, the error of a failure."""

    id: int
    name: str
    period: str | None
    args: dict[str, Any]
    status: str
    started_by: str
    done: int | None
    total: int | None
    percent: float | None
    attempts: int
    error: str | None
    note: str | None
    result: dict[str, Any] | None
    queued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    duration_seconds: float | None
