"""Input of the claims API, pages and CLI (pydantic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from jangkau.claims.kinds import ReporterKind
from jangkau.rules import JhtTrigger

NIK_PATTERN = r"^\d{16}$"


class HeirIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=2, max_length=150)
    relationship: str = Field(min_length=2, max_length=20)
    nik: str | None = Field(default=None, pattern=NIK_PATTERN)
    birth_date: dt.date | None = None


class ClaimIn(BaseModel):
    """A claim as reported. ``type`` is the programme (jkm, jkk, jht, jp, jkp); ``benefit`` the benefit in it."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=2, max_length=4)
    benefit: str | None = Field(default=None, max_length=30)
    nik: str = Field(min_length=16, max_length=20)
    event_date: dt.date
    membership_id: int | None = Field(default=None, gt=0)
    reporter_kind: ReporterKind | None = None
    reporter_name: str | None = Field(default=None, max_length=150)
    reporter_phone: str | None = Field(default=None, max_length=20)
    heirs: list[HeirIn] = Field(default_factory=list, max_length=12)
    wage: int | None = Field(default=None, gt=0, le=1_000_000_000)
    months_unable: int = Field(default=0, ge=0, le=240)
    disability_percent: Decimal | None = Field(default=None, gt=0, le=100)
    medical_cost: int | None = Field(default=None, ge=0, le=10_000_000_000)
    children: int | None = Field(default=None, ge=0, le=20)
    jht_amount: int | None = Field(
        default=None, gt=0, le=100_000_000_000, description="JHT partial claim: the amount asked (default the maximum)"
    )
    jht_trigger: JhtTrigger | None = None
    previous_partial_claims: int = Field(default=0, ge=0, le=10)
    accumulated: int | None = Field(default=None, ge=0, le=100_000_000_000)


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=40)
    received_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=300)


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=1000)
    decide_open_points: bool = Field(
        default=False, description="The officer has checked the points the rules leave open (e.g. cover in arrears)"
    )


class DocumentRequestIn(BaseModel):
    """Documents the office asks the claimant for: the service-level clock stops until they arrive."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    documents: str = Field(min_length=2, max_length=300)
    requested_on: dt.date | None = None


class DocumentsArrivedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    arrived_on: dt.date | None = None


class PayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paid_on: dt.date
    payment_ref: str | None = Field(default=None, max_length=80)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=5, max_length=1000)


class HandoverIn(BaseModel):
    """A public handover event: who received what, when, where, witnessed by whom."""

    model_config = ConfigDict(extra="forbid")

    event_name: str = Field(min_length=3, max_length=200)
    held_on: dt.date
    place: str = Field(min_length=2, max_length=200)
    received_by: str = Field(min_length=2, max_length=150)
    received_relationship: str | None = Field(default=None, max_length=30)
    amount: int | None = Field(default=None, gt=0, le=100_000_000_000)
    handed_by: str = Field(min_length=2, max_length=150)
    witnesses: list[str] = Field(min_length=1, max_length=10)
