"""Registry tables: persons (keyed by NIK), households, employers and memberships."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

SEGMENTS = ("pu", "bpu", "jakon", "pmi")
MEMBERSHIP_STATUSES = ("pending", "active", "lapsed", "ended", "nonaktif")
SIZE_CLASSES = ("micro", "small", "medium", "large")
REGISTERED_BY_KINDS = ("user", "agent", "self", "participant", "employer", "import", "demo")


class RegisteredBy:
    """Who put a record in the register: a user, a field agent, the worker, another participant (the JMO way)."""

    registered_by_kind: Mapped[str] = mapped_column(String(12))
    registered_by_label: Mapped[str | None] = mapped_column(String(120))
    registered_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)


class Household(Base, Timestamps):
    """A household (one family card, kartu keluarga) at one address."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kk_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    address: Mapped[str] = mapped_column(String(255))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))


class Person(Base, Timestamps, RegisteredBy):
    """A person, keyed by NIK."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("sex IN ('L', 'P')", name="sex"),
        CheckConstraint(f"registered_by_kind IN {REGISTERED_BY_KINDS}", name="registered_by_kind"),
        Index("ix_person_village_name", "village_code", "full_name"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    full_name: Mapped[str] = mapped_column(String(150))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(255))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    village_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    occupation: Mapped[str | None] = mapped_column(String(40))
    is_vulnerable: Mapped[bool] = mapped_column(Boolean, default=False)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)


class Employer(Base, Timestamps, RegisteredBy):
    """An employer (pemberi kerja / badan usaha), keyed by its BPJS registration number (NPP)."""

    __tablename__ = "employer"
    __table_args__ = (
        CheckConstraint(f"size_class IN {SIZE_CLASSES}", name="size_class"),
        CheckConstraint("jkk_risk_group BETWEEN 1 AND 5", name="jkk_risk_group"),
        CheckConstraint(f"registered_by_kind IN {REGISTERED_BY_KINDS}", name="registered_by_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    npwp: Mapped[str | None] = mapped_column(String(20), index=True)
    business_sector: Mapped[str] = mapped_column(String(40))
    size_class: Mapped[str] = mapped_column(String(8))
    jkk_risk_group: Mapped[int] = mapped_column(SmallInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    address: Mapped[str | None] = mapped_column(String(255))


class Membership(Base, Timestamps, RegisteredBy):
    """A person's membership in one segment (PU with an employer, BPU, Jakon, PMI) and its programmes."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint(f"segment IN {SEGMENTS}", name="segment"),
        CheckConstraint(f"status IN {MEMBERSHIP_STATUSES}", name="status"),
        CheckConstraint("segment <> 'pu' OR employer_id IS NOT NULL", name="pu_has_employer"),
        CheckConstraint(f"registered_by_kind IN {REGISTERED_BY_KINDS}", name="registered_by_kind"),
        Index("ix_membership_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    segment: Mapped[str] = mapped_column(String(6))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    programs: Mapped[str] = mapped_column(String(40))
    wage: Mapped[int | None] = mapped_column(BigInteger)
    declared_income: Mapped[int | None] = mapped_column(BigInteger)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="pending")


class CoverageChallenge(Base):
    """One anonymous coverage check: a one-time code sent to the phone on record, to be typed back.

    A challenge is made for every NIK asked about, known or not (``person_id`` is then empty and no code can
    match), so the answer and its timing say nothing about who is registered. Neither the NIK nor the code is
    stored in clear: a keyed digest of the NIK (for the per-NIK limit) and a hash of the code.
    """

    __tablename__ = "coverage_challenge"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random, URL-safe: the only thing in the address
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    nik_digest: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SearchResult(Base):
    """A NIK search's answer kept for its user: the register page shows it at ``/registry/results/<id>``, so that
    the NIK that was posted is never in an address, a log or the browser's history (only the random id is)."""

    __tablename__ = "registry_search_result"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random, URL-safe
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))  # None: not found
    region_code: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
