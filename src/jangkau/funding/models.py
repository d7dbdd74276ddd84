"""Funding tables: payers, sponsorship programmes and enrolments, the bill/payment ledger, protected months, outbox.

The ledger (``funding_bill``, ``funding_bill_line``, ``funding_payment``, ``funding_paid_month``) is append-only:
the migration installs triggers that refuse UPDATE and DELETE on both databases. A correction is a new entry.
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
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

SPONSOR_KINDS = ("apbd", "apbdes", "dana_desa", "csr_bumn", "csr_bumd", "csr_private", "donor", "wadah")
PAYER_KINDS = ("self", "employer", *SPONSOR_KINDS)
BILL_KINDS = ("pu", "bpu", "sponsor", "fine", "adjust")
PAYMENT_KINDS = ("payment", "reversal")
PREPAY_MONTHS = (1, 3, 6, 12)
REMINDER_KINDS = ("before_due", "missed")


class Payer(Base, Timestamps):
    """Who pays: the worker (``self``), an employer, or a sponsor (APBD, APBDes, Dana Desa, CSR, donor, wadah)."""

    __tablename__ = "funding_payer"
    __table_args__ = (
        CheckConstraint(f"kind IN {PAYER_KINDS}", name="kind"),
        CheckConstraint("kind <> 'self' OR person_id IS NOT NULL", name="self_has_person"),
        CheckConstraint("kind <> 'employer' OR employer_id IS NOT NULL", name="employer_has_employer"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))


class MembershipPayer(Base, Timestamps):
    """Who pays a BPU membership when it is not the worker alone (a wadah, a donor), and the prepayment period."""

    __tablename__ = "funding_membership_payer"
    __table_args__ = (CheckConstraint(f"prepay_months IN {PREPAY_MONTHS}", name="prepay_months"),)

    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"), primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"), index=True)
    prepay_months: Mapped[int] = mapped_column(SmallInteger, default=1)


class Programme(Base, Timestamps):
    """A sponsorship programme: a sponsor funds a package for workers meeting criteria, within a budget."""

    __tablename__ = "funding_programme"
    __table_args__ = (
        CheckConstraint("budget > 0", name="budget_positive"),
        CheckConstraint("months BETWEEN 1 AND 120", name="months_range"),
        CheckConstraint("quota IS NULL OR quota > 0", name="quota_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    programs: Mapped[str] = mapped_column(String(40))
    declared_income: Mapped[int] = mapped_column(BigInteger)
    start_month: Mapped[dt.date] = mapped_column(Date)
    months: Mapped[int] = mapped_column(SmallInteger)
    budget: Mapped[int] = mapped_column(BigInteger)
    quota: Mapped[int | None] = mapped_column(Integer)
    region_prefix: Mapped[str | None] = mapped_column(String(13))
    segment: Mapped[str] = mapped_column(String(6), default="bpu")
    occupations: Mapped[str | None] = mapped_column(String(400))
    vulnerable_only: Mapped[bool] = mapped_column(Boolean, default=False)
    min_age: Mapped[int | None] = mapped_column(SmallInteger)
    max_age: Mapped[int | None] = mapped_column(SmallInteger)


class Sponsorship(Base):
    """One worker enrolled in a programme for ``first_month``..``last_month``, with the cost committed for it."""

    __tablename__ = "funding_sponsorship"
    __table_args__ = (
        UniqueConstraint("programme_id", "membership_id", name="uq_funding_sponsorship_programme_membership"),
        Index("ix_funding_sponsorship_membership_months", "membership_id", "first_month", "last_month"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("funding_programme.id"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    first_month: Mapped[dt.date] = mapped_column(Date)
    last_month: Mapped[dt.date] = mapped_column(Date)
    committed: Mapped[int] = mapped_column(BigInteger)
    enrolled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    enrolled_by: Mapped[str] = mapped_column(String(80))


class Bill(Base):
    """What a payer owes for a month (one per payer, month and kind; a correction is a new ``adjust`` entry)."""

    __tablename__ = "funding_bill"
    __table_args__ = (
        CheckConstraint(f"kind IN {BILL_KINDS}", name="kind"),
        UniqueConstraint("payer_id", "month", "kind", "seq", name="uq_funding_bill_payer_month_kind"),
        Index("ix_funding_bill_month_kind", "month", "kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"))
    month: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(SmallInteger, default=0)
    due_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    corrects_bill_id: Mapped[int | None] = mapped_column(ForeignKey("funding_bill.id"))
    note: Mapped[str | None] = mapped_column(String(300))
    batch: Mapped[str | None] = mapped_column(String(60), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class BillLine(Base):
    """One member's contribution for one month on a bill (at most one line per membership and month)."""

    __tablename__ = "funding_bill_line"
    __table_args__ = (UniqueConstraint("membership_id", "month", name="uq_funding_bill_line_membership_month"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("funding_bill.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"))
    # the membership's person, copied by the billing run: no foreign key of its own (the membership's holds it)
    person_id: Mapped[int] = mapped_column(BigId, index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)


class StatementImport(Base):
    """One bank or payment-channel statement file that was imported, with what came of it."""

    __tablename__ = "funding_statement_import"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(30))
    lines: Mapped[int] = mapped_column(Integer, default=0)
    recorded: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80))


class Payment(Base):
    """Money received against a bill (or a ``reversal`` with a negative amount). Never edited."""

    __tablename__ = "funding_payment"
    __table_args__ = (
        CheckConstraint(f"kind IN {PAYMENT_KINDS}", name="kind"),
        CheckConstraint("(kind = 'payment' AND amount > 0) OR (kind = 'reversal' AND amount < 0)", name="sign"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("funding_bill.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="payment")
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(30))
    external_ref: Mapped[str | None] = mapped_column(String(80))
    line_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("funding_statement_import.id"), index=True)
    reverses_payment_id: Mapped[int | None] = mapped_column(ForeignKey("funding_payment.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80))


class PaymentReview(Base):
    """A statement line that could not be recorded (unknown bill, bad amount...), waiting for a person to look."""

    __tablename__ = "funding_payment_review"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("funding_statement_import.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    line_key: Mapped[str] = mapped_column(String(64), unique=True)
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    reason_id: Mapped[str] = mapped_column(String(300), default="", server_default="")  # the reason in Indonesian
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PaidMonth(Base):
    """A protected month of a membership, granted when the bill holding its line was paid in full."""

    __tablename__ = "funding_paid_month"

    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("funding_bill.id"), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)


class Reminder(Base):
    """The former outbox of reminders (before issue 21): no longer written; reminders are notify messages now.
    Kept so that rows made before the upgrade stay readable (dropping the table is left to a later migration)."""

    __tablename__ = "funding_reminder"
    __table_args__ = (
        CheckConstraint(f"kind IN {REMINDER_KINDS}", name="kind"),
        UniqueConstraint("bill_id", "kind", name="uq_funding_reminder_bill_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("funding_bill.id"))
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(10))
    to_phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    queued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(8), default="queued")


class PayerUser(Base):
    """A sign-in that speaks for a sponsor (the APBD treasurer, a CSR officer): it reads that sponsor's figures only."""

    __tablename__ = "funding_payer_user"

    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Allocation(Base):
    """Money of a payment put on a bill line (a BPU month) or a whole bill; a negative entry undoes one (reversal).

    Append-only. A slot is paid in full when its entries add up to its amount (``rules.allocation``: whole slots
    only); ``funding_paid_month`` is kept in step in the same transaction.
    """

    __tablename__ = "funding_allocation"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_nonzero"),
        Index("ix_funding_allocation_payer_id", "payer_id"),
        Index("ix_funding_allocation_bill_id", "bill_id"),
        Index("ix_funding_allocation_bill_line_id", "bill_line_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("funding_payment.id"), index=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("funding_bill.id"))
    bill_line_id: Mapped[int | None] = mapped_column(ForeignKey("funding_bill_line.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Credit(Base):
    """A change of a payer's unused credit (money paid and not allocated); append-only, the balance is the sum.

    ``needs_review`` marks money that came without any open bill to pay (kept, and listed for an officer).
    """

    __tablename__ = "funding_credit"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount_nonzero"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("funding_payer.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("funding_payment.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PaymentChannel(Base, Timestamps):
    """A way to pay contributions that the branch office lists on cards and receipts (a bank's virtual account, a
    post office, a minimarket), edited by its officers on ``/funding/channels``."""

    __tablename__ = "funding_payment_channel"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    instructions: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(80), default="")


REQUEST_STATUSES = ("pending", "approved", "rejected")


class SponsorshipRequest(Base, Timestamps):
    """An enrolment charged to a sponsor's programme by someone who is not the programme's staff (a worker, an
    employer, a field agent): it waits for the sponsor's officer, who approves it (the sponsorship is made against
    the criteria and the remaining budget) or rejects it with a reason the requester sees."""

    __tablename__ = "funding_sponsorship_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status_known"),
        Index("ix_funding_sponsorship_request_programme_status", "programme_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("funding_programme.id"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    requested_by: Mapped[str] = mapped_column(String(80))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))
    sponsorship_id: Mapped[int | None] = mapped_column(ForeignKey("funding_sponsorship.id"))
