"""Input shapes of the compliance domain (shared by the API, the pages and the CLI)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from jangkau.compliance.models import FINDING_KINDS, STEP_KINDS
from jangkau.funding.schemas import TrailRead

if TYPE_CHECKING:
    from jangkau.compliance.imports import ImportResult


class FindingIn(BaseModel):
    """A finding recorded by another domain or a person (e.g. an unregistered hire after 30 days)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employer_id: int
    kind: str = Field(pattern=f"^({'|'.join(FINDING_KINDS)})$")
    month: dt.date = Field(description="Any day of the month the finding is about")
    subject: str = Field(min_length=1, max_length=60, description="Tells findings of one kind and month apart")
    summary: str = Field(min_length=1, max_length=400)
    summary_id: str | None = Field(default=None, max_length=400)
    evidence: dict[str, Any] = Field(default_factory=dict)
    workers: int = Field(default=1, ge=1, le=100_000, description="Workers concerned (PDS TK)")
    wage: int | None = Field(default=None, ge=0, description="Monthly wage of the workers concerned, if known")


class CaseIn(BaseModel):
    """Open a case (the assessment step) on some of an employer's open findings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employer_id: int
    finding_ids: list[int] = Field(default_factory=list, description="Empty: every open finding of the employer")
    on_date: dt.date | None = None
    note: str | None = Field(default=None, max_length=1000)


class StepIn(BaseModel):
    """One step of a case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(pattern=f"^({'|'.join(k for k in STEP_KINDS if k != 'assessment')})$")
    on_date: dt.date | None = None
    note: str | None = Field(default=None, max_length=1000)
    partner: str | None = Field(default=None, max_length=120, description="Joint visit / SKK: Disnaker, Kejaksaan")
    amount: int | None = Field(default=None, ge=0, description="Payment step: contribution recovered, Rupiah")


class LinkIn(BaseModel):
    """A person's decision on evidence waiting for review: link it to an employer, or to none."""

    model_config = ConfigDict(extra="forbid")

    employer_id: int | None


# --- responses (``XRead``): money is integer Rupiah, months ``YYYY-MM`` ------------------------------------------


class FindingRead(TrailRead):
    """A finding on an employer: kind, month, what it implies is unpaid a month, its risk points, the rules used."""

    id: int
    employer_id: int
    kind: str
    month: str = Field(description="YYYY-MM")
    subject: str
    status: str
    origin: str
    summary: str
    summary_id: str | None
    unpaid_per_month: int
    points: int
    case_id: int | None
    evidence: dict[str, Any]


class RiskRowRead(BaseModel):
    employer_id: int
    registration_number: str | None
    name: str
    size_class: str | None
    village_code: str | None
    score: int = Field(description="0-100")
    open_findings: int
    unpaid_per_month: int


class RiskPageRead(BaseModel):
    """One page of employers by risk of non-compliance, highest first."""

    total: int
    page: int
    pages: int
    items: list[RiskRowRead]


class ComplianceEmployerRead(BaseModel):
    id: int
    registration_number: str | None
    name: str
    size_class: str | None
    jkk_risk_group: int | None
    village_code: str | None


class CaseBriefRead(BaseModel):
    id: int
    status: str
    opened_on: dt.date
    deadline: dt.date | None


class ReportedMonthRead(BaseModel):
    month: str = Field(description="YYYY-MM")
    source: str
    workers: int
    total_wage: int


class ComplianceEvidenceRead(BaseModel):
    id: int
    kind: str
    ref: str | None
    observed_on: dt.date
    workers: int | None
    average_wage: int | None
    link: str | None = Field(description="how it was linked: exact, name, manual")
    score: int | None


class EmployerComplianceRead(BaseModel):
    """An employer's risk score and why, open findings and cases, reported months, evidence and every case."""

    employer: ComplianceEmployerRead
    employer_id: int
    score: int
    open_findings: list[FindingRead]
    open_cases: list[CaseBriefRead]
    explanation: list[str]
    explanation_id: list[str] = Field(default_factory=list, description="the explanation in Bahasa Indonesia")
    reports: list[ReportedMonthRead]
    evidence: list[ComplianceEvidenceRead]
    cases: list[CaseBriefRead]


class CaseEmployerRead(BaseModel):
    id: int
    name: str
    registration_number: str | None
    address: str | None
    village_code: str | None


class CaseStepRead(BaseModel):
    id: int
    kind: str
    name_id: str = Field(description="the step's name in Bahasa Indonesia")
    on_date: dt.date
    deadline: dt.date | None
    amount: int | None
    partner: str | None
    note: str | None
    actor: str


class CaseDocumentRead(BaseModel):
    id: int
    kind: str
    file_name: str
    sha256: str
    size: int
    created_by: str
    created_at: dt.datetime
    step_id: int | None


class CaseRead(TrailRead):
    """A case with its employer, findings, steps, documents and the steps that may come next."""

    id: int
    status: str
    status_id: str = Field(description="the status in Bahasa Indonesia")
    opened_on: dt.date
    deadline: dt.date | None
    closed_on: dt.date | None
    owed_per_month: int
    fine_amount: int
    recovered: int
    employer: CaseEmployerRead
    findings: list[FindingRead]
    steps: list[CaseStepRead]
    documents: list[CaseDocumentRead]
    next_steps: list[str]


class DocumentKeptRead(BaseModel):
    """A document kept with a case (a generated letter also tells where the file is kept)."""

    id: int
    case_id: int
    kind: str
    file_name: str
    path: str | None = None
    sha256: str
    size: int


class LinkCandidateRead(BaseModel):
    employer_id: int
    name: str
    score: int


class ReviewRowRead(BaseModel):
    """A row whose employer is ambiguous: it waits for a person to choose among the candidates."""

    line: int
    ref: str
    name: str
    candidates: list[LinkCandidateRead]


class UnlinkedRowRead(BaseModel):
    """A row about no known employer."""

    line: int
    ref: str
    reason: str
    reason_id: str


class ComplianceRejectedRowRead(BaseModel):
    line: int
    reason: str
    reason_id: str


class ComplianceImportRead(BaseModel):
    """What an import did: rows read and accepted, rows sent to review, rows about no known employer, rejected rows."""

    import_id: int
    rows: int
    accepted: int
    review: list[ReviewRowRead]
    unlinked: list[UnlinkedRowRead]
    rejected: list[ComplianceRejectedRowRead]

    @classmethod
    def of(cls, result: ImportResult) -> ComplianceImportRead:
        return cls(
            import_id=result.import_id,
            rows=result.rows,
            accepted=result.accepted,
            review=[ReviewRowRead.model_validate(r) for r in result.review],
            unlinked=[UnlinkedRowRead.model_validate(r) for r in result.unlinked],
            rejected=[ComplianceRejectedRowRead.model_validate(r) for r in result.rejected],
        )


class EvidenceReviewRead(BaseModel):
    """Evidence whose link to an employer is ambiguous, with the candidates and their scores."""

    id: int
    kind: str
    ref: str | None
    name: str | None
    address: str | None
    best_score: int | None
    candidates: list[LinkCandidateRead]


class EvidenceLinkRead(BaseModel):
    id: int
    link_status: str
    employer_id: int | None


class ComplianceSummaryRead(BaseModel):
    """Cases opened, resolved and closed in a period, contribution recovered, and what is open now."""

    model_config = ConfigDict(populate_by_name=True)

    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    cases_opened: int
    cases_resolved: int
    cases_closed: int
    recovered: int
    open_cases: int
    open_findings: int
    open_unpaid_per_month: int
