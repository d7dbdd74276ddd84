"""Claims tables: the claim, its heirs, documents received, status history and public handover records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

PROGRAMS = ("jkk", "jkm", "jht", "jp", "jkp")
STATUSES = ("submitted", "documents_complete", "verified", "approved", "paid", "rejected")
REPORTER_KINDS = ("worker", "heir", "employer", "agent", "officer")


class Claim(Base, Timestamps):
    """A benefit claim for one event of one person, with the assessment it was filed and verified with."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(f"program IN {PROGRAMS}", name="program"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        CheckConstraint(f"reporter_kind IN {REPORTER_KINDS}", name="reporter_kind"),
        CheckConstraint("status <> 'rejected' OR rejection_reason IS NOT NULL", name="rejected_has_reason"),
        # The same claim twice (person, type, benefit, event date) is refused unless the first was rejected.
        Index(
            "uq_claim_open_event",
            "person_id",
            "program",
            "benefit",
            "event_date",
            unique=True,
            sqlite_where=text("status <> 'rejected'"),
            postgresql_where=text("status <> 'rejected'"),
        ),
        Index("ix_claim_status_sla", "status", "sla_due_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"), index=True)
    program: Mapped[str] = mapped_column(String(4))
    benefit: Mapped[str] = mapped_column(String(30))
    event_date: Mapped[dt.date] = mapped_column(Date)
    filed_on: Mapped[dt.date] = mapped_column(Date)
    reporter_kind: Mapped[str] = mapped_column(String(10))
    reporter_name: Mapped[str] = mapped_column(String(150))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    filed_by: Mapped[str] = mapped_column(String(80))
    filed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    inputs: Mapped[str] = mapped_column(Text)  # JSON: the benefit inputs (wage, months unable, balance, ...)
    assessment: Mapped[str] = mapped_column(Text)  # JSON: reasons, itemised benefit, rules, warnings
    eligible: Mapped[bool | None] = mapped_column(Boolean)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    complete_on: Mapped[dt.date | None] = mapped_column(Date)
    sla_due_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    approved_by: Mapped[str | None] = mapped_column(String(80))
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_amount: Mapped[int | None] = mapped_column(BigInteger)
    days_late: Mapped[int | None] = mapped_column(SmallInteger)
    late_compensation: Mapped[int | None] = mapped_column(BigInteger)
    payment_ref: Mapped[str | None] = mapped_column(String(80))
    rejection_reason: Mapped[str | None] = mapped_column(Text)


class ClaimHeir(Base):
    """An heir of a death benefit with the rank and share the assessment gave them."""

    __tablename__ = "claim_heir"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(150))
    nik: Mapped[str | None] = mapped_column(String(16))
    relationship: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    rank: Mapped[int] = mapped_column(SmallInteger)
    share_bp: Mapped[int] = mapped_column(SmallInteger)
    amount: Mapped[int] = mapped_column(BigInteger)


class ClaimDocument(Base):
    """A document of the checklist, received for a claim."""

    __tablename__ = "claim_document"
    __table_args__ = (Index("uq_claim_document_claim_code", "claim_id", "code", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"))
    code: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[dt.date] = mapped_column(Date)
    received_by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(300))


class ClaimEvent(Base):
    """One step of a claim's history (filed, document received, verified, approved, paid, rejected...)."""

    __tablename__ = "claim_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class ClaimHandover(Base):
    """A public handover of a paid benefit: who received what, when, where, witnessed by whom."""

    __tablename__ = "claim_handover"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    event_name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    received_by: Mapped[str] = mapped_column(String(150))
    received_relationship: Mapped[str | None] = mapped_column(String(30))
    amount: Mapped[int] = mapped_column(BigInteger)
    handed_by: Mapped[str] = mapped_column(String(150))
    witnesses: Mapped[str] = mapped_column(Text)  # one name per line
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ClaimDocumentRequest(Base):
    """The office asked the claimant for documents: the service-level clock stops until they arrive.

    ``paused_days`` (working days between the request and the arrival) is added to the deadline on arrival, so
    late compensation counts only the office's days.
    """

    __tablename__ = "claim_document_request"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    documents: Mapped[str] = mapped_column(String(300))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(80))
    arrived_on: Mapped[dt.date | None] = mapped_column(Date)
    received_by: Mapped[str | None] = mapped_column(String(80))
    paused_days: Mapped[int | None] = mapped_column(SmallInteger)
