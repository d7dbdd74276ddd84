"""Input shapes of the jobs domain (shared by the API, the pages and the CLI)."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jangkau.jobs.models import (
    APPLICATION_STATUSES,
    AVAILABILITY,
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    REQUEST_KINDS,
    REQUEST_STATUSES,
    WAGE_PERIODS,
)

MAX_SKILLS = 20
_SLUG = re.compile(r"[^a-z0-9]+")


def _pattern(values: tuple[str, ...]) -> str:
    return f"^({'|'.join(values)})$"


def skill_slug(text: str) -> str:
    """``"Las Listrik"`` -> ``las_listrik``: how skills are compared (lower case, words joined by ``_``)."""
    return _SLUG.sub("_", text.strip().lower()).strip("_")[:40]


def clean_skills(values: list[str] | str) -> list[str]:
    """Skills as sorted, distinct slugs (a comma-separated string is accepted too)."""
    items = values.split(",") if isinstance(values, str) else values
    return sorted({slug for slug in (skill_slug(v) for v in items) if slug})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SeekerIn(_Strict):
    """A job-seeker profile, for the person with this NIK (the registry's person)."""

    nik: str | None = Field(default=None, max_length=32, description="NIK of a registered person; workers omit it")
    skills: list[str] = Field(min_length=1, max_length=MAX_SKILLS)
    education: str = Field(pattern=_pattern(EDUCATION_LEVELS))
    experience_years: int = Field(default=0, ge=0, le=60)
    experience: str | None = Field(default=None, max_length=1000)
    preferred_districts: list[str] = Field(default_factory=list, max_length=10, description="Kecamatan codes")
    expected_wage: int | None = Field(default=None, ge=0, le=1_000_000_000, description="Monthly, whole Rupiah")
    availability: str = Field(default="now", pattern=_pattern(AVAILABILITY))
    available_from: dt.date | None = None

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        cleaned = clean_skills(value)
        if not cleaned:
            raise ValueError("name at least one skill")
        return cleaned


class VacancyIn(_Strict):
    """A vacancy an employer posts."""

    employer_id: int | None = Field(default=None, description="Filled in from the account for employers")
    title: str = Field(min_length=1, max_length=150)
    sector: str = Field(min_length=1, max_length=40)
    description: str | None = Field(default=None, max_length=2000)
    skills: list[str] = Field(min_length=1, max_length=MAX_SKILLS)
    wage_offered: int = Field(description="Whole Rupiah per month (or per day for wage_period=day)")
    wage_period: str = Field(default="month", pattern=_pattern(WAGE_PERIODS))
    district_code: str = Field(min_length=1, max_length=20, description="Kecamatan code, e.g. 12.71.01")
    contract_type: str = Field(pattern=_pattern(CONTRACT_TYPES))
    openings: int = Field(default=1, ge=1, le=1000)
    closes_on: dt.date | None = None

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        cleaned = clean_skills(value)
        if not cleaned:
            raise ValueError("name at least one skill")
        return cleaned


class ApplicationIn(_Strict):
    """Apply to a vacancy (a worker for themselves; staff name the seeker)."""

    vacancy_id: int
    seeker_id: int | None = None
    note: str | None = Field(default=None, max_length=500)


class StatusIn(_Strict):
    """Move an application on; ``start_date`` is the first working day of a hire."""

    status: str = Field(pattern=_pattern(APPLICATION_STATUSES))
    note: str | None = Field(default=None, max_length=500)
    start_date: dt.date | None = None


class TrainingIn(_Strict):
    """A training programme."""

    title: str = Field(min_length=1, max_length=150)
    provider: str = Field(min_length=1, max_length=150)
    region_code: str = Field(min_length=1, max_length=20)
    starts_on: dt.date
    ends_on: dt.date
    seats: int = Field(ge=1, le=10_000)
    skills: list[str] = Field(default_factory=list, max_length=MAX_SKILLS)
    description: str | None = Field(default=None, max_length=2000)


class AnnouncementIn(_Strict):
    """An announcement from the manpower office."""

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=4000)
    region_code: str = Field(min_length=1, max_length=20)
    published_on: dt.date | None = None
    visible_until: dt.date | None = None


class RequestIn(_Strict):
    """A labour-service request; staff helping a person give the person's NIK."""

    kind: str = Field(pattern=_pattern(REQUEST_KINDS))
    details: str = Field(min_length=1, max_length=2000)
    nik: str | None = Field(default=None, max_length=32)
    employer_id: int | None = None


class RequestStatusIn(_Strict):
    """The office moves a request on."""

    status: str = Field(pattern=_pattern(REQUEST_STATUSES))
    note: str | None = Field(default=None, max_length=1000)
