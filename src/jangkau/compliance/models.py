"""Compliance tables: reported workforce, outside evidence, findings (PDS), cases with dated steps, documents.

Every finding and case belongs to one employer; territory scope follows the employer's village code.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

REPORT_SOURCES = ("billing", "registry", "file")
IMPORT_KINDS = ("report", "evidence")
EVIDENCE_KINDS = ("business_licence", "wajib_lapor", "e_catalogue", "tax", "procurement", "field_survey", "jobs")
LINK_STATUSES = ("linked", "review", "unlinked")
FINDING_KINDS = ("pds_tk", "pds_upah", "pds_program")
FINDING_STATUSES = ("open", "resolved", "dismissed")
CASE_STATUSES = ("assessment", "warning_1", "warning_2", "fine", "tmp2t", "resolved", "closed")
STEP_KINDS = (*CASE_STATUSES, "joint_visit", "skk", "payment", "note")


class ComplianceImport(Base):
    """One imported file (the branch's reporting file or an outside register) and what came of it."""

    __tablename__ = "compliance_import"
    __table_args__ = (CheckConstraint(f"kind IN {IMPORT_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    review: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ImportRejection(Base):
    """A row of an imported file that was not taken, with its reason (English and Bahasa Indonesia)."""

    __tablename__ = "compliance_import_rejection"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("compliance_import.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    reason_id: Mapped[str] = mapped_column(String(300))


class EmployerReport(Base):
    """An employer's reported workforce and wages for one month, from billing, the register or the branch file."""

    __tablename__ = "compliance_report"
    __table_args__ = (
        CheckConstraint(f"source IN {REPORT_SOURCES}", name="source"),
        UniqueConstraint("employer_id", "month", "source", name="uq_compliance_report_employer_month_source"),
        Index("ix_compliance_report_month", "month"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    month: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    workers: Mapped[int] = mapped_column(Integer)
    total_wage: Mapped[int] = mapped_column(BigInteger)
    lowest_wage: Mapped[int | None] = mapped_column(BigInteger)
    programs: Mapped[str] = mapped_column(String(40), default="")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_import.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Evidence(Base, Timestamps):
    """What another register says about a business (headcount, wages), and how it was linked to an employer."""

    __tablename__ = "compliance_evidence"
    __table_args__ = (
        CheckConstraint(f"kind IN {EVIDENCE_KINDS}", name="kind"),
        CheckConstraint(f"link_status IN {LINK_STATUSES}", name="link_status"),
        UniqueConstraint("kind", "source_ref", name="uq_compliance_evidence_kind_ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str] = mapped_column(String(120))
    observed_on: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(255))
    registration_number: Mapped[str | None] = mapped_column(String(20))
    npwp: Mapped[str | None] = mapped_column(String(20))
    workers: Mapped[int | None] = mapped_column(Integer)
    average_wage: Mapped[int | None] = mapped_column(BigInteger)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    link_status: Mapped[str] = mapped_column(String(8))
    link_method: Mapped[str | None] = mapped_column(String(20))
    link_score: Mapped[int | None] = mapped_column(SmallInteger)
    candidates: Mapped[str | None] = mapped_column(Text)  # JSON list of {employer_id, name, score} for review
    import_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_import.id"), index=True)


class Finding(Base, Timestamps):
    """A suspected partial registration (PDS TK, PDS Upah, PDS Program) of one employer in one month.

    ``subject`` tells findings of the same kind and month apart (``floor``, ``evidence``, ``hire:<ref>``); the
    unique key makes a re-run of a month's scan update instead of duplicate.
    """

    __tablename__ = "compliance_finding"
    __table_args__ = (
        CheckConstraint(f"kind IN {FINDING_KINDS}", name="kind"),
        CheckConstraint(f"status IN {FINDING_STATUSES}", name="status"),
        UniqueConstraint("employer_id", "kind", "month", "subject", name="uq_compliance_finding_key"),
        Index("ix_compliance_finding_status_employer", "status", "employer_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    kind: Mapped[str] = mapped_column(String(12))
    month: Mapped[dt.date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="open")
    origin: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(400))
    summary_id: Mapped[str] = mapped_column(String(400))
    evidence: Mapped[str] = mapped_column(Text)  # JSON: the figures and where they came from
    rules: Mapped[str] = mapped_column(Text)  # JSON: rules engine trail (rules used, warnings)
    unpaid_per_month: Mapped[int] = mapped_column(BigInteger, default=0)
    points: Mapped[int] = mapped_column(SmallInteger, default=0)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_case.id"), index=True)


class Case(Base, Timestamps):
    """A compliance case against one employer, from assessment to resolution (PP 86/2013 sanction ladder)."""

    __tablename__ = "compliance_case"
    __table_args__ = (CheckConstraint(f"status IN {CASE_STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(13), index=True)
    status: Mapped[str] = mapped_column(String(10), default="assessment")
    opened_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    owed_per_month: Mapped[int] = mapped_column(BigInteger, default=0)
    fine_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    recovered: Mapped[int] = mapped_column(BigInteger, default=0)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(80))


class CaseStep(Base):
    """One dated step of a case: who did what, with the deadline it set and the amount it concerns."""

    __tablename__ = "compliance_case_step"
    __table_args__ = (CheckConstraint(f"kind IN {STEP_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("compliance_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    on_date: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    partner: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(1000))
    actor: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class CaseDocument(Base):
    """A document kept with a case (a generated letter or an uploaded file): where it is stored and its hash."""

    __tablename__ = "compliance_case_document"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("compliance_case.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_case_step.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
