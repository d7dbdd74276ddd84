"""Reporting tables: the coverage summary, its rollups, the refresh outbox and log, estimates, targets, scorecard.

Only summaries are stored here (counts per village and month, never people); dashboards read nothing else.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, utcnow
from jangkau.db.types import BigId, UtcDateTime


class Measures:
    """The five counts every summary row carries (see ``reporting.bands``)."""

    registered: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[int] = mapped_column(Integer, default=0)
    lapsed: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    ended: Mapped[int] = mapped_column(Integer, default=0)


class CoverageSummary(Base, Measures):
    """Memberships of one village and month, per segment, payer kind, sex and age band."""

    __tablename__ = "report_coverage"

    village_code: Mapped[str] = mapped_column(String(13), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    segment: Mapped[str] = mapped_column(String(6), primary_key=True)
    payer: Mapped[str] = mapped_column(String(12), primary_key=True)
    sex: Mapped[str] = mapped_column(String(1), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(6), primary_key=True)


class Rollup(Base, Measures):
    """Totals of a region (country ``""``, province ... village) in a month, overall (``dim = 'all'``) or by one
    dimension (``segment``, ``payer``, ``sex``, ``age_band``; villages keep only ``all``)."""

    __tablename__ = "report_rollup"
    __table_args__ = (
        Index("ix_report_rollup_parent_month", "parent_code", "month", "dim"),
        Index("ix_report_rollup_rank", "level", "month", "dim", "rate_bp", "region_code"),
        Index("ix_report_rollup_lapsed", "level", "month", "dim", "lapsed", "region_code"),
    )

    region_code: Mapped[str] = mapped_column(String(13), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    dim: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(12), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(String(13))
    # villages only: active / workforce estimate in basis points, for ranking (set by ``refresh_workforce``)
    rate_bp: Mapped[int | None] = mapped_column(Integer)


class RefreshRun(Base):
    """One full rebuild or incremental refresh: its window and when it finished (pages show this)."""

    __tablename__ = "report_run"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    first_month: Mapped[dt.date] = mapped_column(Date)
    last_month: Mapped[dt.date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class WorkforceEstimate(Base):
    """Number of workers living in a village or district (the denominator of the coverage rate)."""

    __tablename__ = "report_workforce"
    __table_args__ = (CheckConstraint("workers >= 0", name="workers_not_negative"),)

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    workers: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80))


class RegionWorkforce(Base):
    """The workforce estimates summed up to every region that holds some (country ``ID`` included)."""

    __tablename__ = "report_region_workforce"

    region_code: Mapped[str] = mapped_column(String(13), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    workers: Mapped[int] = mapped_column(BigInteger)
    estimates: Mapped[int] = mapped_column(Integer)
    demo_estimates: Mapped[int] = mapped_column(Integer)


class CoverageTarget(Base):
    """Active members a region aims for by the end of a year (until outreach campaigns provide targets)."""

    __tablename__ = "report_target"
    __table_args__ = (CheckConstraint("target_active > 0", name="target_positive"),)

    region_code: Mapped[str] = mapped_column(String(13), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    target_active: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(300))
    set_by: Mapped[str] = mapped_column(String(80))
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ScorecardWeight(Base):
    """Weight of one Paritrana-style indicator (in basis points); data, because official weights are UNCONFIRMED."""

    __tablename__ = "report_scorecard_weight"

    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    weight_bp: Mapped[int] = mapped_column(Integer)
    unconfirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    citation: Mapped[str] = mapped_column(String(300))


class ScorecardEntry(Base):
    """An assessed score (0-100) of one indicator for a region and year, with the assessor's note."""

    __tablename__ = "report_scorecard_entry"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),)

    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)
    assessed_by: Mapped[str] = mapped_column(String(80))
    assessed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Evidence(Base):
    """A document attached to a scorecard indicator (size-limited, stored in the database)."""

    __tablename__ = "report_evidence"
    __table_args__ = (Index("ix_report_evidence_region_year", "region_code", "year"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    year: Mapped[int] = mapped_column(SmallInteger)
    indicator: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class OutreachSummary(Base):
    """Outreach of a region in a month (villages, and rolled up to district ... country ``ID``): prospects added,
    distinct prospects visited, memberships registered by agents that started in the month, of which paid (their
    first contribution month is paid). Definitions are outreach's (``outreach.funnel_sql``)."""

    __tablename__ = "report_outreach"
    __table_args__ = (Index("ix_report_outreach_parent_month", "parent_code", "month"),)

    region_code: Mapped[str] = mapped_column(String(13), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(String(13))
    prospects: Mapped[int] = mapped_column(Integer, default=0)
    visited: Mapped[int] = mapped_column(Integer, default=0)
    registered: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[int] = mapped_column(Integer, default=0)


class CampaignProgress(Base):
    """A campaign's target and progress in a region: the target region itself (``is_target``) and every region
    above it (targets inside summed). Counted as ``outreach.service.campaign_progress`` does, as of ``as_of``."""

    __tablename__ = "report_campaign"
    __table_args__ = (Index("ix_report_campaign_region", "region_code"),)

    campaign_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(13), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    is_target: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    as_of: Mapped[dt.date] = mapped_column(Date)
    target: Mapped[int] = mapped_column(Integer)
    registered: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[int] = mapped_column(Integer, default=0)
