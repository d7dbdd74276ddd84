"""A rule table version added by users (a new UMK year, a JP wage cap): proposed by one, activated by another."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps
from jangkau.db.types import BigId, UtcDateTime

STATES = ("proposed", "active", "withdrawn")
STATUSES = ("confirmed", "unconfirmed")


class RuleVersion(Base, Timestamps):
    """One version of one rule table. Never edited once proposed: only its state moves (proposed -> active or
    withdrawn; active -> withdrawn before its ``valid_from``). ``data`` is the rule's own data as JSON, in the
    shape of the shipped TOML files (``ump`` and ``umk`` rows for ``min_wage.<province>``, ``cap`` for the JP cap)."""

    __tablename__ = "rule_version"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES}", name="state"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_span"),
        Index("ix_rule_version_rule_state", "rule_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    instrument: Mapped[str] = mapped_column(String(300))
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12))
    notes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of open questions (UNCONFIRMED)
    data: Mapped[str] = mapped_column(Text)  # JSON
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    proposed_by_name: Mapped[str] = mapped_column(String(60))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(60))
    activated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
