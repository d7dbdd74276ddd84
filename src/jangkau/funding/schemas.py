"""Input shapes of the funding domain (shared by the CLI and the API)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from jangkau.funding.models import PREPAY_MONTHS, SPONSOR_KINDS

if TYPE_CHECKING:
    from jangkau.funding.statements import ImportResult

_SPONSOR_PATTERN = "^(" + "|".join(SPONSOR_KINDS) + ")$"


class SponsorIn(BaseModel):
    """A sponsor: a city/regency budget (APBD), a village (APBDes / Dana Desa), a company's CSR, a donor, a wadah."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(pattern=_SPONSOR_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    region_code: str | None = Field(default=None, max_length=20, description="APBD: the regency; APBDes: the village")
    phone: str | None = Field(default=None, max_length=20)


class ProgrammeIn(BaseModel):
    """A sponsorship programme: package, period, budget, quota and who may be enrolled."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    payer_id: int
    name: str = Field(min_length=1, max_length=200)
    programs: list[str] = Field(default=["jkk", "jkm"], min_length=1)
    declared_income: int = Field(default=1_000_000, gt=0, description="Declared income band of the package")
    start_month: str = Field(pattern=r"^\d{4}-\d{2}$")
    months: int = Field(ge=1, le=120)
    budget: int = Field(gt=0)
    quota: int | None = Field(default=None, gt=0)
    region_prefix: str | None = Field(default=None, max_length=13)
    occupations: list[str] = Field(default=[])
    vulnerable_only: bool = False
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)


class PaymentIn(BaseModel):
    """A payment received against a bill reference."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reference: str = Field(min_length=1, max_length=40)
    amount: int
    paid_on: dt.date
    channel: str = Field(default="manual", min_length=1, max_length=30)
    external_ref: str | None = Field(default=None, max_length=80)


class ReversalIn(BaseModel):
    """A payment that bounced or was cancelled: when, and why (kept on the reversal entry)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reversed_on: dt.date
    reason: str = Field(default="", max_length=80)


class PayerAssignmentIn(BaseModel):
    """Who pays a BPU membership (a wadah, a donor, the worker) and how many months at a time."""

    model_config = ConfigDict(extra="forbid")

    membership_id: int
    payer_id: int | None = None
    prepay_months: int = Field(default=1)

    def prepay_ok(self) -> bool:
        return self.prepay_months in PREPAY_MONTHS


# --- responses (``XRead``): what the JSON API answers; money is integer Rupiah, months ``YYYY-MM`` -------------


class RuleUsedRead(BaseModel):
    """One rule version a result used, with its citation and evidence status (``rules.RuleRef``)."""

    id: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    status: str = Field(description="confirmed, secondary, derived or unconfirmed")


class TrailRead(BaseModel):
    """The rules used and the warnings raised while computing a result."""

    rules: list[RuleUsedRead] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class MonthCostRead(BaseModel):
    month: str = Field(description="YYYY-MM")
    by_program: dict[str, int]
    total: int
    per_worker: int
    all_workers: int


class BudgetCostRead(TrailRead):
    """Cost of covering some workers for some months on a package, per month and per programme."""

    segment: str
    workers: int
    months: int
    start: str = Field(description="YYYY-MM")
    end: str = Field(description="YYYY-MM")
    income: int
    band_nominal: int
    programs: list[str]
    per_month: list[MonthCostRead]
    per_program: dict[str, int]
    per_worker_total: int
    total: int


class BudgetPlanRead(BaseModel):
    """How many workers a budget covers, what they cost and what is left."""

    budget: int
    workers: int
    remainder: int
    cost: BudgetCostRead


class SponsorRead(BaseModel):
    id: int
    kind: str
    name: str
    region_code: str | None


class ProgrammeCriteriaRead(BaseModel):
    region_prefix: str | None
    segment: str
    occupations: list[str]
    vulnerable_only: bool
    min_age: int | None
    max_age: int | None


class ProgrammeRead(BaseModel):
    """A programme with its budget: committed, remaining, enrolled, billed and paid, and what the rest still buys."""

    id: int
    name: str
    sponsor_id: int
    programs: list[str]
    declared_income: int
    start_month: str = Field(description="YYYY-MM")
    end_month: str = Field(description="YYYY-MM")
    months: int
    budget: int
    quota: int | None
    enrolled: int
    committed: int
    remaining: int
    per_worker_full_period: int
    more_workers_for_full_period: int
    sponsor_billed: int
    sponsor_paid: int
    criteria: ProgrammeCriteriaRead


class SponsorUserGrantRead(BaseModel):
    payer_id: int
    payer: str = Field(description="the sponsor's name")
    username: str
    created: bool = Field(description="false when the user already had the sponsor")


class SponsorUserRevokeRead(BaseModel):
    payer_id: int
    username: str
    revoked: bool


class SponsorshipRead(BaseModel):
    """One membership enrolled in a programme, for which months and the amount committed for it."""

    id: int
    membership_id: int
    first_month: dt.date
    last_month: dt.date
    committed: int


class FilledBillRead(BaseModel):
    key: str
    due_on: dt.date
    amount: int
    months: list[str]


class AllocationRead(TrailRead):
    """What one payment filled, what it bought ahead, and the payer's credit before and after."""

    paid: int
    credit_before: int
    filled: list[FilledBillRead]
    ahead: list[FilledBillRead]
    allocated: int
    credit_after: int
    protected_months: list[str]


class PaymentRecordedRead(BaseModel):
    """A recorded payment: what it paid on its bill, the months it protected, and where the rest went."""

    payment_id: int
    reference: str
    bill_amount: int
    paid: int
    outstanding: int
    months_protected: int
    activated: int
    fine_reference: str | None
    advance_reference: str | None
    credit: int
    needs_review: bool
    allocation: AllocationRead


class MonthUnprotectedRead(BaseModel):
    membership_id: int
    month: str = Field(description="YYYY-MM")


class ReversalRead(TrailRead):
    """A reversed payment and the months that lost their protection."""

    reversal_id: int
    payment_id: int
    amount: int
    months_unprotected: list[MonthUnprotectedRead]
    back_to_pending: int
    credit: int


class CreditRead(BaseModel):
    """Money kept as a payer's credit because no bill was open when it came."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    payer_id: int
    payment_id: int | None
    amount: int
    reason: str | None


class StatementPaymentRead(PaymentRecordedRead):
    line: int


class StatementRejectRead(BaseModel):
    line: int
    reason: str
    reason_id: str
    cells: dict[str, Any]


class StatementImportRead(BaseModel):
    """What a statement import did: lines read, payments recorded, duplicates skipped, lines rejected and why."""

    statement_id: int
    lines: int
    recorded: int
    duplicates: int
    rejected: list[StatementRejectRead]
    payments: list[StatementPaymentRead]

    @classmethod
    def of(cls, result: ImportResult) -> StatementImportRead:
        return cls(
            statement_id=result.statement_id,
            lines=result.lines,
            recorded=len(result.recorded),
            duplicates=result.duplicates,
            rejected=[StatementRejectRead.model_validate(r) for r in result.rejected],
            payments=[StatementPaymentRead.model_validate(p) for p in result.recorded],
        )


class BillRowRead(BaseModel):
    reference: str
    month: dt.date
    amount: int
    due_on: dt.date
    paid_on: dt.date | None


class CoverageRead(TrailRead):
    """A membership's protected-until date, status, arrears and bills (status None: no lapse rule for the segment)."""

    membership_id: int
    segment: str | None
    registered_status: str
    arrears_amount: int
    payer_credit: int
    bills: list[BillRowRead]
    status: str | None
    protected_until: dt.date | None
    arrears_months: list[str]
    start: str | None = Field(default=None, description="YYYY-MM")
    as_of: dt.date | None = None
    protected_months: int | None = None
    protected_ranges: list[str] = Field(default_factory=list)
    ended_on: dt.date | None = None
    event_date: dt.date | None = None
    event_cover: str | None = None
    event_note: str | None = None
    note: str | None = None


class LapsedMemberRead(BaseModel):
    person_id: int
    membership_id: int
    nik: str = Field(description="masked")
    name: str
    phone: str | None = Field(description="masked")
    status: str
    ended_on: dt.date | None


class LapseVillageRead(BaseModel):
    village_code: str
    village: str
    members: list[LapsedMemberRead]


class LapseListRead(BaseModel):
    """BPU members in arrears or recently ended, per village."""

    as_of: dt.date
    villages: list[LapseVillageRead]
    total: int


class StatementWorkerRead(BaseModel):
    nik: str = Field(description="masked")
    name: str
    village_code: str
    village: str
    months: list[str]
    protected_months: list[str]
    billed: int


class StatementBillRead(BaseModel):
    reference: str
    month: str = Field(description="YYYY-MM")
    kind: str
    due_on: dt.date
    amount: int
    paid: int
    outstanding: int


class StatementPeriodRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first: str = Field(alias="from", description="YYYY-MM")
    last: str = Field(alias="to", description="YYYY-MM")


class StatementProgrammeRead(BaseModel):
    id: int
    name: str
    budget: int


class StatementTotalsRead(BaseModel):
    workers: int
    worker_months: int
    billed: int
    paid: int
    outstanding: int


class SponsorStatementRead(BaseModel):
    """A sponsor's statement for a period: workers covered (NIK masked), bills, and totals."""

    sponsor: SponsorRead
    period: StatementPeriodRead
    programmes: list[StatementProgrammeRead]
    workers: list[StatementWorkerRead]
    bills: list[StatementBillRead]
    totals: StatementTotalsRead
