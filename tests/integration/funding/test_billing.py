"""The monthly billing run: amounts from the rules engine, one bill per payer, resumable, never twice."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from jangkau.funding.jobs import prepare_payers, run_billing
from jangkau.funding.models import Bill, BillLine, Payer
from jangkau.kit.months import Month
from jangkau.rules import Segment, bpu_contribution, due_date, pu_contribution

from .conftest import Town

Units = Callable[[], AbstractContextManager[Session]]
MARCH = Month(2026, 3)


def lines_by_membership(session: Session) -> dict[int, int]:
    return {int(m): int(a) for m, a in session.execute(select(BillLine.membership_id, BillLine.amount)).all()}


def test_pu_bill_matches_the_rules_engine_and_is_due_the_15th_of_next_month(
    session: Session, town: Town, units: Units
) -> None:
    run_billing(units, MARCH)
    bill = session.scalars(select(Bill).where(Bill.kind == "pu")).one()
    expected = {m.id: pu_contribution(m.wage or 0, 1, MARCH).total for m in town.pu}
    lines = lines_by_membership(session)
    assert {m.id: lines[m.id] for m in town.pu} == expected
    assert bill.amount == sum(expected.values())
    assert bill.due_on == due_date(Segment.PU, MARCH).due_on
    assert bill.reference.startswith("PU-202603-")


def test_bpu_bill_per_worker_due_in_the_month_itself(session: Session, town: Town, units: Units) -> None:
    run_billing(units, MARCH)
    bills = session.scalars(select(Bill).where(Bill.kind == "bpu")).all()
    assert len(bills) == 3
    assert {b.due_on for b in bills} == {due_date(Segment.BPU, MARCH).due_on}
    lines = lines_by_membership(session)
    assert lines[town.bpu[1].id] == bpu_contribution(1_500_000, MARCH, "jkk,jkm,jht").total


def test_running_twice_bills_nothing_new(session: Session, town: Town, units: Units) -> None:
    first = run_billing(units, MARCH)
    second = run_billing(units, MARCH)
    assert first.bills_created == 4
    assert first.lines_created == 5
    assert (second.bills_created, second.lines_created) == (0, 0)
    assert second.totals == first.totals


def test_payers_made_ahead_leave_the_run_only_the_bills(session: Session, town: Town, units: Units) -> None:
    with units() as unit:
        created = prepare_payers(unit)
    with units() as unit:
        again = prepare_payers(unit)
    payers = session.scalar(select(text("count(*)")).select_from(Payer))
    result = run_billing(units, MARCH)
    assert created == payers > 0
    assert again == 0
    assert (result.bills_created, result.lines_created) == (4, 5)
    assert session.scalar(select(text("count(*)")).select_from(Payer)) == payers


def test_a_crashed_run_resumes_from_its_checkpoint(session: Session, town: Town, units: Units) -> None:
    calls = 0

    def crash(done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        run_billing(units, MARCH, chunk_size=1, on_progress=crash)
    resumed = run_billing(units, MARCH, chunk_size=1)
    assert resumed.resumed_from == 2
    assert session.scalar(select(text("count(*)")).select_from(BillLine)) == 5


def test_the_ledger_refuses_edits(session: Session, town: Town, units: Units) -> None:
    run_billing(units, MARCH)
    with pytest.raises(DBAPIError), session.begin_nested():
        session.execute(text("UPDATE funding_bill SET amount = 1"))
    with pytest.raises(DBAPIError), session.begin_nested():  # the lines too, after 0020 on both databases
        session.execute(text("UPDATE funding_bill_line SET amount = 1"))
    with pytest.raises(DBAPIError), session.begin_nested():
        session.execute(text("DELETE FROM funding_bill_line"))
