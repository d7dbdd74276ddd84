"""Shapes of the jobs domain: ``XIn`` for input (shared by the API, the pages and the CLI), ``XRead`` for every
JSON response (so that ``/openapi.json`` describes what comes back).

The serialisers are classmethods of the ``XRead`` models: :meth:`SeekerRead.for_caller` masks the NIK for everyone
but the person themselves (and hides who a candidate is from an employer that does not own them). Money is whole
Rupiah; scores are numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jangkau.jobs.models import (
    APPLICATION_STATUSES,
    AVAILABILITY,
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    REQUEST_KINDS,
    REQUEST_STATUSES,
    WAGE_PERIODS,
    Application,
    Hire,
    Seeker,
    ServiceRequest,
    Training,
    Vacancy,
)
from jangkau.jobs.rules.matching import split
from jangkau.kit.masking import mask_nik

if TYPE_CHECKING:
    from jangkau.auth.principal import Principal
    from jangkau.registry.models import Employer, Person

T = TypeVar("T")

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


# --- responses ---------------------------------------------------------------------------------------------


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class JobsRuleRead(_Read):
    """A rule version a result used, with its citation and evidence status."""

    id: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    status: str


class _Trail(_Read):
    rules: list[JobsRuleRead] = Field(default_factory=list, description="rule versions used")
    warnings: list[str] = Field(default_factory=list)


class MaintainedByRead(_Read):
    kind: str | None
    label: str | None


class SeekerRead(_Read):
    """A job-seeker profile; the NIK is shown in full only to the person themselves."""

    id: int
    person_id: int | None
    nik: str | None
    full_name: str | None
    village_code: str = Field(description="the district only, for an anonymous candidate")
    education: str
    experience_years: int
    experience: str | None
    skills: list[str]
    preferred_districts: list[str]
    expected_wage: int | None = Field(description="monthly, whole Rupiah")
    availability: str
    available_from: dt.date | None
    maintained_by: MaintainedByRead
    ak1_number: str | None

    @classmethod
    def for_caller(cls, seeker: Seeker, person: Person, principal: Principal, anonymous: bool = False) -> SeekerRead:
        """The profile as ``principal`` may see it.

        ``anonymous``: a candidate an employer may consider but does not own (not an applicant to its vacancies):
        skills and wishes only, with no name, NIK or village (the district is kept).
        """
        own = principal.person_id is not None and principal.person_id == person.id
        return cls(
            id=seeker.id,
            person_id=None if anonymous else person.id,
            nik=None if anonymous else (person.nik if own else mask_nik(person.nik)),
            full_name=None if anonymous else person.full_name,
            village_code=person.village_code.rsplit(".", 1)[0] if anonymous else person.village_code,
            education=seeker.education,
            experience_years=seeker.experience_years,
            experience=seeker.experience,
            skills=split(seeker.skills),
            preferred_districts=split(seeker.preferred_districts),
            expected_wage=seeker.expected_wage,
            availability=seeker.availability,
            available_from=seeker.available_from,
            maintained_by=MaintainedByRead(kind=seeker.maintained_by_kind, label=seeker.maintained_by_label),
            ak1_number=seeker.ak1_number,
        )


class FindingBriefRead(_Read):
    kind: str
    month: str = Field(description="YYYY-MM")
    summary: str = ""
    summary_id: str


class StandingRead(_Read):
    """What a seeker sees of an employer's compliance: score, open findings and cases, a flag, and why."""

    score: int
    open_findings: int
    open_cases: int
    flagged: bool
    findings: list[FindingBriefRead]
    explanation: list[str]
    explanation_id: list[str] = Field(default_factory=list, description="the explanation in Bahasa Indonesia")

    @classmethod
    def brief(cls, standing: dict[str, Any]) -> StandingRead:
        """From the compliance domain's standing (``Standing.as_dict()``)."""
        findings = standing.get("open_findings", [])
        return cls(
            score=standing.get("score", 0),
            open_findings=len(findings),
            open_cases=len(standing.get("open_cases", [])),
            flagged=bool(findings),
            findings=[
                FindingBriefRead(
                    kind=f["kind"], month=f["month"], summary=f.get("summary", ""), summary_id=f["summary_id"]
                )
                for f in findings
            ],
            explanation=standing.get("explanation", []),
            explanation_id=standing.get("explanation_id", []),
        )


class EmployerBriefRead(_Read):
    id: int
    name: str
    village_code: str | None = None
    standing: StandingRead | None = None


class WageCheckRead(_Trail):
    """The offer as a monthly wage against the UMK/UMP it was checked against (whole Rupiah)."""

    offered: int
    period: str
    monthly: int
    checked: bool
    floor: int | None
    level: str | None
    floor_name: str | None
    floor_month: str | None = Field(description="YYYY-MM")


class VacancyRead(_Read):
    """A vacancy with its employer and, where known, the employer's compliance standing."""

    id: int
    title: str
    sector: str
    description: str | None
    skills: list[str]
    wage_offered: int
    wage_period: str
    monthly_wage: int
    district_code: str
    contract_type: str
    openings: int
    status: str
    closes_on: dt.date | None
    employer: EmployerBriefRead
    wage_check: WageCheckRead

    @classmethod
    def of(cls, vacancy: Vacancy, employer: Employer, standing: Mapping[str, Any] | None = None) -> VacancyRead:
        """``standing``: the employer's :class:`StandingRead` as a dict (``jobs.service.standing_of``)."""
        return cls(
            id=vacancy.id,
            title=vacancy.title,
            sector=vacancy.sector,
            description=vacancy.description,
            skills=split(vacancy.skills),
            wage_offered=vacancy.wage_offered,
            wage_period=vacancy.wage_period,
            monthly_wage=vacancy.monthly_wage,
            district_code=vacancy.district_code,
            contract_type=vacancy.contract_type,
            openings=vacancy.openings,
            status=vacancy.status,
            closes_on=vacancy.closes_on,
            employer=EmployerBriefRead(
                id=employer.id,
                name=employer.name,
                village_code=employer.village_code,
                standing=None if standing is None else StandingRead.model_validate(standing),
            ),
            wage_check=WageCheckRead.model_validate(json.loads(vacancy.wage_check)),
        )


class ApplicantRead(_Read):
    id: int
    status: str
    score: int
    seeker_id: int
    full_name: str


class VacancyDetailRead(VacancyRead):
    may_manage: bool = Field(description="the caller owns the vacancy or manages its territory")
    applications: list[ApplicantRead] | None = Field(default=None, description="only for who may manage")


class PartRead(_Read):
    points: int
    max: int
    why: str
    why_id: str


class PartsRead(_Read):
    skills: PartRead
    district: PartRead
    wage: PartRead


class _Score(_Read):
    score: int = Field(description="out of 100")
    parts: PartsRead
    matched_skills: list[str]


class SeekerMatchRead(SeekerRead, _Score):
    rank: int


class SeekerMatchesRead(_Read):
    vacancy_id: int
    items: list[SeekerMatchRead]


class VacancyMatchRead(VacancyRead, _Score):
    rank: int


class VacancyMatchesRead(_Read):
    seeker_id: int
    items: list[VacancyMatchRead]


class ApplicationRead(_Read):
    id: int
    vacancy_id: int
    seeker_id: int
    status: str
    score: int
    note: str | None

    @classmethod
    def of(cls, application: Application) -> ApplicationRead:
        return cls.model_validate(application)


class AppliedRead(ApplicationRead):
    """A new application with the parts of its score."""

    parts: PartsRead
    matched_skills: list[str]


class HireEmployerRead(_Read):
    id: int
    name: str


class HireRead(_Read):
    """A hire on its road to coverage (NIK masked)."""

    id: int
    application_id: int
    employer: HireEmployerRead
    person_id: int
    full_name: str
    nik: str | None
    wage: int
    start_date: dt.date
    due_on: dt.date
    status: str = Field(description="waiting, registered or finding")
    membership_id: int | None
    registered_on: dt.date | None
    finding_id: int | None
    rule: str | None = None

    @classmethod
    def of(cls, hire: Hire, person: Person, employer: Employer, rule: str | None = None) -> HireRead:
        return cls(
            id=hire.id,
            application_id=hire.application_id,
            employer=HireEmployerRead(id=employer.id, name=employer.name),
            person_id=person.id,
            full_name=person.full_name,
            nik=mask_nik(person.nik),
            wage=hire.wage,
            start_date=hire.start_date,
            due_on=hire.due_on,
            status=hire.status,
            membership_id=hire.membership_id,
            registered_on=hire.registered_on,
            finding_id=hire.finding_id,
            rule=rule,
        )


class MovedRead(ApplicationRead):
    hire: HireRead | None = Field(default=None, description="the registration task a hire opens")


class HireRegisteredRead(HireRead, _Trail):
    programs: list[str]
    late: bool


class HistoryEntryRead(_Read):
    from_status: str | None = Field(alias="from")
    to_status: str = Field(alias="to")
    by: str | None
    note: str | None
    at: dt.datetime


class HireCheckErrorRead(_Read):
    hire_id: int
    error: str


class HireCheckRead(_Read):
    day: dt.date
    checked: int
    registered: int
    findings: int
    still_waiting: int
    errors: list[HireCheckErrorRead]
    rule: str


class TrainingRead(_Read):
    id: int
    title: str
    provider: str
    region_code: str
    starts_on: dt.date
    ends_on: dt.date
    seats: int
    seats_taken: int
    seats_left: int
    skills: list[str]
    description: str | None

    @classmethod
    def of(cls, training: Training) -> TrainingRead:
        return cls(
            id=training.id,
            title=training.title,
            provider=training.provider,
            region_code=training.region_code,
            starts_on=training.starts_on,
            ends_on=training.ends_on,
            seats=training.seats,
            seats_taken=training.seats_taken,
            seats_left=training.seats - training.seats_taken,
            skills=split(training.skills),
            description=training.description,
        )


class SignupRead(_Read):
    signup_id: int
    person_id: int
    training: TrainingRead


class AnnouncementRead(_Read):
    id: int
    title: str
    body: str
    region_code: str
    published_on: dt.date
    visible_until: dt.date | None


class BoardRead(_Read):
    training: list[TrainingRead]
    announcements: list[AnnouncementRead]


class RequestEventRead(_Read):
    status: str
    note: str | None
    at: dt.datetime


class RequestRead(_Read):
    """A request as its filer follows it: no personal data, only what was asked and where it stands."""

    id: int
    tracking_code: str
    kind: str
    status: str
    answer: str | None
    filed_at: dt.datetime
    history: list[RequestEventRead] | None = None

    @classmethod
    def of(cls, request: ServiceRequest, events: list[dict[str, Any]] | None = None) -> RequestRead:
        return cls(
            id=request.id,
            tracking_code=request.tracking_code,
            kind=request.kind,
            status=request.status,
            answer=request.answer,
            filed_at=request.created_at,
            history=None if events is None else [RequestEventRead.model_validate(e) for e in events],
        )


class QueuedRequestRead(RequestRead):
    details: str


class MyApplicationRead(ApplicationRead):
    title: str
    employer: str


class SeekerMeRead(_Read):
    """The signed-in worker's profile, applications, training and requests."""

    profile: SeekerRead | None
    applications: list[MyApplicationRead]
    training: list[TrainingRead]
    requests: list[RequestRead]
