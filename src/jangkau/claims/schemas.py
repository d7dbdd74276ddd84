"""Input of the claims API, pages and CLI (pydantic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from jangkau.claims.rules.kinds import ReporterKind
from jangkau.funding.schemas import TrailRead
from jangkau.kit.masking import mask_nik
from jangkau.rules import JhtTrigger

NIK_PATTERN = r"^\d{16}$"


class HeirIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=2, max_length=150)
    relationship: str = Field(min_length=2, max_length=20)
    nik: str | None = Field(default=None, pattern=NIK_PATTERN)
    birth_date: dt.date | None = None


class ClaimIn(BaseModel):
    """A claim as reported. ``type`` is the programme (jkm, jkk, jht, jp, jkp); ``benefit`` the benefit in it."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=2, max_length=4)
    benefit: str | None = Field(default=None, max_length=30)
    nik: str = Field(min_length=16, max_length=20)
    event_date: dt.date
    membership_id: int | None = Field(default=None, gt=0)
    reporter_kind: ReporterKind | None = None
    reporter_name: str | None = Field(default=None, max_length=150)
    reporter_phone: str | None = Field(default=None, max_length=20)
    heirs: list[HeirIn] = Field(default_factory=list, max_length=12)
    wage: int | None = Field(default=None, gt=0, le=1_000_000_000)
    months_unable: int = Field(default=0, ge=0, le=240)
    disability_percent: Decimal | None = Field(default=None, gt=0, le=100)
    medical_cost: int | None = Field(default=None, ge=0, le=10_000_000_000)
    children: int | None = Field(default=None, ge=0, le=20)
    jht_amount: int | None = Field(
        default=None, gt=0, le=100_000_000_000, description="JHT partial claim: the amount asked (default the maximum)"
    )
    jht_trigger: JhtTrigger | None = None
    previous_partial_claims: int = Field(default=0, ge=0, le=10)
    accumulated: int | None = Field(default=None, ge=0, le=100_000_000_000)


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=40)
    received_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=300)


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=1000)
    decide_open_points: bool = Field(
        default=False, description="The officer has checked the points the rules leave open (e.g. cover in arrears)"
    )


class DocumentRequestIn(BaseModel):
    """Documents the office asks the claimant for: the service-level clock stops until they arrive."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    documents: str = Field(min_length=2, max_length=300)
    requested_on: dt.date | None = None


class DocumentsArrivedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    arrived_on: dt.date | None = None


class PayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paid_on: dt.date
    payment_ref: str | None = Field(default=None, max_length=80)


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=5, max_length=1000)


class HandoverIn(BaseModel):
    """A public handover event: who received what, when, where, witnessed by whom."""

    model_config = ConfigDict(extra="forbid")

    event_name: str = Field(min_length=3, max_length=200)
    held_on: dt.date
    place: str = Field(min_length=2, max_length=200)
    received_by: str = Field(min_length=2, max_length=150)
    received_relationship: str | None = Field(default=None, max_length=30)
    amount: int | None = Field(default=None, gt=0, le=100_000_000_000)
    handed_by: str = Field(min_length=2, max_length=150)
    witnesses: list[str] = Field(min_length=1, max_length=10)


# --- responses (``XRead``): money is integer Rupiah; a NIK is masked unless the caller reads full records -------


class ReasonRead(BaseModel):
    """One eligibility check: passed (true), failed (false) or for the officer to decide (null)."""

    code: str
    ok: bool | None
    message: str
    message_id: str


class DocumentSpecRead(BaseModel):
    code: str
    label_id: str
    label_en: str
    required: bool
    source: str
    confirmed: bool


class HeirShareRead(BaseModel):
    full_name: str
    relationship: str
    nik: str | None
    rank: int
    share_bp: int
    amount: int


class HeirAllocationRead(TrailRead):
    """Who of the heirs receives the benefit and in which shares (basis points), and what goes to the DJS."""

    rank: int
    rank_label: str
    shares: list[HeirShareRead]
    to_djs: int


class AssessmentRead(TrailRead):
    """Whether a claim is payable, why, how much (itemised), to whom, and the documents it needs."""

    kind: str
    eligible: bool | None
    membership_id: int
    contribution_months: int
    reasons: list[ReasonRead]
    amount: int
    benefit: dict[str, Any] = Field(description="the itemised benefit; its fields depend on the programme")
    heirs: HeirAllocationRead | None
    documents: list[DocumentSpecRead]
    late_payment: dict[str, Any] | None = Field(
        default=None, description="after payment: days late and the compensation owed (1 % a day)"
    )


class QuotedPersonRead(BaseModel):
    full_name: str
    nik: str = Field(description="masked")


class QuoteRead(AssessmentRead):
    """A claim assessed without filing it."""

    person: QuotedPersonRead


class JhtYearRead(BaseModel):
    year: int
    opening: int
    contributions: int
    returns: int
    withdrawals: int
    closing: int
    annual_return_bp: int
    rate_rule: str
    rate_status: str


class JhtMonthRead(BaseModel):
    month: str = Field(description="YYYY-MM")
    balance: int


class JhtAccountRead(TrailRead):
    membership_id: int
    segment: str
    until: str = Field(description="YYYY-MM")
    balance: int
    contributions: int
    returns: int
    withdrawals: int
    years: list[JhtYearRead]
    monthly: list[JhtMonthRead]


class JhtStatementRead(BaseModel):
    """A member's JHT account: balance, contributions, returns and withdrawals per year, per membership."""

    person: QuotedPersonRead
    as_of: dt.date
    year: int | None
    balance: int
    accounts: list[JhtAccountRead]


class SlaRead(BaseModel):
    """The service-level clock: deadline, working days left, compensation accruing, the office's working days and
    the days waiting for documents asked from the claimant (the clock stops while it waits)."""

    due_on: dt.date | None
    working_days_left: int | None
    overdue: bool
    compensation_if_paid_today: int
    paused: bool | None = None
    office_days: int | None
    waiting_days: int
    waiting_since: dt.date | None


class ClaimQueueRowRead(BaseModel):
    reference: str | None
    status: str
    status_id: str = Field(description="the status in Bahasa Indonesia")
    kind: str
    person: str = Field(description="the worker's name")
    person_id: int = Field(description="the worker's person page: /persons/{person_id}")
    village_code: str
    event_date: dt.date
    filed_on: dt.date
    eligible: bool | None
    amount: int
    sla: SlaRead


class ClaimQueueRead(BaseModel):
    """One page of the claims queue, nearest deadline first."""

    items: list[ClaimQueueRowRead]
    total: int
    page: int
    size: int


class ReporterRead(BaseModel):
    kind: str
    name: str
    filed_by: str


class ClaimPersonRead(BaseModel):
    id: int
    full_name: str
    nik: str = Field(description="masked unless the caller's role reads full records")
    village_code: str


class ClaimHeirRead(BaseModel):
    full_name: str
    nik: str | None = Field(description="masked unless the caller's role reads full records")
    relationship: str
    rank: int | None
    share_bp: int | None
    amount: int | None


class ClaimDocumentRead(DocumentSpecRead):
    received_on: dt.date | None
    received_by: str | None


class DocumentRequestRead(BaseModel):
    documents: str
    requested_on: dt.date
    requested_by: str
    arrived_on: dt.date | None
    paused_days: int | None


class CoverageNowRead(BaseModel):
    """The membership's coverage today (status null with a note when it cannot be computed)."""

    segment: str | None = None
    status: str | None
    protected_until: dt.date | None = None
    protected_months: int | None = None
    arrears_months: list[str] | None = None
    registered_status: str | None = None
    note: str | None = None


class ClaimEventRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    at: dt.datetime
    actor: str
    action: str
    from_status: str | None = Field(alias="from")
    to_status: str | None = Field(alias="to")
    note: str | None


class HandoverRead(BaseModel):
    event_name: str
    held_on: dt.date
    place: str
    received_by: str
    received_relationship: str | None
    amount: int | None
    handed_by: str
    witnesses: list[str]
    recorded_by: str


class ClaimRead(BaseModel):
    """Everything about one claim: eligibility, itemised amount, heirs, documents, SLA, history, handovers."""

    model_config = ConfigDict(populate_by_name=True)

    reference: str | None
    status: str
    status_id: str = Field(description="the status in Bahasa Indonesia")
    program: str
    benefit: str
    kind: str
    event_date: dt.date
    filed_on: dt.date
    reporter: ReporterRead
    person: ClaimPersonRead
    membership_id: int
    eligible: bool | None
    amount: int
    assessment: AssessmentRead
    heirs: list[ClaimHeirRead]
    documents: list[ClaimDocumentRead]
    complete_on: dt.date | None
    sla: SlaRead
    document_requests: list[DocumentRequestRead]
    verified_by: str | None
    approved_by: str | None
    paid_on: dt.date | None
    paid_amount: int | None
    days_late: int | None
    late_compensation: int | None
    payment_ref: str | None
    rejection_reason: str | None
    coverage_now: CoverageNowRead
    history: list[ClaimEventRead]
    handovers: list[HandoverRead]

    @classmethod
    def masked(cls, body: dict[str, Any], *, full_nik: bool) -> ClaimRead:
        """The claim as the caller may see it: NIKs (the worker's and the heirs') masked unless ``full_nik``."""
        claim = cls.model_validate(body)
        if full_nik:
            return claim
        claim.person.nik = mask_nik(claim.person.nik)
        for heir in claim.heirs:
            heir.nik = mask_nik(heir.nik) if heir.nik else None
        return claim


class DocumentRequestedRead(BaseModel):
    reference: str
    documents: str
    requested_on: dt.date


class DocumentsArrivedRead(BaseModel):
    reference: str
    sla_due_on: dt.date | None
