"""The SQL of payment allocation (part of the funding repository, kept apart like ``billing_sql``).

A *slot* is one BPU bill line (a month) or a whole bill, as the rule ``payment_allocation`` says per bill kind. Its
money is the sum of its ``funding_allocation`` entries; it is paid when that sum equals its amount. Slot keys are
``line:<bill id>:<line id>`` and ``bill:<bill id>``. ``funding_paid_month`` follows the paid slots, so every reader
of protected months (coverage, lapse job, claims, reports, outreach) reads this allocation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import and_, delete, func, insert, literal, select, tuple_, update
from sqlalchemy.orm import Session

from jangkau.db.scope import scope_filter
from jangkau.funding.models import Allocation, Bill, BillLine, Credit, MembershipPayer, PaidMonth, Payer
from jangkau.kit.months import Month
from jangkau.registry.models import Membership, Person
from jangkau.rules import Slot, allocation_unit
from jangkau.rules.allocation import paid_last

OPEN = ("pending", "active", "lapsed")


def slot_key(bill_id: int, line_id: int | None) -> str:
    return f"bill:{bill_id}" if line_id is None else f"line:{bill_id}:{line_id}"


def parse_key(key: str) -> tuple[int, int | None]:
    """(bill id, line id or None) of a slot key."""
    parts = key.split(":")
    return int(parts[1]), int(parts[2]) if parts[0] == "line" else None


def credit_balance(session: Session, payer_id: int) -> int:
    return int(
        session.scalar(select(func.coalesce(func.sum(Credit.amount), 0)).where(Credit.payer_id == payer_id)) or 0
    )


def allocated_on_bill(session: Session, bill_id: int) -> int:
    return int(
        session.scalar(select(func.coalesce(func.sum(Allocation.amount), 0)).where(Allocation.bill_id == bill_id)) or 0
    )


def bill_is_paid(session: Session, bill_id: int) -> bool:
    """Whether a bill's allocation covers its amount (every line, or the bill as a whole)."""
    amount = session.scalar(select(Bill.amount).where(Bill.id == bill_id))
    return amount is not None and allocated_on_bill(session, bill_id) >= amount


def _bill_months(session: Session, bill_ids: Sequence[int]) -> dict[int, tuple[Month, ...]]:
    out: dict[int, set[Month]] = defaultdict(set)
    for start in range(0, len(bill_ids), 500):
        rows = session.execute(
            select(BillLine.bill_id, BillLine.month)
            .where(BillLine.bill_id.in_(bill_ids[start : start + 500]))
            .distinct()
        ).all()
        for bill_id, month in rows:
            out[int(bill_id)].add(Month.of(month))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def open_slots(session: Session, payer_id: int, on: dt.date) -> list[Slot]:
    """What the payer owes and has not paid: whole bills, and BPU months line by line (positive amounts only)."""
    money = func.coalesce(func.sum(Allocation.amount), 0)
    bills = session.execute(
        select(Bill.id, Bill.kind, Bill.due_on, Bill.amount, money)
        .outerjoin(Allocation, and_(Allocation.bill_id == Bill.id, Allocation.bill_line_id.is_(None)))
        .where(Bill.payer_id == payer_id, Bill.amount > 0)
        .group_by(Bill.id, Bill.kind, Bill.due_on, Bill.amount)
    ).all()
    units = {int(i): allocation_unit(kind, on) for i, kind, _due, _a, _paid in bills}
    last = {int(i) for i, kind, _due, _a, _paid in bills if paid_last(kind, on)}
    whole = [(int(i), due, int(a)) for i, _kind, due, a, paid in bills if units[int(i)] == "bill" and paid < a]
    by_line = [i for i, unit in units.items() if unit == "line"]
    months = _bill_months(session, [i for i, _due, _a in whole])
    slots = [Slot(slot_key(i, None), due, a, months.get(i, ()), i in last) for i, due, a in whole]
    for start in range(0, len(by_line), 500):
        rows = session.execute(
            select(Bill.id, BillLine.id, Bill.due_on, BillLine.month, BillLine.amount, money)
            .join(BillLine, BillLine.bill_id == Bill.id)
            .outerjoin(Allocation, Allocation.bill_line_id == BillLine.id)
            .where(Bill.id.in_(by_line[start : start + 500]), BillLine.amount > 0)
            .group_by(Bill.id, BillLine.id, Bill.due_on, BillLine.month, BillLine.amount)
            .having(money < BillLine.amount)
        ).all()
        slots += [Slot(slot_key(b, ln), due, int(a), (Month.of(m),)) for b, ln, due, m, a, _paid in rows]
    return slots


def filled_latest_first(session: Session, payer_id: int) -> list[Slot]:
    """The payer's paid slots, the one filled last first."""
    money = func.sum(Allocation.amount)
    rows = session.execute(
        select(Allocation.bill_id, Allocation.bill_line_id, money, func.max(Allocation.id))
        .where(Allocation.payer_id == payer_id)
        .group_by(Allocation.bill_id, Allocation.bill_line_id)
        .having(money > 0)
        .order_by(func.max(Allocation.id).desc())
    ).all()
    bill_ids = sorted({int(b) for b, _l, _m, _i in rows})
    due = dict(session.execute(select(Bill.id, Bill.due_on).where(Bill.id.in_(bill_ids))).all()) if bill_ids else {}
    months = _bill_months(session, bill_ids)
    line_ids = [int(ln) for _b, ln, _m, _i in rows if ln is not None]
    line_month = (
        dict(session.execute(select(BillLine.id, BillLine.month).where(BillLine.id.in_(line_ids))).all())
        if line_ids
        else {}
    )
    return [
        Slot(
            slot_key(int(b), ln),
            due[b],
            int(m),
            months.get(int(b), ()) if ln is None else (Month.of(line_month[ln]),),
        )
        for b, ln, m, _i in rows
    ]


def add_entries(session: Session, payer_id: int, payment_id: int, slots: Iterable[Slot], sign: int) -> None:
    """Allocation entries for ``slots`` (``sign`` +1 to fill, -1 to undo)."""
    rows = []
    for slot in slots:
        bill_id, line_id = parse_key(slot.key)
        rows.append(
            {
                "payer_id": payer_id,
                "payment_id": payment_id,
                "bill_id": bill_id,
                "bill_line_id": line_id,
                "amount": sign * slot.amount,
            }
        )
    if rows:
        session.execute(insert(Allocation), rows)


def add_credit(
    session: Session, payer_id: int, payment_id: int, amount: int, needs_review: bool, reason: str | None
) -> None:
    if amount or needs_review:
        session.add(
            Credit(payer_id=payer_id, payment_id=payment_id, amount=amount, needs_review=needs_review, reason=reason)
        )
        session.flush()


def protect(session: Session, slots: Iterable[Slot], paid_on: dt.date) -> int:
    """Protected months for the lines of paid slots (months already protected are kept); returns rows added."""
    added = 0
    for slot in slots:
        bill_id, line_id = parse_key(slot.key)
        already = select(PaidMonth.membership_id).where(
            PaidMonth.membership_id == BillLine.membership_id, PaidMonth.month == BillLine.month
        )
        where = [BillLine.bill_id == bill_id, ~already.exists()]
        if line_id is not None:
            where.append(BillLine.id == line_id)
        before = _count_protected(session, bill_id)
        session.execute(
            insert(PaidMonth).from_select(
                ["membership_id", "month", "bill_id", "paid_on"],
                select(BillLine.membership_id, BillLine.month, literal(bill_id), literal(paid_on)).where(*where),
            )
        )
        added += _count_protected(session, bill_id) - before
    return added


def _count_protected(session: Session, bill_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(PaidMonth).where(PaidMonth.bill_id == bill_id)) or 0)


def unprotect(session: Session, slots: Iterable[Slot]) -> list[tuple[int, dt.date]]:
    """Remove the protection the undone slots gave; returns the (membership id, month) pairs that lost it."""
    lost: list[tuple[int, dt.date]] = []
    for slot in slots:
        bill_id, line_id = parse_key(slot.key)
        lines = select(BillLine.membership_id, BillLine.month).where(BillLine.bill_id == bill_id)
        if line_id is not None:
            lines = lines.where(BillLine.id == line_id)
        pairs = [(int(m), d) for m, d in session.execute(lines).all()]
        if not pairs:
            continue
        found = session.execute(
            select(PaidMonth.membership_id, PaidMonth.month).where(
                PaidMonth.bill_id == bill_id, tuple_(PaidMonth.membership_id, PaidMonth.month).in_(pairs)
            )
        ).all()
        session.execute(
            delete(PaidMonth)
            .where(PaidMonth.bill_id == bill_id, tuple_(PaidMonth.membership_id, PaidMonth.month).in_(pairs))
            .execution_options(synchronize_session=False)
        )
        lost += [(int(m), d) for m, d in found]
    return sorted(lost)


def ahead_membership(session: Session, payer: Payer) -> tuple[Membership, Month | None] | None:
    """The one open BPU membership a payer pays for (itself or by assignment) and its last billed month.

    None when the payer pays for none or for several (a wadah): months ahead are bought only for one worker.
    """
    assigned = select(MembershipPayer.membership_id).where(MembershipPayer.payer_id == payer.id)
    query = select(Membership).where(Membership.segment == "bpu", Membership.status.in_(OPEN))
    if payer.kind == "self":
        others = select(MembershipPayer.membership_id).where(MembershipPayer.payer_id != payer.id)
        query = query.where(
            (Membership.id.in_(assigned)) | ((Membership.person_id == payer.person_id) & Membership.id.not_in(others))
        )
    else:
        query = query.where(Membership.id.in_(assigned))
    found = session.scalars(query.limit(2)).all()
    if len(found) != 1:
        return None
    last = session.scalar(select(func.max(BillLine.month)).where(BillLine.membership_id == found[0].id))
    return found[0], Month.of(last) if last else None


def next_seq_at_least_one(session: Session, payer_id: int, month: dt.date) -> int:
    """A bill sequence for an advance bill: never 0, which the billing run keeps for its own bill of the month."""
    top = session.scalar(
        select(func.max(Bill.seq)).where(Bill.payer_id == payer_id, Bill.month == month, Bill.kind == "bpu")
    )
    return max(1, 0 if top is None else int(top) + 1)


def lines_of_bill(session: Session, bill_id: int) -> list[BillLine]:
    return list(session.scalars(select(BillLine).where(BillLine.bill_id == bill_id).order_by(BillLine.month)).all())


def review_credits(session: Session, limit: int = 200) -> Sequence[Credit]:
    """Money kept as credit because it came without an open bill, newest first (an officer looks at these)."""
    return session.scalars(select(Credit).where(Credit.needs_review).order_by(Credit.id.desc()).limit(limit)).all()


def payer_of_membership(session: Session, membership: Membership) -> Payer | None:
    """Who pays a membership now: its assigned payer, else the employer (PU) or the worker (BPU)."""
    assigned = session.get(MembershipPayer, membership.id)
    if assigned is not None:
        return session.get(Payer, assigned.payer_id)
    if membership.employer_id is not None and membership.segment == "pu":
        return session.scalars(select(Payer).where(Payer.employer_id == membership.employer_id)).first()
    return session.scalars(select(Payer).where(Payer.person_id == membership.person_id)).first()


def bill_in_scope(session: Session, bill_id: int, scope: Iterable[str]) -> bool:
    """Whether a bill holds at least one worker living inside ``scope`` (``("",)``: everywhere)."""
    if "" in scope:
        return True
    found = session.scalar(
        select(BillLine.id)
        .join(Person, Person.id == BillLine.person_id)
        .where(BillLine.bill_id == bill_id, scope_filter(Person.village_code, scope))
        .limit(1)
    )
    return found is not None


def back_to_pending(session: Session, membership_ids: Iterable[int]) -> int:
    """Active or lapsed memberships left with no protected month at all (their only payment was reversed) are
    pending again: membership starts with the first contribution paid (PP 45/2015 Ps 3)."""
    ids = sorted(set(membership_ids))
    if not ids:
        return 0
    any_paid = select(PaidMonth.membership_id).where(PaidMonth.membership_id == Membership.id).exists()
    result = session.execute(
        update(Membership)
        .where(Membership.id.in_(ids), Membership.status.in_(("active", "lapsed")), ~any_paid)
        .values(status="pending")
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)
