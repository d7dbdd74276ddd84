"""Linkage tables: named sources with their column mapping, imported list versions and their rows and issues,
and one decision per list row (engine decision, reviewer's verdict, within-list duplicate cluster).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps
from jangkau.db.types import BigId, UtcDateTime

ROW_STATUSES = ("kept", "rejected")
DECISIONS = ("match", "review", "no_match", "rejected")
VERDICTS = ("accepted", "rejected")
LIST_STATUSES = ("imported", "linked")


class LinkageSource(Base, Timestamps):
    """A named outside source ("Non-ASN Pemkot Medan", "Kepling") and the column mapping saved for it."""

    __tablename__ = "linkage_source"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    mapping_json: Mapped[str] = mapped_column(Text, default="{}")


class LinkageList(Base, Timestamps):
    """One imported version of a source: who uploaded it, when, the file, the counts and the last run."""

    __tablename__ = "linkage_list"
    __table_args__ = (
        UniqueConstraint("source_id", "version", name="uq_linkage_list_source_version"),
        CheckConstraint(f"status IN {LIST_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("linkage_source.id"))
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    scope_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="imported")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_kept: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    linked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    linked_by: Mapped[str | None] = mapped_column(String(120))
    summary_json: Mapped[str | None] = mapped_column(Text)


class LinkageRow(Base):
    """One row of an imported list as checked: kept (clean values) or rejected (reason and raw values)."""

    __tablename__ = "linkage_row"
    __table_args__ = (
        UniqueConstraint("list_id", "line", name="uq_linkage_row_list_line"),
        CheckConstraint(f"status IN {ROW_STATUSES}", name="status"),
        Index("ix_linkage_row_list_village", "list_id", "village_code"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("linkage_list.id"))
    line: Mapped[int] = mapped_column(Integer)
    row_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))
    nik: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(150))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    village_code: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    raw_json: Mapped[str | None] = mapped_column(Text)


class LinkageIssue(Base):
    """A warning or rejection found while checking a list (line 0 = about the whole file)."""

    __tablename__ = "linkage_issue"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("linkage_list.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    row_id: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)


class LinkageDecision(Base):
    """The linkage decision for one list row: the engine's, and the reviewer's verdict where one was given."""

    __tablename__ = "linkage_decision"
    __table_args__ = (
        CheckConstraint(f"engine_decision IN {DECISIONS}", name="engine_decision"),
        CheckConstraint(f"decision IN {DECISIONS}", name="decision"),
        CheckConstraint(f"verdict IS NULL OR verdict IN {VERDICTS}", name="verdict"),
        Index("ix_linkage_decision_list_decision", "list_id", "decision"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("linkage_list.id"))
    row_pk: Mapped[int] = mapped_column(ForeignKey("linkage_row.id"), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    match_probability: Mapped[float] = mapped_column(Float, default=0.0)
    engine_decision: Mapped[str] = mapped_column(String(10))
    decision: Mapped[str] = mapped_column(String(10))
    cluster_id: Mapped[str | None] = mapped_column(String(200))
    verdict: Mapped[str | None] = mapped_column(String(10))
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


RUN_STATES = ("queued", "running", "done", "failed")


class LinkageRun(Base):
    """One run of a list against the register: its state, the phase it reached, and why it failed.

    The run record and the decisions are written in the same transaction; the decisions of a run that fails
    are rolled back to a savepoint, so a list keeps its previous decisions (or none) and the run says ``failed``.
    """

    __tablename__ = "linkage_run"
    __table_args__ = (CheckConstraint(f"state IN {RUN_STATES}", name="state"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("linkage_list.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    phase: Mapped[str] = mapped_column(String(40), default="")
    started_by: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class LinkageUpload(Base, Timestamps):
    """An uploaded list file kept until a worker imports it (the request only stores it and queues the import).

    The content is dropped (``NULL``) once the import has stored the rows, or has refused the file: the list's rows
    are then the only copy. ``list_id`` is set in the import's own transaction, so a worker that dies after it
    never imports the same upload twice.
    """

    __tablename__ = "linkage_upload"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: the CLI operator
    source: Mapped[str] = mapped_column(String(120))
    mapping_json: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    link: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    list_id: Mapped[int | None] = mapped_column(ForeignKey("linkage_list.id"))
    error: Mapped[str | None] = mapped_column(Text)
