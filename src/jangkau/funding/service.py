"""Funding use cases: sponsors, programmes and enrolment within budget, payments and the coverage they buy.

Services take the session and never commit. Money is int Rupiah; months are ``kit.months.Month``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from jangkau.db import outbox
from jangkau.errors import FieldError
from jangkau.funding import payments
from jangkau.funding import repository as repo
from jangkau.funding.errors import (
    AlreadySponsored,
    AmountNotPositive,
    BillNotFound,
    BpuMembershipNotFound,
    BudgetExceeded,
    BudgetTooSmall,
    CorrectionInvalid,
    CriteriaNotMet,
    MembershipNotFound,
    MonthInvalid,
    PayerNotFound,
    PrepayInvalid,
    ProgrammeEnded,
    ProgrammeInvalid,
    ProgrammeNotFound,
    QuotaFull,
    SponsorNotFound,
    SponsorRegionInvalid,
)
from jangkau.funding.models import SPONSOR_KINDS, Bill, MembershipPayer, Payer, Payment, Programme, Sponsorship
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.schemas import PayerAssignmentIn, PaymentIn, ProgrammeIn, SponsorIn
from jangkau.i18n import N_, gettext
from jangkau.kit.months import Month
from jangkau.regions import repository as regions
from jangkau.regions.codes import normalise_code
from jangkau.registry.models import Membership, Person
from jangkau.registry.occupations import OCCUPATIONS
from jangkau.rules import BudgetCapacity, Segment, budget_capacity, budget_cost, coverage_status, due_date, late_fine

log = logging.getLogger(__name__)
EVERYWHERE = ("",)
_SEGMENTS_WITH_LAPSE = {"pu": Segment.PU, "bpu": Segment.BPU}


def _month(text: str, name: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise MonthInvalid(name, text, str(exc)) from exc


# --- sponsors and programmes -------------------------------------------------------------------------------


def create_sponsor(session: Session, data: SponsorIn) -> Payer:
    """Register a sponsor (payer other than the worker or an employer).

    Raises:
        InvalidInput: an unknown region, or a village budget (APBDes / Dana Desa) without a village code.
    """
    region = check_sponsor_region(session, data)
    payer: Payer = repo.add(session, Payer(kind=data.kind, name=data.name, region_code=region, phone=data.phone))
    return payer


def check_sponsor_region(session: Session, data: SponsorIn) -> str | None:
    """The sponsor's region code, normalised: a regional budget (APBD) names its region, a village budget (APBDes,
    Dana Desa) its village.

    Raises:
        InvalidInput: an unknown region, or one missing where the kind of sponsor needs it.
    """
    region = normalise_code(data.region_code) if data.region_code else None
    if region is not None and not regions.exists(session, region):
        raise SponsorRegionInvalid(SponsorRegionInvalid.UNKNOWN, region=region)
    if data.kind in ("apbdes", "dana_desa") and (region is None or region.count(".") != 3):
        raise SponsorRegionInvalid(SponsorRegionInvalid.VILLAGE_NEEDED)
    if data.kind == "apbd" and region is None:
        raise SponsorRegionInvalid(SponsorRegionInvalid.REGION_NEEDED)
    return region


def _programme_errors(data: ProgrammeIn) -> list[FieldError]:
    errors: list[FieldError] = []
    programs = {p.strip().lower() for p in data.programs}
    if not {"jkk", "jkm"} <= programs or not programs <= {"jkk", "jkm", "jht"}:
        errors.append(ProgrammeInvalid.field("programs", ProgrammeInvalid.NOT_BPU))
    unknown = sorted(set(data.occupations) - set(OCCUPATIONS))
    if unknown:
        errors.append(ProgrammeInvalid.field("occupations", ProgrammeInvalid.UNKNOWN_OCCUPATIONS, names=unknown))
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        errors.append(ProgrammeInvalid.field("max_age", ProgrammeInvalid.AGES))
    return errors


def create_programme(session: Session, data: ProgrammeIn) -> Programme:
    """Create a sponsorship programme of a sponsor.

    Raises:
        NotFound: no such sponsor.
        InvalidInput: a package that is not a BPU package, unknown occupations, bad ages or month, or a budget that
            does not cover one worker for the period.
    """
    sponsor = repo.payer(session, data.payer_id)
    if sponsor is None or sponsor.kind not in SPONSOR_KINDS:
        raise SponsorNotFound(data.payer_id)
    start = _month(data.start_month, "start_month")
    errors = _programme_errors(data)
    if errors:
        raise ProgrammeInvalid(errors)
    programs = ",".join(p for p in ("jkk", "jkm", "jht") if p in {x.lower() for x in data.programs})
    capacity = budget_capacity(data.budget, data.months, start, data.declared_income, programs)
    if capacity.workers == 0:
        raise BudgetTooSmall(data.budget, data.months)
    programme: Programme = repo.add(
        session,
        Programme(
            payer_id=sponsor.id,
            name=data.name,
            programs=programs,
            declared_income=data.declared_income,
            start_month=start.first_day(),
            months=data.months,
            budget=data.budget,
            quota=data.quota,
            region_prefix=normalise_code(data.region_prefix) if data.region_prefix else None,
            occupations=",".join(data.occupations) or None,
            vulnerable_only=data.vulnerable_only,
            min_age=data.min_age,
            max_age=data.max_age,
        ),
    )
    return programme


def _require_programme(session: Session, programme_id: int) -> Programme:
    programme = repo.programme(session, programme_id)
    if programme is None:
        raise ProgrammeNotFound(programme_id)
    return programme


def plan_budget(
    budget: int, months: int, start: str, income: int = 1_000_000, programs: str = "jkk,jkm"
) -> BudgetCapacity:
    """How many workers ``budget`` covers for ``months`` months on a package (the rules engine's planner).

    Raises:
        InvalidInput: a bad month, budget, income or package.
    """
    return budget_capacity(budget, months, _month(start, "start"), income, programs)


def programme_summary(session: Session, programme_id: int) -> dict[str, Any]:
    """A programme with its budget: committed, remaining, enrolled, billed and paid, and what the rest still buys.

    Raises:
        NotFound: no such programme.
    """
    programme = _require_programme(session, programme_id)
    workers, committed = repo.programme_commitment(session, programme.id)
    remaining = programme.budget - committed
    start = Month.of(programme.start_month)
    per_worker = budget_cost(1, programme.months, start, programme.declared_income, programme.programs).per_worker_total
    billed, paid = repo.billed_and_paid_of_payer(session, programme.payer_id)
    return {
        "id": programme.id,
        "name": programme.name,
        "sponsor_id": programme.payer_id,
        "programs": programme.programs.split(","),
        "declared_income": programme.declared_income,
        "start_month": str(start),
        "end_month": str(start.plus(programme.months - 1)),
        "months": programme.months,
        "budget": programme.budget,
        "quota": programme.quota,
        "enrolled": workers,
        "committed": committed,
        "remaining": remaining,
        "per_worker_full_period": per_worker,
        "more_workers_for_full_period": remaining // per_worker if per_worker else 0,
        "sponsor_billed": billed,
        "sponsor_paid": paid,
        "criteria": {
            "region_prefix": programme.region_prefix,
            "segment": programme.segment,
            "occupations": programme.occupations.split(",") if programme.occupations else [],
            "vulnerable_only": programme.vulnerable_only,
            "min_age": programme.min_age,
            "max_age": programme.max_age,
        },
    }


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# why a worker does not meet a programme's criteria: English msgids, the Indonesian in the catalog
_OUTSIDE = N_("lives outside %(prefix)s")
_SEGMENT = N_("membership is %(segment)s, the programme funds %(funds)s")
_OCCUPATION = N_("occupation %(occupation)s is not funded")
_NOT_VULNERABLE = N_("not marked as a vulnerable worker")
_TOO_YOUNG = N_("age %(age)s below %(limit)s")
_TOO_OLD = N_("age %(age)s above %(limit)s")
_ENDED = N_("membership has %(status)s")


def criteria_reasons(
    programme: Programme, membership: Membership, person: Person, on: dt.date
) -> list[tuple[str, dict[str, object]]]:
    """Why a worker does not meet the programme's criteria, as (msgid, params) pairs (empty when they do)."""
    reasons: list[tuple[str, dict[str, object]]] = []
    prefix = programme.region_prefix
    if prefix and not (person.village_code == prefix or person.village_code.startswith(prefix + ".")):
        reasons.append((_OUTSIDE, {"prefix": prefix}))
    if membership.segment != programme.segment:
        reasons.append((_SEGMENT, {"segment": membership.segment.upper(), "funds": programme.segment.upper()}))
    if programme.occupations and person.occupation not in programme.occupations.split(","):
        reasons.append((_OCCUPATION, {"occupation": person.occupation or "-"}))
    if programme.vulnerable_only and not person.is_vulnerable:
        reasons.append((_NOT_VULNERABLE, {}))
    age = _age(person.birth_date, on)
    if programme.min_age is not None and age < programme.min_age:
        reasons.append((_TOO_YOUNG, {"age": age, "limit": programme.min_age}))
    if programme.max_age is not None and age > programme.max_age:
        reasons.append((_TOO_OLD, {"age": age, "limit": programme.max_age}))
    if membership.status in ("ended", "nonaktif"):
        reasons.append((_ENDED, {"status": membership.status}))
    return reasons


def criteria_failures(
    programme: Programme, membership: Membership, person: Person, on: dt.date, lang: str = "en"
) -> list[str]:
    """Why a worker does not meet the programme's criteria, in ``lang`` (empty when they do)."""
    return [gettext(text, lang, **params) for text, params in criteria_reasons(programme, membership, person, on)]


def enrol(
    session: Session,
    programme_id: int,
    membership_id: int,
    enrolled_by: str,
    today: dt.date,
    scope: Iterable[str] = EVERYWHERE,
) -> Sponsorship:
    """Enrol a worker's membership in a programme from ``today``'s month to the end of the programme.

    The cost of the whole remaining period is committed against the budget at once.

    Raises:
        NotFound: no such programme, or no such membership inside ``scope``.
        InvalidInput: the worker does not meet the criteria, or the programme has ended.
        Conflict: already sponsored for an overlapping period, the quota is full, or the budget would overrun.
    """
    programme = _require_programme(session, programme_id)
    found = repo.membership_with_person(session, membership_id, scope)
    if found is None:
        raise MembershipNotFound(membership_id)
    membership, person = found
    start, end = Month.of(programme.start_month), Month.of(programme.start_month).plus(programme.months - 1)
    first = max(start, Month.of(today), Month.of(membership.start_date))
    if first > end:
        raise ProgrammeEnded(end)
    reasons = criteria_failures(programme, membership, person, today)
    if reasons:
        text = "; ".join(reasons)
        raise CriteriaNotMet(person.full_name, text)
    if repo.overlapping_sponsorship(session, membership.id, first.first_day(), end.first_day()) is not None:
        raise AlreadySponsored(person.full_name, first, end)
    months = end.minus(first) + 1
    cost = budget_cost(1, months, first, programme.declared_income, programme.programs).per_worker_total
    workers, committed = repo.programme_commitment(session, programme.id, lock=True)
    if programme.quota is not None and workers >= programme.quota:
        raise QuotaFull(programme.quota)
    remaining = programme.budget - committed
    if cost > remaining:
        raise BudgetExceeded(months, cost, remaining)
    sponsorship: Sponsorship = repo.add(
        session,
        Sponsorship(
            programme_id=programme.id,
            membership_id=membership.id,
            person_id=person.id,
            first_month=first.first_day(),
            last_month=end.first_day(),
            committed=cost,
            enrolled_by=enrolled_by,
        ),
    )
    return sponsorship


def assign_payer(session: Session, data: PayerAssignmentIn) -> None:
    """Set who pays a BPU membership and the prepayment period (1, 3, 6 or 12 months).

    Raises:
        InvalidInput: another prepayment period, or a membership that is not BPU.
        NotFound: no such membership or payer.
    """
    if not data.prepay_ok():
        raise PrepayInvalid()
    found = repo.membership_with_person(session, data.membership_id, EVERYWHERE)
    if found is None or found[0].segment != "bpu":
        raise BpuMembershipNotFound(data.membership_id)
    payer_id = data.payer_id
    if payer_id is None:
        own = repo.self_payer(session, found[1].id)
        own = own or repo.add(
            session, Payer(kind="self", name=found[1].full_name, person_id=found[1].id, phone=found[1].phone)
        )
        payer_id = own.id
    elif repo.payer(session, payer_id) is None:
        raise PayerNotFound(payer_id)
    current = repo.membership_payer(session, data.membership_id)
    if current is None:
        repo.add(
            session,
            MembershipPayer(membership_id=data.membership_id, payer_id=payer_id, prepay_months=data.prepay_months),
        )
    else:
        current.payer_id, current.prepay_months = payer_id, data.prepay_months


# --- payments ----------------------------------------------------------------------------------------------


def check_payment(session: Session, data: PaymentIn) -> Bill:
    """The bill a payment is for.

    Raises:
        InvalidInput: an amount that is not positive.
        NotFound: no bill with that reference.
    """
    if data.amount <= 0:
        raise AmountNotPositive(data.amount)
    bill = repo.bill_by_reference(session, data.reference.strip().upper())
    if bill is None:
        raise BillNotFound(data.reference)
    return bill


def record_payment(
    session: Session, data: PaymentIn, recorded_by: str, line_key: str | None = None, statement_id: int | None = None
) -> dict[str, Any]:
    """Record a payment from the payer of a bill and allocate it (``payments.allocate_payment``).

    The payer's money (this payment plus unused credit) pays its open bills oldest first, then BPU months ahead,
    and the rest stays as credit; a month is protected only once paid in full. A PU bill settled after its due date
    gets a late-fine bill (2 % a month, ``rules.late_fine``), due with the next month's contribution. A pending
    membership becomes active with its first paid month (PP 45/2015 Ps 3).

    Returns:
        The payment id, what is allocated to and outstanding on the named bill, months protected, members
        activated, the fine bill's reference, the advance bill's reference, the payer's credit, whether the money
        waits for review (no open bill), and the allocation with its rule trail.

    Raises:
        InvalidInput: an amount that is not positive.
        NotFound: no bill with that reference.
    """
    bill = check_payment(session, data)
    payment: Payment = repo.add(
        session,
        Payment(
            bill_id=bill.id,
            payer_id=bill.payer_id,
            kind="payment",
            amount=data.amount,
            paid_on=data.paid_on,
            channel=data.channel,
            external_ref=data.external_ref,
            line_key=line_key,
            statement_id=statement_id,
            recorded_by=recorded_by,
        ),
    )
    effect = payments.allocate_payment(session, payment)
    allocated = allocation_sql.allocated_on_bill(session, bill.id)
    result: dict[str, Any] = {
        "payment_id": payment.id,
        "reference": bill.reference,
        "bill_amount": bill.amount,
        "paid": allocated,
        "outstanding": max(bill.amount - allocated, 0),
        "months_protected": effect.months_protected,
        "activated": 0,
        "fine_reference": None,
        "advance_reference": effect.advance_reference,
        "credit": effect.allocation.credit_after,
        "needs_review": effect.needs_review,
        "allocation": effect.allocation.as_dict(),
    }
    for bill_id in effect.bills:
        outbox.mark_changed_many(session, repo.villages_and_months_of_bill(session, bill_id), soon=True)
        result["activated"] += repo.activate_pending(session, bill_id)
    for bill_id in effect.paid_bills:
        paid_bill = repo.bill(session, bill_id)
        fine = _fine_bill(session, paid_bill, data.paid_on) if paid_bill else None
        result["fine_reference"] = fine.reference if fine else result["fine_reference"]
    return result


def _fine_bill(session: Session, bill: Bill, paid_on: dt.date) -> Bill | None:
    if bill.kind != "pu" or paid_on <= bill.due_on:
        return None
    fine = late_fine(Segment.PU, Month.of(bill.month), bill.amount, paid_on)
    if fine.fine == 0:
        return None
    seq = repo.next_seq(session, bill.payer_id, bill.month, "fine")
    fine_bill: Bill = repo.add(
        session,
        Bill(
            reference=f"{bill.reference}-D{seq}" if seq else f"{bill.reference}-D",
            payer_id=bill.payer_id,
            month=bill.month,
            kind="fine",
            seq=seq,
            due_on=due_date(Segment.PU, Month.of(paid_on)).due_on,
            amount=fine.fine,
            corrects_bill_id=bill.id,
            note=f"denda {fine.months_late} bulan x {fine.rate_bp_per_month / 100:g}% atas {bill.reference}",
        ),
    )
    return fine_bill


def correct_bill(session: Session, reference: str, amount: int, note: str) -> Bill:
    """Correct a bill by a new ``adjust`` entry (positive or negative); the original is never edited.

    Raises:
        NotFound: no bill with that reference.
        InvalidInput: a zero amount or an empty note.
    """
    original = repo.bill_by_reference(session, reference.strip().upper())
    if original is None:
        raise BillNotFound(reference, code="not_found")
    if amount == 0 or not note.strip():
        raise CorrectionInvalid()
    seq = repo.next_seq(session, original.payer_id, original.month, "adjust") or 1
    adjust: Bill = repo.add(
        session,
        Bill(
            reference=f"{original.reference}-K{seq}",
            payer_id=original.payer_id,
            month=original.month,
            kind="adjust",
            seq=seq,
            due_on=original.due_on,
            amount=amount,
            corrects_bill_id=original.id,
            note=note.strip(),
        ),
    )
    return adjust


# --- coverage ----------------------------------------------------------------------------------------------


def membership_coverage(
    session: Session, membership_id: int, as_of: dt.date, scope: Iterable[str] = EVERYWHERE
) -> dict[str, Any]:
    """A membership's protected-until date, status, arrears and bills, per the rules engine's ``coverage_status``.

    Raises:
        NotFound: no such membership inside ``scope``.
    """
    found = repo.membership_with_person(session, membership_id, scope)
    if found is None:
        raise MembershipNotFound(membership_id)
    membership, _person = found
    bills = repo.bills_of_membership(session, membership.id)
    paid = [Month.of(m) for m in repo.paid_months(session, membership.id)]
    outstanding = sum(b["amount"] for b in bills if b["paid_on"] is None and b["due_on"] < as_of)
    payer = allocation_sql.payer_of_membership(session, membership)
    out: dict[str, Any] = {
        "membership_id": membership.id,
        "segment": membership.segment,
        "registered_status": membership.status,
        "arrears_amount": outstanding,
        "payer_credit": allocation_sql.credit_balance(session, payer.id) if payer else 0,
        "bills": bills,
    }
    segment = _SEGMENTS_WITH_LAPSE.get(membership.segment)
    if segment is None:
        out.update(status=None, protected_until=None, arrears_months=[], note="no lapse rule for this segment")
        return out
    status = coverage_status(segment, Month.of(membership.start_date), paid, as_of)
    out.update(status.as_dict())
    out["registered_status"] = membership.status
    return out


# --- the person page ---------------------------------------------------------------------------------------


def person_funding(session: Session, memberships: Iterable[Membership], as_of: dt.date) -> dict[str, Any]:
    """What the person page shows of a person's money: per membership who pays now (the worker, the employer or a
    sponsor's programme), its coverage (:func:`membership_coverage`) with the bills month by month, and the
    payments received on those bills.

    The caller has already decided that the person is theirs to see (``registry.access``).
    """
    memberships = list(memberships)
    person_ids = {m.person_id for m in memberships}
    sponsorships = [row for pid in person_ids for row in repo.sponsorships_of_person(session, pid)]
    month = Month.of(as_of).first_day()
    out: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        current = [
            (s, programme, payer)
            for s, programme, payer in sponsorships
            if s.membership_id == membership.id and s.first_month <= month <= s.last_month
        ]
        if current:
            _s, programme, sponsor = current[0]
            paid_by = {"kind": sponsor.kind, "name": sponsor.name, "programme": programme.name}
        else:
            payer = allocation_sql.payer_of_membership(session, membership)
            default = "employer" if membership.segment == "pu" else "self"
            paid_by = {"kind": payer.kind if payer else default, "name": payer.name if payer else "", "programme": ""}
        out[membership.id] = {"paid_by": paid_by, "coverage": membership_coverage(session, membership.id, as_of)}
    payments = [
        {
            "paid_on": p.paid_on,
            "amount": p.amount,
            "kind": p.kind,
            "channel": p.channel,
            "bill": bill.reference,
            "month": bill.month,
        }
        for pid in person_ids
        for p, bill in repo.payments_of_person(session, pid)
    ]
    history = [
        {
            "programme": programme.name,
            "sponsor": payer.name,
            "kind": payer.kind,
            "first_month": s.first_month,
            "last_month": s.last_month,
        }
        for s, programme, payer in sponsorships
    ]
    return {"memberships": out, "payments": payments, "sponsorships": history}


def unmatched_payments(session: Session) -> int:
    """How many bank or channel statement lines wait on the review list (``/funding/review``)."""
    return repo.review_count(session)


def sponsors_of(session: Session, user_id: int) -> list[dict[str, Any]]:
    """The sponsors (payers) a sponsor user speaks for, with their names, for links to their statements."""
    return [{"id": p.id, "name": p.name, "kind": p.kind} for p in repo.payers_of_user(session, user_id)]
