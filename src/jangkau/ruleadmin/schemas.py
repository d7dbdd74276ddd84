"""Input and output of the managed rule versions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator


class VersionIn(BaseModel):
    """What every new version carries: its legal instrument, dates, source and status."""

    instrument: str = Field(default="", max_length=300, description="e.g. Kepgub Sumut 188.44/908/KPTS/2025")
    signed_on: dt.date | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: str = Field(default="", max_length=500, description="URL or document the figures come from")
    status: Literal["confirmed", "unconfirmed"] = "confirmed"
    note: str = Field(default="", max_length=500, description="open question (required when UNCONFIRMED)")

    @model_validator(mode="after")
    def _span(self) -> VersionIn:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.signed_on is not None and self.signed_on > self.valid_from + dt.timedelta(days=366):
            raise ValueError("signed_on is more than a year after valid_from")
        return self


class RuleVersionRead(BaseModel):
    id: int
    rule_id: str
    version: str
    title: str
    instrument: str
    signed_on: dt.date | None
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    status: str
    notes: list[str]
    state: str
    proposed_by: str
    decided_by: str | None
    data: dict[str, Any]


class RowRefusal(BaseModel):
    line: int
    reason: str
    reason_id: str


class TableHealthRead(BaseModel):
    rule_id: str
    ends_on: dt.date | None
    state: Literal["ended", "ending"]
    days_left: int
