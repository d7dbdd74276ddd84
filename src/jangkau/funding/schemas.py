"""Input shapes of the funding domain (shared by the CLI and the API)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from jangkau.funding.models import PREPAY_MONTHS, SPONSOR_KINDS

_SPONSOR_PATTERN = "^(" + "|".join(SPONSOR_KINDS) + ")$"


class SponsorIn(BaseModel):
    """A sponsor: a city/regency budget (APBD), a village (APBDes / Dana Desa), a company's CSR, a donor, a wadah."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(pattern=_SPONSOR_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    region_code: str | None = Field(default=None, max_length=20, description="APBD: the regency; APBDes: the village")
    phone: str | None = Field(default=None, max_length=20)


class ProgrammeIn(BaseModel):
    """A sponsorship programme: package, period, budget, quota and who may be enrolled."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    payer_id: int
    name: str = Field(min_length=1, max_length=200)
    programs: list[str] = Field(default=["jkk", "jkm"], min_length=1)
    declared_income: int = Field(default=1_000_000, gt=0, description="Declared income band of the package")
    start_month: str = Field(pattern=r"^\d{4}-\d{2}$")
    months: int = Field(ge=1, le=120)
    budget: int = Field(gt=0)
    quota: int | None = Field(default=None, gt=0)
    region_prefix: str | None = Field(default=None, max_length=13)
    occupations: list[str] = Field(default=[])
    vulnerable_only: bool = False
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)


class PaymentIn(BaseModel):
    """A payment received against a bill reference."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reference: str = Field(min_length=1, max_length=40)
    amount: int
    paid_on: dt.date
    channel: str = Field(default="manual", min_length=1, max_length=30)
    external_ref: str | None = Field(default=None, max_length=80)


class ReversalIn(BaseModel):
    """A payment that bounced or was cancelled: when, and why (kept on the reversal entry)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reversed_on: dt.date
    reason: str = Field(default="", max_length=80)


class PayerAssignmentIn(BaseModel):
    """Who pays a BPU membership (a wadah, a donor, the worker) and how many months at a time."""

    model_config = ConfigDict(extra="forbid")

    membership_id: int
    payer_id: int | None = None
    prepay_months: int = Field(default=1)

    def prepay_ok(self) -> bool:
        return self.prepay_months in PREPAY_MONTHS
