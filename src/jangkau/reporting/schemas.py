"""reporting's JSON out (``/api/v1/reports``): the coverage report, estimates, targets, refresh, scorecard.

Rates are numbers: ``rate_bp`` in basis points and ``rate`` the same as a percentage (``37.5``), ``None`` without
a workforce estimate; the pages format them for their language.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from jangkau.reporting.jobs import RunResult


def _percent(bp: object) -> float | None:
    return None if bp is None else int(bp) / 100  # type: ignore[call-overload]


class _Rated(BaseModel):
    """Figures with a rate in basis points; ``rate`` is always the same rate as a percentage number."""

    @model_validator(mode="before")
    @classmethod
    def _rate_from_bp(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, "rate": _percent(data.get("rate_bp"))}
        return data


class RegionRefRead(BaseModel):
    code: str
    name: str


class RegionPlaceRead(BaseModel):
    """The region of a report: ``ID`` is the country."""

    code: str
    name: str
    level: int = Field(description="0 country, 1 province, 2 regency/city, 3 district, 4 village")
    kind: str
    ancestors: list[RegionRefRead]


class MeasuresRead(BaseModel):
    """Memberships in the month: registered, active (paid), lapsed, new and ended."""

    registered: int
    active: int
    lapsed: int
    new: int
    ended: int


class CoverageFiguresRead(MeasuresRead, _Rated):
    workforce: int | None = Field(description="the workforce estimate; None without one")
    rate_bp: int | None = Field(description="active / workforce in basis points")
    rate: float | None = Field(description="the same rate as a percentage, e.g. 37.5")


class TrendPointRead(CoverageFiguresRead):
    month: str = Field(description="YYYY-MM")


class RegionFiguresRead(CoverageFiguresRead):
    """A region inside the report's region (or a top / bottom village) with its figures."""

    code: str
    name: str


class BreakdownRead(MeasuresRead):
    value: str


class BreakdownsRead(BaseModel):
    segment: list[BreakdownRead]
    payer: list[BreakdownRead]
    sex: list[BreakdownRead]
    age_band: list[BreakdownRead]


class EstimateSummaryRead(BaseModel):
    workers: int
    rows: int
    is_demo: bool
    year: int


class ReportTargetProgressRead(BaseModel):
    """The active-member target of the year and how much of it is reached."""

    target_active: int | None
    progress_bp: int | None
    progress: float | None = Field(None, description="progress_bp as a percentage")
    source: str | None

    @model_validator(mode="before")
    @classmethod
    def _progress_from_bp(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, "progress": _percent(data.get("progress_bp"))}
        return data


class VillagesRead(BaseModel):
    top: list[RegionFiguresRead]
    bottom: list[RegionFiguresRead]
    lapsed: list[RegionFiguresRead]


class FreshnessRead(BaseModel):
    refreshed_at: dt.datetime | None
    pending_marks: int
    refresh_pending: bool
    rebuild_running: bool
    rebuild_interrupted: bool
    rebuild_started_at: dt.datetime | None
    complete: bool


class ReportFunnelRead(BaseModel):
    prospects: int
    visited: int
    registered: int
    paid: int


class ReportCampaignProgressRead(BaseModel):
    id: int
    name: str
    region_code: str
    own: bool
    starts_on: dt.date
    ends_on: dt.date
    as_of: dt.date
    target: int
    registered: int
    paid: int
    progress_bp: int | None
    progress: float | None = Field(None, description="progress_bp as a percentage")
    bar_percent: int

    @model_validator(mode="before")
    @classmethod
    def _progress_from_bp(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, "progress": _percent(data.get("progress_bp"))}
        return data


class OutreachProgressRead(BaseModel):
    available: bool
    month: str
    funnel: ReportFunnelRead
    campaigns: list[ReportCampaignProgressRead]
    has_campaign: bool
    definitions: dict[str, str]


class HeadlineFiguresRead(BaseModel):
    """The headline figures as every page shows them (``jangkau.kit.figures``): ``protected`` is ``totals.active``
    (the paid month), ``active`` = protected + lapsed (protection begun, not ended)."""

    regions: list[str]
    month: str
    registered: int
    active: int
    protected: int
    lapsed: int
    refreshed_at: dt.datetime | None
    pending: int
    complete: bool


class CoverageReportRead(BaseModel):
    """Coverage of a region in a month: totals, target, breakdowns, trend, regions inside, villages, freshness."""

    region: RegionPlaceRead
    month: str
    level_name: str
    totals: CoverageFiguresRead
    estimate: EstimateSummaryRead
    target: ReportTargetProgressRead
    breakdowns: BreakdownsRead
    trend: list[TrendPointRead]
    children: list[RegionFiguresRead]
    villages: VillagesRead
    freshness: FreshnessRead
    figures: HeadlineFiguresRead
    has_data: bool
    outreach: OutreachProgressRead
    definitions: dict[str, str]


class EstimatesImportRead(BaseModel):
    year: int
    stored: int
    source: str


class TargetIn(BaseModel):
    """An active-member target of a region for a year."""

    model_config = ConfigDict(extra="forbid")
    region: str = Field(max_length=13)
    year: int = Field(ge=2000, le=2100)
    target_active: int = Field(gt=0)
    note: str | None = Field(None, max_length=300)


class TargetRead(BaseModel):
    region: str
    year: int
    target_active: int
    note: str | None


class RefreshRunRead(BaseModel):
    """What a refresh did."""

    kind: str
    first_month: str
    last_month: str
    steps: int
    resumed_from: int
    source_rows: dict[str, int]
    summary_rows: int
    rows_written: int
    villages: int
    seconds: dict[str, float]

    @classmethod
    def of(cls, result: RunResult) -> RefreshRunRead:
        return cls(
            kind=result.kind,
            first_month=str(result.first),
            last_month=str(result.last),
            steps=result.steps,
            resumed_from=result.resumed_from,
            source_rows=result.source_rows,
            summary_rows=result.summary_rows,
            rows_written=result.rows_written,
            villages=result.villages,
            seconds=result.seconds,
        )


class RefreshRead(BaseModel):
    refresh: RefreshRunRead | None = Field(description="None when nothing was marked")


class ScoreIn(BaseModel):
    """An assessed score of one scorecard indicator."""

    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=2000, le=2100)
    indicator: str = Field(max_length=20)
    score: int = Field(ge=0, le=100)
    note: str | None = Field(None, max_length=2000)


class ScoreEntryRead(BaseModel):
    region: str
    year: int
    indicator: str
    score: int


class ScorecardEvidenceRead(BaseModel):
    id: int
    file_name: str
    size: int
    sha256: str


class EvidenceListedRead(BaseModel):
    id: int
    file_name: str
    size: int
    uploaded_at: dt.datetime


class IndicatorRead(BaseModel):
    indicator: str
    name: str
    weight_bp: int
    weight_unconfirmed: bool
    score: int | None
    score_source: str | None = Field(description="assessed, computed, or None")
    note: str | None
    evidence: list[EvidenceListedRead]


class ScorecardFiguresRead(BaseModel):
    budget_vulnerable_rupiah: int
    coverage_month: str | None = Field(None, description="the last complete month of the year (kit.figures)")
    coverage_rate_bp: int | None
    coverage_rate: float | None = Field(None, description="coverage_rate_bp as a percentage")
    coverage_score: int | None
    headline: HeadlineFiguresRead | None = None

    @model_validator(mode="before")
    @classmethod
    def _rate_from_bp(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, "coverage_rate": _percent(data.get("coverage_rate_bp"))}
        return data


class ScorecardRuleRead(BaseModel):
    id: str
    citation: str
    unconfirmed: bool
    note: str


class ScorecardRead(BaseModel):
    """The Paritrana-style scorecard of a region for a year (weights UNCONFIRMED, said in ``rule``)."""

    region: RegionPlaceRead
    year: int
    indicators: list[IndicatorRead]
    figures: ScorecardFiguresRead
    weighted_total: int
    rule: ScorecardRuleRead
