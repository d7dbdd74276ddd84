"""Input and output shapes of door-to-door enrolment and contribution quotes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from jangkau.auth.roles import Permission
from jangkau.kit.masking import mask_nik
from jangkau.registry.schemas import PersonIn
from jangkau.rules.results import Contribution, ContributionLine, MonthAmount

if TYPE_CHECKING:
    from jangkau.auth.principal import Principal
    from jangkau.enrolment.service import Enrolment


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


BasisPoints = Annotated[Decimal, PlainSerializer(_number, return_type=int | float, when_used="json")]


class EnrolmentIn(BaseModel):
    """A BPU enrolment as a field agent (or a registering participant) fills it in."""

    model_config = ConfigDict(extra="forbid")

    person: PersonIn
    programs: list[str] = Field(default_factory=lambda: ["jkk", "jkm"], min_length=1)
    declared_income: int = Field(default=1_000_000, gt=0, le=1_000_000_000)
    start_date: dt.date | None = None
    payer: str = Field(default="self", max_length=40)
    relationship: str | None = Field(default=None, max_length=30)


class RuleRefRead(BaseModel):
    """One rule version a result used, with its legal citation."""

    id: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    status: str = Field(description="confirmed or UNCONFIRMED (verify before relying on it)")


class ContributionLineRead(BaseModel):
    """One programme's contribution: base, rates in basis points and each party's share (whole Rupiah)."""

    program: str
    base: int
    employer_bp: BasisPoints | None
    worker_bp: BasisPoints | None
    employer: int
    worker: int
    total: int
    postponed: int = Field(description="deferred by a relaxation (PP 49/2020 JP), not part of total")
    note: str

    @classmethod
    def of(cls, line: ContributionLine) -> ContributionLineRead:
        return cls(
            program=line.program.value,
            base=line.base,
            employer_bp=line.employer_bp,
            worker_bp=line.worker_bp,
            employer=line.employer,
            worker=line.worker,
            total=line.total,
            postponed=line.postponed,
            note=line.note,
        )


class MonthAmountRead(BaseModel):
    """What one month costs, per programme."""

    month: str = Field(description="YYYY-MM")
    by_program: dict[str, int]
    total: int

    @classmethod
    def of(cls, amount: MonthAmount) -> MonthAmountRead:
        by_program = {p.value: a for p, a in amount.by_program.items()}
        return cls(month=str(amount.month), by_program=by_program, total=amount.total)


class ContributionFindingRead(BaseModel):
    """Something a person should look at, e.g. a wage under the regional minimum (with its own details)."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    message_id: str


class ContributionRead(BaseModel):
    """A contribution from the rules engine, with the rules, versions and citations it used.

    Calculators may add their own details beside these fields (e.g. a PU quote's regional wage floor).
    """

    model_config = ConfigDict(extra="allow")

    segment: str
    month: str = Field(description="first contribution month, YYYY-MM")
    months: int
    lines: list[ContributionLineRead]
    employer_total: int
    worker_total: int
    total: int
    postponed_total: int
    per_month: list[MonthAmountRead]
    due_on: dt.date | None
    findings: list[ContributionFindingRead]
    rules: list[RuleRefRead]
    warnings: list[str]

    @classmethod
    def of(cls, result: Contribution) -> ContributionRead:
        return cls(
            **result.details,
            segment=result.segment.value,
            month=str(result.month),
            months=result.months,
            lines=[ContributionLineRead.of(line) for line in result.lines],
            employer_total=result.employer_total,
            worker_total=result.worker_total,
            total=result.total,
            postponed_total=result.postponed_total,
            per_month=[MonthAmountRead.of(m) for m in result.per_month],
            due_on=result.due_on,
            findings=[ContributionFindingRead.model_validate(f.as_dict()) for f in result.findings],
            rules=[RuleRefRead.model_validate(r.as_dict()) for r in result.trail.rules],
            warnings=list(result.trail.warnings),
        )


class EnrolledPersonRead(BaseModel):
    """The enrolled worker (NIK masked unless the caller's role reads full records)."""

    id: int
    nik: str
    full_name: str
    village_code: str
    created: bool = Field(description="registered by this enrolment (false: found already registered)")


class EnrolledMembershipRead(BaseModel):
    """The BPU membership the enrolment opened."""

    id: int
    segment: str
    programs: list[str]
    declared_income: int | None
    start_date: dt.date
    status: str


class EnrolmentRead(BaseModel):
    """An enrolment's result: the worker, the new membership and its monthly contribution quote."""

    person: EnrolledPersonRead
    membership: EnrolledMembershipRead
    quote: ContributionRead
    warnings: list[str]
    sponsorship_request_id: int | None = Field(
        None, description="set when the sponsor's officer must approve the sponsored enrolment first"
    )

    @classmethod
    def for_caller(cls, result: Enrolment, principal: Principal) -> EnrolmentRead:
        """The result as the caller may see it: the NIK in clear only for roles that read full records."""
        full = principal.can(Permission.REGISTRY_READ_FULL)
        person, membership = result.person, result.membership
        return cls(
            person=EnrolledPersonRead(
                id=person.id,
                nik=person.nik if full else mask_nik(person.nik),
                full_name=person.full_name,
                village_code=person.village_code,
                created=result.created_person,
            ),
            membership=EnrolledMembershipRead(
                id=membership.id,
                segment="bpu",
                programs=membership.programs.split(","),
                declared_income=membership.declared_income,
                start_date=membership.start_date,
                status=membership.status,
            ),
            quote=ContributionRead.of(result.quote),
            warnings=result.warnings,
            sponsorship_request_id=result.request.id if result.request is not None else None,
        )
