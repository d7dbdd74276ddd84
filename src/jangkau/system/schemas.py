"""Pydantic responses of the system endpoints: liveness and readiness."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


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


class NikCheckRead(BaseModel):
    """What a NIK says: valid or not, every error and warning, the decoded sex, birth date and district."""

    nik: str
    valid: bool
    errors: list[str]
    warnings: list[str]
    sex: str | None = Field(description="L (laki-laki) or P (perempuan)")
    birth_date: dt.date | None
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    serial: str | None
    district_name: str | None
