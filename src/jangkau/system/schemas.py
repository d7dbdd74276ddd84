"""Pydantic responses of the system endpoints: liveness and readiness."""

from __future__ import annotations

from pydantic import BaseModel


class HealthRead(BaseModel):
    """Liveness: the process answers (no database touched)."""

    status: str
    version: str


class CheckRead(BaseModel):
    """One readiness check: whether it passed and why not."""

    name: str
    ok: bool
    detail: str


class ReadyRead(BaseModel):
    """Readiness: ``ready`` (HTTP 200) or ``not_ready`` (HTTP 503) with each check and its reason."""

    status: str
    version: str
    checks: list[CheckRead]
