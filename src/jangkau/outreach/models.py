"""Outreach tables: agents and their villages, campaigns and targets, prospects, visits, events, partnerships.

An agent profile belongs to a user with the ``field_agent`` role; the villages assigned to it are the user's
territory scope (see :func:`jangkau.outreach.service.assign_villages`).
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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

INSTITUTION_KINDS = ("polres", "polsek", "kodim", "koramil", "kelurahan", "desa", "kecamatan", "opd", "wadah", "other")
AGENT_STATUSES = ("active", "inactive", "terminated")
PROSPECT_SOURCES = ("linkage", "lapse", "manual")
PROSPECT_STATUSES = ("open", "interested", "refused", "registered", "paid", "closed")
VISIT_OUTCOMES = ("not_home", "refused", "interested", "registered", "paid")
EVENT_KINDS = ("socialisation", "training")
TRAINING_TOPICS = (
    "door_to_door",
    "early_detection",
    "problem_solving",
    "effective_communication",
    "negotiation",
    "programme_basics",
)
PARTNERSHIP_KINDS = ("mou", "pks")
PARTNERSHIP_STATUSES = ("draft", "under_review", "signed", "expired")


class Agent(Base, Timestamps):
    """A field agent's profile: kind, partner institution, status (the Perisai rule can deactivate it)."""

    __tablename__ = "outreach_agent"
    __table_args__ = (
        CheckConstraint(f"institution_kind IN {INSTITUTION_KINDS}", name="institution_kind"),
        CheckConstraint(f"status IN {AGENT_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    institution_kind: Mapped[str] = mapped_column(String(12))
    institution: Mapped[str] = mapped_column(String(150))
    umbrella: Mapped[str | None] = mapped_column(String(150))
    status: Mapped[str] = mapped_column(String(12), default="active")
    status_reason: Mapped[str | None] = mapped_column(String(200))
    status_changed_on: Mapped[dt.date | None] = mapped_column(Date)
    reactivation_from: Mapped[dt.date | None] = mapped_column(Date)


class AgentVillage(Base):
    """One village assigned to an agent."""

    __tablename__ = "outreach_agent_village"

    agent_id: Mapped[int] = mapped_column(ForeignKey("outreach_agent.id", ondelete="CASCADE"), primary_key=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True, index=True)


class Campaign(Base, Timestamps):
    """A drive with targets per region for a period, e.g. "1 desa 100 pekerja rentan"."""

    __tablename__ = "outreach_campaign"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    vulnerable_only: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))


class Target(Base):
    """How many paid registrations a campaign expects in one region (village or district)."""

    __tablename__ = "outreach_target"
    __table_args__ = (
        UniqueConstraint("campaign_id", "region_code", name="uq_outreach_target_campaign_region"),
        CheckConstraint("target > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("outreach_campaign.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    target: Mapped[int] = mapped_column(Integer)


class Prospect(Base, Timestamps):
    """Someone to visit: a registered person (``person_id``) or a name/NIK/village/RT from an outside list."""

    __tablename__ = "outreach_prospect"
    __table_args__ = (
        CheckConstraint(f"source IN {PROSPECT_SOURCES}", name="source"),
        CheckConstraint(f"status IN {PROSPECT_STATUSES}", name="status"),
        Index("ix_outreach_prospect_village_rt", "village_code", "rt"),
        Index("ix_outreach_prospect_follow_up", "follow_up_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    full_name: Mapped[str] = mapped_column(String(150))
    village_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    address: Mapped[str | None] = mapped_column(String(255))
    occupation: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10))
    source_ref: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="open")
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"), index=True)


class Visit(Base):
    """One door-to-door visit and its outcome; ``client_key`` makes a retried sync from a phone a no-op."""

    __tablename__ = "outreach_visit"
    __table_args__ = (
        CheckConstraint(f"outcome IN {VISIT_OUTCOMES}", name="outcome"),
        Index("ix_outreach_visit_agent_date", "agent_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("outreach_prospect.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("outreach_agent.id"))
    village_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(12))
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Event(Base, Timestamps):
    """A socialisation session for workers or a training for agents."""

    __tablename__ = "outreach_event"
    __table_args__ = (CheckConstraint(f"kind IN {EVENT_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(14))
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(150))
    place: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    topics: Mapped[str | None] = mapped_column(String(300))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_campaign.id"))
    created_by: Mapped[str] = mapped_column(String(80))


class Attendance(Base):
    """Who attended an event: an agent (training) or a worker, registered (``person_id``) or not (name only)."""

    __tablename__ = "outreach_attendance"
    __table_args__ = (CheckConstraint("agent_id IS NOT NULL OR person_id IS NOT NULL OR name IS NOT NULL", name="who"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("outreach_event.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_agent.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    name: Mapped[str | None] = mapped_column(String(150))
    nik: Mapped[str | None] = mapped_column(String(16))
    attended: Mapped[bool] = mapped_column(Boolean, default=True)


class Partnership(Base, Timestamps):
    """A memorandum of understanding (MoU) or a cooperation agreement (PKS) that follows one, and its commitments."""

    __tablename__ = "outreach_partnership"
    __table_args__ = (
        CheckConstraint(f"kind IN {PARTNERSHIP_KINDS}", name="kind"),
        CheckConstraint(f"status IN {PARTNERSHIP_STATUSES}", name="status"),
        CheckConstraint("kind = 'pks' OR parent_id IS NULL", name="only_pks_has_parent"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_partnership.id"), index=True)
    partner: Mapped[str] = mapped_column(String(200))
    partner_kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    number: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(250))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    budget: Mapped[int | None] = mapped_column(BigInteger)
    target_workers: Mapped[int | None] = mapped_column(Integer)
    data_sharing: Mapped[str | None] = mapped_column(String(300))
    commitments: Mapped[str | None] = mapped_column(Text)


class PartnershipDocument(Base):
    """A file uploaded for a partnership (stored under ``var/outreach/documents``, named by its SHA-256)."""

    __tablename__ = "outreach_partnership_document"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("outreach_partnership.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_as: Mapped[str] = mapped_column(String(120))
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
