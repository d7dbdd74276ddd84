"""Input shapes of the compliance domain (shared by the API, the pages and the CLI)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jangkau.compliance.models import FINDING_KINDS, STEP_KINDS


class FindingIn(BaseModel):
    """A finding recorded by another domain or a person (e.g. an unregistered hire after 30 days)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employer_id: int
    kind: str = Field(pattern=f"^({'|'.join(FINDING_KINDS)})$")
    month: dt.date = Field(description="Any day of the month the finding is about")
    subject: str = Field(min_length=1, max_length=60, description="Tells findings of one kind and month apart")
    summary: str = Field(min_length=1, max_length=400)
    summary_id: str | None = Field(default=None, max_length=400)
    evidence: dict[str, Any] = Field(default_factory=dict)
    workers: int = Field(default=1, ge=1, le=100_000, description="Workers concerned (PDS TK)")
    wage: int | None = Field(default=None, ge=0, description="Monthly wage of the workers concerned, if known")


class CaseIn(BaseModel):
    """Open a case (the assessment step) on some of an employer's open findings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employer_id: int
    finding_ids: list[int] = Field(default_factory=list, description="Empty: every open finding of the employer")
    on_date: dt.date | None = None
    note: str | None = Field(default=None, max_length=1000)


class StepIn(BaseModel):
    """One step of a case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(pattern=f"^({'|'.join(k for k in STEP_KINDS if k != 'assessment')})$")
    on_date: dt.date | None = None
    note: str | None = Field(default=None, max_length=1000)
    partner: str | None = Field(default=None, max_length=120, description="Joint visit / SKK: Disnaker, Kejaksaan")
    amount: int | None = Field(default=None, ge=0, description="Payment step: contribution recovered, Rupiah")


class LinkIn(BaseModel):
    """A person's decision on evidence waiting for review: link it to an employer, or to none."""

    model_config = ConfigDict(extra="forbid")

    employer_id: int | None
