"""SQL of the office's money desk: a member's bills and payments, a payer's oldest open bill, statement results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.db.scope import scope_filter
from jangkau.funding.models import Allocation, Bill, BillLine, Payment, PaymentReview, StatementImport
from jangkau.funding.repository.allocation import bill_in_scope
from jangkau.registry.models import Membership, Person


def person_by_nik(session: Session, nik: str, scope: Iterable[str]) -> Person | None:
    """The person with this NIK living inside ``scope`` (``None`` outside it, as if unknown)."""
    return session.scalars(select(Person).where(Person.nik == nik, scope_filter(Person.village_code, scope))).first()


def person_in_scope(session: Session, person_id: int, scope: Iterable[str]) -> Person | None:
    return session.scalars(
        select(Person).where(Person.id == person_id, scope_filter(Person.village_code, scope))
    ).first()


def memberships_of(session: Session, person_id: int) -> Sequence[Membership]:
    """A person's memberships, the newest first."""
    return session.scalars(
        select(Membership).where(Membership.person_id == person_id).order_by(Membership.start_date.desc())
    ).all()


def oldest_open_bill(session: Session, payer_id: int) -> Bill | None:
    """The payer's oldest bill not yet paid in full, else its latest bill (the money then buys months ahead or
    stays as credit, as the allocation decides)."""
    paid = func.coalesce(select(func.sum(Allocation.amount)).where(Allocation.bill_id == Bill.id).scalar_subquery(), 0)
    open_bill = session.scalars(
        select(Bill)
        .where(Bill.payer_id == payer_id, Bill.amount > 0, paid < Bill.amount)
        .order_by(Bill.due_on, Bill.id)
        .limit(1)
    ).first()
    if open_bill is not None:
        return open_bill
    return session.scalars(select(Bill).where(Bill.payer_id == payer_id).order_by(Bill.id.desc()).limit(1)).first()


def bill_visible(session: Session, bill: Bill, scope: Iterable[str]) -> bool:
    """Whether a bill concerns a worker inside ``scope``: its own lines, or those of the bill it corrects (a fine
    or a correction has no lines of its own)."""
    scope = tuple(scope)
    if bill_in_scope(session, bill.id, scope):
        return True
    return bill.corrects_bill_id is not None and bill_in_scope(session, bill.corrects_bill_id, scope)


def lines_of_person(session: Session, person_id: int) -> list[tuple[int, dt.date, int, str, dt.date, str]]:
    """Every bill line of a person: membership id, contribution month, amount, bill reference, due date, kind."""
    rows = session.execute(
        select(BillLine.membership_id, BillLine.month, BillLine.amount, Bill.reference, Bill.due_on, Bill.kind)
        .join(Bill, Bill.id == BillLine.bill_id)
        .where(BillLine.person_id == person_id)
        .order_by(BillLine.month, Bill.id)
    ).all()
    return [(int(m), month, int(a), str(r), due, str(k)) for m, month, a, r, due, k in rows]


def payments_of_payers(session: Session, payer_ids: Iterable[int]) -> Sequence[Payment]:
    ids = sorted(set(payer_ids))
    if not ids:
        return []
    return session.scalars(select(Payment).where(Payment.payer_id.in_(ids)).order_by(Payment.paid_on, Payment.id)).all()


def bill_references(session: Session, bill_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(bill_ids))
    if not ids:
        return {}
    rows = session.execute(select(Bill.id, Bill.reference).where(Bill.id.in_(ids))).all()
    return {int(bill_id): str(reference) for bill_id, reference in rows}


def statement_reviews(session: Session, statement_id: int) -> Sequence[PaymentReview]:
    return session.scalars(
        select(PaymentReview).where(PaymentReview.statement_id == statement_id).order_by(PaymentReview.line_no)
    ).all()


def statement_payments(session: Session, statement_id: int) -> Sequence[Payment]:
    return session.scalars(select(Payment).where(Payment.statement_id == statement_id).order_by(Payment.id)).all()


def recent_statements(session: Session, limit: int = 10) -> Sequence[StatementImport]:
    return session.scalars(select(StatementImport).order_by(StatementImport.id.desc()).limit(limit)).all()


def payment(session: Session, payment_id: int) -> Payment | None:
    return session.get(Payment, payment_id)
