"""Payments that allocate: months ahead, parts of a bill held as credit, reversals, and bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.errors import Conflict, InvalidInput, NotFound
from jangkau.funding.jobs import run_billing
from jangkau.funding.models import Allocation, Bill, BillLine, Credit, Payer, Payment
from jangkau.funding.payments import reverse_payment
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import membership_coverage, record_payment
from jangkau.kit.months import Month
from jangkau.registry.models import Membership

from .conftest import VILLAGE, Town

Units = Callable[[], AbstractContextManager[Session]]
MARCH = Month(2026, 3)
PAID_ON = dt.date(2026, 3, 10)


def own_bill(session: Session, membership: Membership, month: Month = MARCH) -> Bill:
    return session.scalars(
        select(Bill)
        .join(BillLine, BillLine.bill_id == Bill.id)
        .where(BillLine.membership_id == membership.id, BillLine.month == month.first_day())
    ).one()


def pay(session: Session, bill: Bill, amount: int, on: dt.date = PAID_ON) -> dict[str, object]:
    return record_payment(session, PaymentIn(reference=bill.reference, amount=amount, paid_on=on), "test")


def protected(session: Session, membership: Membership) -> list[str]:
    coverage = membership_coverage(session, membership.id, dt.date(2026, 3, 20))
    return [str(Month.of(b["month"])) for b in coverage["bills"] if b["paid_on"] is not None]


def test_rp50400_pays_three_bpu_months_in_one_payment(session: Session, town: Town, units: Units) -> None:
    worker = town.bpu[2]  # JKK + JKM on the minimum band: Rp16,800 a month
    run_billing(units, MARCH)
    result = pay(session, own_bill(session, worker), 50_400)
    assert result["advance_reference"] is not None
    assert (result["months_protected"], result["credit"], result["needs_review"]) == (3, 0, False)
    assert protected(session, worker) == ["2026-03", "2026-04", "2026-05"]
    coverage = membership_coverage(session, worker.id, dt.date(2026, 3, 20))
    assert coverage["protected_until"] == "2026-05-31"
    run_billing(units, Month(2026, 4))  # April is paid already: the billing run does not bill it again
    lines = session.scalar(select(func.count()).select_from(BillLine).where(BillLine.membership_id == worker.id))
    assert lines == 3


def test_half_a_bill_protects_nothing_and_is_held_as_credit(session: Session, town: Town, units: Units) -> None:
    worker = town.bpu[0]
    run_billing(units, MARCH)
    bill = own_bill(session, worker)
    half = pay(session, bill, 8_400)
    assert (half["months_protected"], half["credit"], half["outstanding"]) == (0, 8_400, 16_800)
    coverage = membership_coverage(session, worker.id, dt.date(2026, 3, 20))
    assert coverage["protected_until"] is None
    assert coverage["payer_credit"] == 8_400
    assert protected(session, worker) == []
    page = client_as(session, Principal(None, "pekerja", Role.WORKER, (VILLAGE,), person_id=worker.person_id))
    shown = page.get("/coverage").text  # the worker's own coverage page
    assert "Rp8.400" in shown
    assert "belum terlindungi" in shown
    rest = pay(session, bill, 8_400, dt.date(2026, 3, 12))  # the credit and the second half pay the month
    assert (rest["months_protected"], rest["credit"], rest["outstanding"]) == (1, 0, 0)
    assert protected(session, worker) == ["2026-03"]


def test_reversal_says_which_months_lose_protection(session: Session, town: Town, units: Units) -> None:
    worker = town.bpu[2]
    run_billing(units, MARCH)
    bill = own_bill(session, worker)
    first = pay(session, bill, 16_800)
    pay(session, bill, 33_600, dt.date(2026, 3, 11))  # April and May ahead
    undone = reverse_payment(session, int(str(first["payment_id"])), dt.date(2026, 3, 15), "test", "giro ditolak")
    # the latest months go first: May loses protection, March and April stay paid
    assert undone["months_unprotected"] == [{"membership_id": worker.id, "month": "2026-05"}]
    assert undone["credit"] == 0
    assert protected(session, worker) == ["2026-03", "2026-04"]
    payer = allocation_sql.payer_of_membership(session, worker)
    assert payer is not None
    paid = session.scalar(select(func.sum(Payment.amount)).where(Payment.payer_id == payer.id))
    allocated = session.scalar(select(func.sum(Allocation.amount)).where(Allocation.payer_id == payer.id))
    assert allocated + allocation_sql.credit_balance(session, payer.id) == paid == 33_600
    with pytest.raises(Conflict) as twice:
        reverse_payment(session, int(str(first["payment_id"])), dt.date(2026, 3, 16), "test")
    assert twice.value.code == "payment_already_reversed"


def test_bad_input_is_refused_and_nothing_is_half_written(session: Session, town: Town, units: Units) -> None:
    run_billing(units, MARCH)
    bill = own_bill(session, town.bpu[0])

    def entries() -> tuple[int, int, int]:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(t)) or 0) for t in (Payment, Allocation, Credit)
        )

    before = entries()
    with pytest.raises(InvalidInput, match="positive"):
        pay(session, bill, -16_800)
    with pytest.raises(NotFound) as unknown:
        reverse_payment(session, 999_999, PAID_ON, "test")
    assert unknown.value.code == "payment_not_found"
    assert entries() == before
    pay(session, bill, 16_800)
    employer_bill = session.scalars(
        select(Bill).join(Payer, Payer.id == Bill.payer_id).where(Payer.kind == "employer")
    ).first()
    assert employer_bill is not None
    pay(session, employer_bill, employer_bill.amount)
    again = pay(session, employer_bill, 50_000)  # the employer owes nothing more: kept, flagged for review
    assert (again["needs_review"], again["credit"], again["months_protected"]) == (True, 50_000, 0)
    flagged = allocation_sql.review_credits(session)
    assert [(c.amount, c.needs_review) for c in flagged] == [(50_000, True)]
    officer = client_as(session, Principal(None, "petugas", Role.BRANCH_OFFICER, ("",)))
    assert "Rp50.000" in officer.get("/funding/review").text  # listed for an officer to check
