"""All SQL of the funding domain except the billing run (``billing_sql``). Reads returning people filter by scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Result, String, and_, func, literal, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from jangkau.db.scope import scope_filter
from jangkau.funding.models import (
    Allocation,
    Bill,
    BillLine,
    MembershipPayer,
    PaidMonth,
    Payer,
    Payment,
    PaymentReview,
    Programme,
    Sponsorship,
    StatementImport,
)
from jangkau.kit.months import Month
from jangkau.notify.models import Message
from jangkau.registry.models import Membership, Person


def _allocated_by_bill() -> Subquery:
    """What is paid on each bill: the money allocated to it (``rules.allocation``), not the payments naming it."""
    return (
        select(Allocation.bill_id, func.sum(Allocation.amount).label("allocated"))
        .group_by(Allocation.bill_id)
        .subquery("allocated")
    )


def _rowcount(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)


def add(session: Session, row: Any) -> Any:
    session.add(row)
    session.flush()
    return row


# --- payers and programmes ---------------------------------------------------------------------------------


def payer(session: Session, payer_id: int) -> Payer | None:
    return session.get(Payer, payer_id)


def payers(session: Session, kinds: Iterable[str]) -> Sequence[Payer]:
    return session.scalars(select(Payer).where(Payer.kind.in_(tuple(kinds))).order_by(Payer.id)).all()


def self_payer(session: Session, person_id: int) -> Payer | None:
    return session.scalars(select(Payer).where(Payer.person_id == person_id)).first()


def membership_payer(session: Session, membership_id: int) -> MembershipPayer | None:
    return session.get(MembershipPayer, membership_id)


def programme(session: Session, programme_id: int) -> Programme | None:
    return session.get(Programme, programme_id)


def programmes_of(session: Session, payer_id: int) -> Sequence[Programme]:
    return session.scalars(select(Programme).where(Programme.payer_id == payer_id).order_by(Programme.id)).all()


def programmes_in(session: Session, month: Month) -> Sequence[Programme]:
    """Programmes with at least one enrolment covering ``month``."""
    covering = select(Sponsorship.programme_id).where(
        Sponsorship.first_month <= month.first_day(), Sponsorship.last_month >= month.first_day()
    )
    return session.scalars(select(Programme).where(Programme.id.in_(covering))).all()


def programme_commitment(session: Session, programme_id: int, lock: bool = False) -> tuple[int, int]:
    """(workers enrolled, Rupiah committed) of a programme; ``lock`` serialises enrolments on PostgreSQL."""
    if lock:
        session.execute(select(Programme.id).where(Programme.id == programme_id).with_for_update())
    workers, committed = session.execute(
        select(func.count(), func.coalesce(func.sum(Sponsorship.committed), 0)).where(
            Sponsorship.programme_id == programme_id
        )
    ).one()
    return int(workers), int(committed)


def membership_with_person(
    session: Session, membership_id: int, scope: Iterable[str]
) -> tuple[Membership, Person] | None:
    row = session.execute(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.id == membership_id, scope_filter(Person.village_code, scope))
    ).first()
    return None if row is None else (row[0], row[1])


def overlapping_sponsorship(session: Session, membership_id: int, first: dt.date, last: dt.date) -> Sponsorship | None:
    return session.scalars(
        select(Sponsorship).where(
            Sponsorship.membership_id == membership_id, Sponsorship.first_month <= last, Sponsorship.last_month >= first
        )
    ).first()


def billed_and_paid_of_payer(session: Session, payer_id: int) -> tuple[int, int]:
    billed = session.scalar(select(func.coalesce(func.sum(Bill.amount), 0)).where(Bill.payer_id == payer_id))
    paid = session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.payer_id == payer_id))
    return int(billed or 0), int(paid or 0)


# --- bills and payments ------------------------------------------------------------------------------------


def bill_by_reference(session: Session, reference: str) -> Bill | None:
    return session.scalars(select(Bill).where(Bill.reference == reference)).first()


def bill(session: Session, bill_id: int) -> Bill | None:
    return session.get(Bill, bill_id)


def reversal_of(session: Session, payment_id: int) -> Payment | None:
    return session.scalars(select(Payment).where(Payment.reverses_payment_id == payment_id)).first()


def known_line_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Statement line keys already recorded as payments or put on the review list."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        found.update(session.scalars(select(Payment.line_key).where(Payment.line_key.in_(part))).all())  # type: ignore[arg-type]
        found.update(session.scalars(select(PaymentReview.line_key).where(PaymentReview.line_key.in_(part))).all())
    return found


def activate_pending(session: Session, bill_id: int) -> int:
    """Pending memberships with a month protected by this bill become active (protection starts with the first
    paid month); members of the bill whose month is not paid yet stay pending."""
    members = select(PaidMonth.membership_id).where(PaidMonth.bill_id == bill_id)
    result = session.execute(
        update(Membership)
        .where(Membership.status == "pending", Membership.id.in_(members))
        .values(status="active")
        .execution_options(synchronize_session=False)
    )
    session.expire_all()  # memberships loaded earlier must show their new status
    return _rowcount(result)


def next_seq(session: Session, payer_id: int, month: dt.date, kind: str) -> int:
    top = session.scalar(
        select(func.max(Bill.seq)).where(Bill.payer_id == payer_id, Bill.month == month, Bill.kind == kind)
    )
    return 0 if top is None else int(top) + 1


def month_totals(session: Session, month: Month) -> dict[str, dict[str, int]]:
    """Bills, lines and Rupiah billed for ``month`` per bill kind."""
    rows = session.execute(
        select(Bill.kind, func.count(), func.coalesce(func.sum(Bill.amount), 0))
        .where(Bill.month == month.first_day())
        .group_by(Bill.kind)
    ).all()
    lines = dict(
        session.execute(
            select(Bill.kind, func.count())
            .join(BillLine, BillLine.bill_id == Bill.id)
            .where(Bill.month == month.first_day())
            .group_by(Bill.kind)
        ).all()
    )
    return {
        str(kind): {"bills": int(n), "lines": int(lines.get(kind, 0)), "amount": int(amount)}
        for kind, n, amount in rows
    }


def bills_of_membership(session: Session, membership_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(BillLine.month, BillLine.amount, Bill.reference, Bill.due_on, PaidMonth.paid_on)
        .join(Bill, Bill.id == BillLine.bill_id)
        .outerjoin(
            PaidMonth, and_(PaidMonth.membership_id == BillLine.membership_id, PaidMonth.month == BillLine.month)
        )
        .where(BillLine.membership_id == membership_id)
        .order_by(BillLine.month)
    ).all()
    return [{"month": m, "amount": int(a), "reference": r, "due_on": d, "paid_on": p} for m, a, r, d, p in rows]


def paid_months(session: Session, membership_id: int) -> list[dt.date]:
    return list(
        session.scalars(
            select(PaidMonth.month).where(PaidMonth.membership_id == membership_id).order_by(PaidMonth.month)
        ).all()
    )


def unpaid_bills(session: Session, due_from: dt.date, due_to: dt.date) -> list[tuple[Bill, Payer, int]]:
    """Bills due in [due_from, due_to] not yet paid in full, with their payer and what was paid."""
    paid = _allocated_by_bill()
    rows = session.execute(
        select(Bill, Payer, func.coalesce(paid.c.allocated, 0))
        .join(Payer, Payer.id == Bill.payer_id)
        .outerjoin(paid, paid.c.bill_id == Bill.id)
        .where(Bill.due_on >= due_from, Bill.due_on <= due_to, Bill.amount > func.coalesce(paid.c.allocated, 0))
        .order_by(Bill.id)
    ).all()
    return [(b, p, int(x)) for b, p, x in rows]


def payer_people(session: Session) -> dict[int, Person]:
    """The persons who pay for themselves, by payer id (reminders go to them)."""
    rows = session.execute(select(Payer.id, Person).join(Person, Person.id == Payer.person_id)).all()
    return {int(payer_id): person for payer_id, person in rows}


def payment_dates(session: Session, bill_ids: Iterable[int]) -> dict[int, list[dt.date]]:
    """The dates payments were made on each of ``bill_ids`` (reversals left out)."""
    wanted = sorted(set(bill_ids))
    found: dict[int, list[dt.date]] = {}
    for start in range(0, len(wanted), 1000):
        rows = session.execute(
            select(Payment.bill_id, Payment.paid_on).where(
                Payment.bill_id.in_(wanted[start : start + 1000]), Payment.kind == "payment"
            )
        )
        for bill_id, paid_on in rows:
            found.setdefault(int(bill_id), []).append(paid_on)
    return found


def paid_after_missed(session: Session, missed_uses: Sequence[str]) -> list[tuple[Person, Bill, Payer]]:
    """Bills paid in full that had a missed-payment message and no "protection restored" message yet."""
    paid = _allocated_by_bill()
    reference = literal("bill:") + sql_cast(Bill.id, String)
    missed = select(Message.reference).where(Message.use.in_(missed_uses), Message.status != "cancelled")
    restored = select(Message.reference).where(Message.use == "protection_restored")
    rows = session.execute(
        select(Person, Bill, Payer)
        .join(Payer, Payer.id == Bill.payer_id)
        .join(Person, Person.id == Payer.person_id)
        .join(paid, paid.c.bill_id == Bill.id)
        .where(paid.c.allocated >= Bill.amount, reference.in_(missed), reference.not_in(restored))
        .order_by(Bill.id)
    ).all()
    return [(p, b, y) for p, b, y in rows]


def review_list(session: Session, limit: int = 500) -> Sequence[PaymentReview]:
    return session.scalars(select(PaymentReview).order_by(PaymentReview.id.desc()).limit(limit)).all()


def statement_import(session: Session, statement_id: int) -> StatementImport | None:
    return session.get(StatementImport, statement_id)


# --- coverage and lapse ------------------------------------------------------------------------------------


def last_paid_months(session: Session) -> list[dt.date]:
    """Distinct last paid months of open BPU memberships that have paid at least once."""
    last = (
        select(PaidMonth.membership_id, func.max(PaidMonth.month).label("last"))
        .group_by(PaidMonth.membership_id)
        .subquery("last_paid")
    )
    return list(
        session.scalars(
            select(last.c.last)
            .join(Membership, Membership.id == last.c.membership_id)
            .where(Membership.segment == "bpu", Membership.status.in_(("active", "lapsed")))
            .distinct()
        ).all()
    )


def set_bpu_status(session: Session, last_paid: dt.date, status: str, end_date: dt.date | None) -> int:
    """Set the status of open BPU memberships whose last paid month is ``last_paid``; returns how many changed."""
    members = (
        select(PaidMonth.membership_id).group_by(PaidMonth.membership_id).having(func.max(PaidMonth.month) == last_paid)
    )
    result = session.execute(
        update(Membership)
        .where(
            Membership.segment == "bpu",
            Membership.status.in_(("active", "lapsed")),
            Membership.status != status,
            Membership.id.in_(members),
        )
        .values(status=status, end_date=end_date)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return _rowcount(result)


def lapsed_members(
    session: Session, scope: Iterable[str], since: dt.date, village: str | None, limit: int
) -> list[tuple[Person, Membership]]:
    """BPU members in arrears or ended on or after ``since``, inside ``scope`` (and ``village``), by village."""
    conditions = [
        scope_filter(Person.village_code, scope),
        Membership.segment == "bpu",
        (Membership.status == "lapsed") | ((Membership.status == "ended") & (Membership.end_date >= since)),
    ]
    if village:
        conditions.append(scope_filter(Person.village_code, [village]))
    rows = session.execute(
        select(Person, Membership)
        .join(Membership, Membership.person_id == Person.id)
        .where(*conditions)
        .order_by(Person.village_code, Person.full_name, Membership.id)
        .limit(limit)
    ).all()
    return [(p, m) for p, m in rows]


# --- sponsor statement -------------------------------------------------------------------------------------


def sponsor_bills(session: Session, payer_id: int, first: dt.date, last: dt.date) -> list[tuple[Bill, int]]:
    paid = _allocated_by_bill()
    rows = session.execute(
        select(Bill, func.coalesce(paid.c.allocated, 0))
        .outerjoin(paid, paid.c.bill_id == Bill.id)
        .where(Bill.payer_id == payer_id, Bill.month >= first, Bill.month <= last)
        .order_by(Bill.month, Bill.kind, Bill.seq)
    ).all()
    return [(b, int(p)) for b, p in rows]


def sponsor_lines(
    session: Session, payer_id: int, first: dt.date, last: dt.date, scope: Iterable[str]
) -> list[tuple[Person, BillLine, dt.date | None]]:
    """Lines of the sponsor's bills in the period with the person and the date the month became protected."""
    rows = session.execute(
        select(Person, BillLine, PaidMonth.paid_on)
        .join(BillLine, BillLine.person_id == Person.id)
        .join(Bill, Bill.id == BillLine.bill_id)
        .outerjoin(
            PaidMonth,
            and_(
                PaidMonth.membership_id == BillLine.membership_id,
                PaidMonth.month == BillLine.month,
                PaidMonth.bill_id == Bill.id,
            ),
        )
        .where(
            Bill.payer_id == payer_id,
            Bill.month >= first,
            Bill.month <= last,
            scope_filter(Person.village_code, scope),
        )
        .order_by(Person.village_code, Person.full_name, BillLine.month)
    ).all()
    return [(p, line, paid_on) for p, line, paid_on in rows]


def programmes_with_sponsors(session: Session) -> list[tuple[Programme, Payer]]:
    """Every programme with its sponsor, newest first."""
    rows = session.execute(
        select(Programme, Payer).join(Payer, Payer.id == Programme.payer_id).order_by(Programme.start_month.desc())
    ).all()
    return [(programme, payer) for programme, payer in rows]


def villages_and_months_of_bill(session: Session, bill_id: int) -> list[tuple[str, dt.date]]:
    """The (village, month) pairs a bill's lines cover: what a payment changes in the coverage summaries."""
    rows = session.execute(
        select(Person.village_code, BillLine.month)
        .join(Person, Person.id == BillLine.person_id)
        .where(BillLine.bill_id == bill_id)
        .distinct()
    ).all()
    return [(village, month) for village, month in rows]


def villages_and_starts_changed_since(session: Session, since: dt.datetime) -> list[tuple[str, dt.date]]:
    """(village code, membership start) of the memberships changed since ``since`` (distinct pairs)."""
    changed = (
        select(Person.village_code, Membership.start_date)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.updated_at >= since)
        .distinct()
    )
    return [(str(v), s) for v, s in session.execute(changed).all()]


def sponsorships_of_person(session: Session, person_id: int) -> list[tuple[Sponsorship, Programme, Payer]]:
    """A person's sponsorships with their programme and sponsor (the person page's "who pays")."""
    rows = session.execute(
        select(Sponsorship, Programme, Payer)
        .join(Programme, Programme.id == Sponsorship.programme_id)
        .join(Payer, Payer.id == Programme.payer_id)
        .where(Sponsorship.person_id == person_id)
        .order_by(Sponsorship.first_month)
    ).all()
    return [(s, p, payer) for s, p, payer in rows]


def payments_of_person(session: Session, person_id: int, limit: int = 60) -> list[tuple[Payment, Bill]]:
    """Payments and reversals on the bills holding a line of ``person_id``, newest first."""
    bills = select(BillLine.bill_id).where(BillLine.person_id == person_id)
    rows = session.execute(
        select(Payment, Bill)
        .join(Bill, Bill.id == Payment.bill_id)
        .where(Payment.bill_id.in_(bills))
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
        .limit(limit)
    ).all()
    return [(p, b) for p, b in rows]


def review_count(session: Session) -> int:
    """How many statement lines wait on the review list."""
    return session.scalar(select(func.count()).select_from(PaymentReview)) or 0


def payers_of_user(session: Session, user_id: int) -> Sequence[Payer]:
    """The payers a sign-in speaks for (a sponsor's officer), by name."""
    from jangkau.funding.models import PayerUser

    return session.scalars(
        select(Payer)
        .join(PayerUser, PayerUser.payer_id == Payer.id)
        .where(PayerUser.user_id == user_id)
        .order_by(Payer.name)
    ).all()
