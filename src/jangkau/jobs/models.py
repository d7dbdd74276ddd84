"""Jobs tables: seekers and their skills, vacancies, applications, hires to register, training, announcements,
labour-service requests.

A seeker is a registry ``Person`` (by NIK); territory scope follows the person's village. Vacancies belong to an
employer and are public to seekers. Skills and preferred districts are kept twice: as text on the row (to show
and to score) and as one row per skill (to find candidates by index, see ``repository.match_candidates``).
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
from sqlalchemy.sql.expression import true

from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

EDUCATION_LEVELS = ("none", "sd", "smp", "sma", "smk", "d1", "d3", "s1", "s2")
AVAILABILITY = ("now", "soon", "not_looking")
CONTRACT_TYPES = ("pkwtt", "pkwt", "harian", "borongan", "paruh_waktu")
WAGE_PERIODS = ("month", "day")
VACANCY_STATUSES = ("open", "closed")
APPLICATION_STATUSES = ("applied", "interviewed", "hired", "rejected")
HIRE_STATUSES = ("waiting", "registered", "finding")
REQUEST_KINDS = ("kartu_ak1", "employer_complaint", "job_counselling")
REQUEST_STATUSES = ("submitted", "in_process", "done", "rejected")
HELPER_KINDS = ("self", "agent", "office", "operator")


class Seeker(Base, Timestamps):
    """A job seeker's profile (pencari kerja), one per person."""

    __tablename__ = "jobs_seeker"
    __table_args__ = (
        CheckConstraint(f"education IN {EDUCATION_LEVELS}", name="education"),
        CheckConstraint(f"availability IN {AVAILABILITY}", name="availability"),
        CheckConstraint(f"maintained_by_kind IN {HELPER_KINDS}", name="maintained_by_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    education: Mapped[str] = mapped_column(String(6))
    experience_years: Mapped[int] = mapped_column(SmallInteger, default=0)
    experience: Mapped[str | None] = mapped_column(String(1000))
    skills: Mapped[str] = mapped_column(String(800))  # comma-separated skill slugs, sorted
    preferred_districts: Mapped[str] = mapped_column(String(400), default="")  # comma-separated kecamatan codes
    expected_wage: Mapped[int | None] = mapped_column(BigInteger)
    availability: Mapped[str] = mapped_column(String(12), default="now")
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    maintained_by_kind: Mapped[str] = mapped_column(String(10))
    maintained_by_label: Mapped[str | None] = mapped_column(String(120))
    ak1_number: Mapped[str | None] = mapped_column(String(30))


class SeekerSkill(Base):
    """One skill of a seeker: the index that finds and ranks candidates for a vacancy without reading every seeker.

    It carries copies of what the match points need from the profile (looking or not, preferred kecamatan, expected
    wage), written with the skills by ``repository.replace_seeker_skills`` whenever the profile is saved, so that
    ranking reads one covering index (``ix_jobs_seeker_skill_match``) instead of one seeker row per candidate.
    """

    __tablename__ = "jobs_seeker_skill"
    __table_args__ = (
        Index("ix_jobs_seeker_skill_seeker", "seeker_id"),
        Index("ix_jobs_seeker_skill_match", "skill", "looking", "seeker_id", "expected_wage", "preferred_districts"),
    )

    skill: Mapped[str] = mapped_column(String(40), primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("jobs_seeker.id", ondelete="CASCADE"), primary_key=True)
    looking: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    expected_wage: Mapped[int | None] = mapped_column(BigInteger)
    preferred_districts: Mapped[str] = mapped_column(String(400), default="", server_default="")


class Vacancy(Base, Timestamps):
    """A job posted by an employer, with the minimum-wage check it passed."""

    __tablename__ = "jobs_vacancy"
    __table_args__ = (
        CheckConstraint(f"contract_type IN {CONTRACT_TYPES}", name="contract_type"),
        CheckConstraint(f"wage_period IN {WAGE_PERIODS}", name="wage_period"),
        CheckConstraint(f"status IN {VACANCY_STATUSES}", name="status"),
        CheckConstraint("wage_offered > 0", name="wage_positive"),
        CheckConstraint("openings > 0", name="openings_positive"),
        Index("ix_jobs_vacancy_status_district", "status", "district_code"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    sector: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(String(2000))
    skills: Mapped[str] = mapped_column(String(800))
    wage_offered: Mapped[int] = mapped_column(BigInteger)
    wage_period: Mapped[str] = mapped_column(String(5), default="month")
    monthly_wage: Mapped[int] = mapped_column(BigInteger)  # the offer as a monthly wage (daily x 25)
    district_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    contract_type: Mapped[str] = mapped_column(String(12))
    openings: Mapped[int] = mapped_column(SmallInteger, default=1)
    status: Mapped[str] = mapped_column(String(8), default="open")
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    wage_check: Mapped[str] = mapped_column(Text)  # JSON: floor, level, rules used, warnings
    posted_by: Mapped[str] = mapped_column(String(80))


class VacancySkill(Base):
    """One skill an open vacancy wants (the index for "vacancies for a seeker")."""

    __tablename__ = "jobs_vacancy_skill"
    __table_args__ = (Index("ix_jobs_vacancy_skill_vacancy", "vacancy_id"),)

    skill: Mapped[str] = mapped_column(String(40), primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("jobs_vacancy.id", ondelete="CASCADE"), primary_key=True)


class Application(Base, Timestamps):
    """A seeker's application to a vacancy and where it stands."""

    __tablename__ = "jobs_application"
    __table_args__ = (
        CheckConstraint(f"status IN {APPLICATION_STATUSES}", name="status"),
        UniqueConstraint("vacancy_id", "seeker_id", name="uq_jobs_application_vacancy_seeker"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("jobs_vacancy.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("jobs_seeker.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="applied")
    score: Mapped[int] = mapped_column(SmallInteger, default=0)
    note: Mapped[str | None] = mapped_column(String(500))


class ApplicationEvent(Base):
    """One change of an application's status: who, when, from what to what."""

    __tablename__ = "jobs_application_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("jobs_application.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Hire(Base, Timestamps):
    """A hire the employer must register as a PU member within 30 days (PP 45/2015), and how that went."""

    __tablename__ = "jobs_hire"
    __table_args__ = (
        CheckConstraint(f"status IN {HIRE_STATUSES}", name="status"),
        Index("ix_jobs_hire_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("jobs_application.id"), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    wage: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id"), index=True)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("compliance_finding.id"), index=True)


class Training(Base, Timestamps):
    """A training programme (pelatihan) with a fixed number of seats."""

    __tablename__ = "jobs_training"
    __table_args__ = (
        CheckConstraint("seats > 0", name="seats_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_not_oversold"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(150))
    provider: Mapped[str] = mapped_column(String(150))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    seats: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    skills: Mapped[str] = mapped_column(String(800), default="")
    description: Mapped[str | None] = mapped_column(String(2000))
    created_by: Mapped[str] = mapped_column(String(80))


class TrainingSignup(Base):
    """A person's seat in a training programme."""

    __tablename__ = "jobs_training_signup"
    __table_args__ = (UniqueConstraint("training_id", "person_id", name="uq_jobs_training_signup_person"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("jobs_training.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    signed_up_by: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Announcement(Base):
    """An announcement (pengumuman) from the manpower office, shown on the public page."""

    __tablename__ = "jobs_announcement"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(4000))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    published_on: Mapped[dt.date] = mapped_column(Date)
    visible_until: Mapped[dt.date | None] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ServiceRequest(Base, Timestamps):
    """A labour-service request filed online (job-seeker card AK/1, a complaint about an employer, counselling)."""

    __tablename__ = "jobs_request"
    __table_args__ = (
        CheckConstraint(f"kind IN {REQUEST_KINDS}", name="kind"),
        CheckConstraint(f"status IN {REQUEST_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(13), index=True)  # the person's village: the office's scope
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    details: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(12), default="submitted")
    answer: Mapped[str | None] = mapped_column(String(1000))
    filed_by: Mapped[str] = mapped_column(String(80))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceRequestEvent(Base):
    """One status change of a request, shown to the person who follows it by its tracking code."""

    __tablename__ = "jobs_request_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("jobs_request.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(1000))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
