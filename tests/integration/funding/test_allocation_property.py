"""The allocation as stored, for any sequence of bills, payments (part, exact, ahead) and reversals: money is
conserved in the ledger and the protected months are exactly the months paid in full (SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.errors import Conflict
from jangkau.funding.jobs import run_billing
from jangkau.funding.models import Allocation, Bill, BillLine, Credit, PaidMonth, Payment
from jangkau.funding.payments import reverse_payment
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.kit.months import Month

from .conftest import Town

Units = Callable[[], AbstractContextManager[Session]]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("bill"), st.just(0)),
        st.tuples(st.just("pay"), st.sampled_from([8_400, 16_800, 25_200, 50_400, 5_000])),
        st.tuples(st.just("reverse"), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=10,
)


def _run(session: Session, units: Units, town: Town, steps: list[tuple[str, int]]) -> None:
    """Bill month after month, pay against the worker's first bill (money goes to the payer's open bills oldest
    first, then months ahead, then credit) and reverse earlier payments."""
    month, payments, reference = Month(2026, 3), [], ""
    for kind, value in steps:
        if kind == "bill":
            run_billing(units, month)
            month = month.next()
            reference = reference or _first_bill(session, town)
        elif kind == "pay":
            data = PaymentIn(reference=reference, amount=value, paid_on=month.plus(-1).day(10))
            payments.append(int(record_payment(session, data, "t")["payment_id"]))
        elif value < len(payments):
            with contextlib.suppress(Conflict):  # reversed already
                reverse_payment(session, payments[value], month.plus(-1).day(20), "t")


def _first_bill(session: Session, town: Town) -> str:
    return str(
        session.scalar(
            select(Bill.reference)
            .join(BillLine, BillLine.bill_id == Bill.id)
            .where(BillLine.membership_id == town.bpu[2].id)
            .order_by(Bill.id)
        )
    )


def _check(session: Session, town: Town) -> None:
    payer = allocation_sql.payer_of_membership(session, town.bpu[2])
    if payer is None:
        return
    paid = session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.payer_id == payer.id))
    allocated = session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0)).where(Allocation.payer_id == payer.id)
    )
    credit = session.scalar(select(func.coalesce(func.sum(Credit.amount), 0)).where(Credit.payer_id == payer.id))
    assert credit >= 0
    assert allocated + credit == paid  # payments minus reversals (reversals are negative payments)
    per_line = dict(
        session.execute(
            select(Allocation.bill_line_id, func.sum(Allocation.amount))
            .where(Allocation.payer_id == payer.id)
            .group_by(Allocation.bill_line_id)
        ).all()
    )
    lines = session.execute(
        select(BillLine.id, BillLine.month, BillLine.amount).where(BillLine.membership_id == town.bpu[2].id)
    ).all()
    fully_paid = {month for line_id, month, amount in lines if per_line.get(line_id, 0) == amount}
    assert all(per_line.get(line_id, 0) in (0, amount) for line_id, _month, amount in lines)
    protected = set(session.scalars(select(PaidMonth.month).where(PaidMonth.membership_id == town.bpu[2].id)))
    assert protected == fully_paid


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_stored_allocation_conserves_money_and_protects_fully_paid_months(
    session: Session, town: Town, units: Units, steps: list[tuple[str, int]]
) -> None:
    outer = session.begin_nested()
    try:
        _run(session, units, town, [("bill", 0), *steps])
        _check(session, town)
    finally:
        outer.rollback()
        session.expire_all()
