"""``demo history``: a year of bills and payments for the demo city, so coverage, lapses and claims are real.

Each month is billed by the funding domain's own billing run; then each bill is paid (or not) the way the demo
population behaves: BPU members marked active pay on time, those marked lapsed stopped paying four months ago,
most employers pay with the month's payroll (before the month ends, so the last complete month is paid by
"today"), some late (and get the late fine), a few not at all in the last months. The city's APBD programme
(the sponsor of ``demo users``) is created first, so it is billed and pays every month it covers. In the last
two months a few BPU workers pay half their bill (held as credit, the month unprotected) and a few pay three
months ahead. Payments go through ``funding.service.record_payment``, so allocation, protected months,
activations and fines follow the real rules. Deterministic for a seed; rerunning it adds nothing (bills already
paid are left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.demo.users import demo_apbd
from jangkau.funding.jobs import run_billing, run_lapse
from jangkau.funding.models import Allocation, Bill, BillLine, Payment
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.kit.months import Month
from jangkau.registry.models import Membership

Units = Callable[[], AbstractContextManager[Session]]
STOPPED_PAYING_MONTHS = 4  # a demo member marked "lapsed" paid nothing in the last four months
PARTIAL_SHARE = 0.04  # in the last month, active BPU workers who pay only half their bill (kept as credit)
ADVANCE_SHARE = 0.04  # ... and those who pay three months at once


@dataclass
class HistoryReport:
    months: list[str] = field(default_factory=list)
    bills: int = 0
    paid: int = 0
    paid_late: int = 0
    unpaid: int = 0
    partial: int = 0
    advance: int = 0
    lapse_changes: dict[str, int] = field(default_factory=dict)


def seed_history(
    units: Units,
    as_of: dt.date,
    months: int,
    seed: int,
    on_progress: Callable[[str, int, int], None] | None = None,
    region: str = "12.71",
) -> HistoryReport:
    """Bill and pay the last ``months`` months up to ``as_of``, then run the lapse job on ``as_of``."""
    report = HistoryReport()
    last = Month.of(as_of)
    with units() as session:
        demo_apbd(session, region, as_of)
    for number, month in enumerate((last.plus(-i) for i in reversed(range(months))), start=1):
        run_billing(units, month)
        with units() as session:
            _settle_month(session, month, as_of, seed, report)
        report.months.append(str(month))
        if on_progress:
            on_progress(str(month), number, months)
    with units() as session:
        report.lapse_changes = run_lapse(session, as_of).changed
    return report


def _settle_month(session: Session, month: Month, as_of: dt.date, seed: int, report: HistoryReport) -> None:
    bills = session.execute(
        select(Bill.id, Bill.reference, Bill.kind, Bill.amount, Bill.due_on, Bill.payer_id)
        .where(
            Bill.month == month.first_day(), Bill.kind.in_(("pu", "bpu", "sponsor")), Bill.corrects_bill_id.is_(None)
        )
        .order_by(Bill.id)
    ).all()
    statuses = _line_statuses(session, month)
    ids = [b.id for b in bills]
    paid_already = set(session.scalars(select(Payment.bill_id).where(Payment.bill_id.in_(ids))))
    paid_already |= set(session.scalars(select(Allocation.bill_id).where(Allocation.bill_id.in_(ids))))
    last_month = Month.of(as_of).minus(month) < 2  # the last two months: the latest one paid by today
    for bill in bills:
        report.bills += 1
        if bill.id in paid_already:
            continue
        paid_on = _paid_on(
            random.Random(f"{seed}:{bill.reference}"),
            bill.kind,
            bill.due_on,
            statuses.get(bill.id, set()),
            month,
            as_of,
        )
        if paid_on is None:
            report.unpaid += 1
            continue
        amount = _amount(random.Random(f"{seed}:{bill.reference}:part"), bill, statuses, last_month, report)
        if bill.kind == "pu":  # the late fine is paid together with the next contribution (REFERENCE 1.6)
            amount += _open_fines(session, bill.payer_id)
        record_payment(
            session,
            PaymentIn(reference=bill.reference, amount=amount, paid_on=paid_on, channel="demo"),
            recorded_by="demo history",
        )
        report.paid += 1
        report.paid_late += paid_on > bill.due_on


def _amount(rng: random.Random, bill: Any, statuses: dict[int, set[str]], last: bool, report: HistoryReport) -> int:
    """What a bill's payer pays: the bill; lately a few active BPU workers pay half, or 3 months ahead."""
    if not last or bill.kind != "bpu" or statuses.get(bill.id) != {"active"}:
        return int(bill.amount)
    roll = rng.random()
    if roll < PARTIAL_SHARE:
        report.partial += 1
        return int(bill.amount) // 2
    if roll < PARTIAL_SHARE + ADVANCE_SHARE:
        report.advance += 1
        return int(bill.amount) * 3
    return int(bill.amount)


def _open_fines(session: Session, payer_id: int) -> int:
    """What an employer still owes on its late-fine bills (the allocation says what is paid)."""
    allocated = (
        select(Allocation.bill_id, func.sum(Allocation.amount).label("paid")).group_by(Allocation.bill_id).subquery()
    )
    owed = session.scalar(
        select(func.coalesce(func.sum(Bill.amount - func.coalesce(allocated.c.paid, 0)), 0))
        .outerjoin(allocated, allocated.c.bill_id == Bill.id)
        .where(Bill.payer_id == payer_id, Bill.kind == "fine", Bill.amount > func.coalesce(allocated.c.paid, 0))
    )
    return int(owed or 0)


def _line_statuses(session: Session, month: Month) -> dict[int, set[str]]:
    """For each bill of the month, the seeded statuses of the memberships on it."""
    rows = session.execute(
        select(BillLine.bill_id, Membership.status)
        .join(Membership, Membership.id == BillLine.membership_id)
        .where(BillLine.month == month.first_day())
        .distinct()
    ).all()
    out: dict[int, set[str]] = {}
    for bill_id, status in rows:
        out.setdefault(bill_id, set()).add(status)
    return out


def _paid_on(
    rng: random.Random, kind: str, due_on: dt.date, statuses: set[str], month: Month, as_of: dt.date
) -> dt.date | None:
    months_ago = Month.of(as_of).minus(month)
    if kind == "bpu" and statuses <= {"lapsed"} and months_ago < STOPPED_PAYING_MONTHS:
        return None
    roll = rng.random()
    if kind == "pu" and months_ago < 2 and roll < 0.03:
        return None  # an employer in arrears
    late = kind == "pu" and roll > 0.93
    if late:
        paid_on = due_on + dt.timedelta(days=rng.randint(20, 45))
    elif kind == "pu":  # with the month's payroll, in its last week
        paid_on = month.last_day() - dt.timedelta(days=rng.randint(0, 6))
    else:
        paid_on = due_on - dt.timedelta(days=rng.randint(0, 12))
    return paid_on if paid_on <= as_of else None


def has_history(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Payment).where(Payment.channel == "demo")))
