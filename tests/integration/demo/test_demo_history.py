"""Demo history: a few months of real bills and payments for the demo city, deterministic and rerunnable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import build_database

from jangkau.auth.principal import OPERATOR
from jangkau.claims.jht import JhtStatementIn, jht_statement, jht_statement_pdf
from jangkau.claims.schemas import ClaimIn
from jangkau.claims.service import quote_claim
from jangkau.db.outbox import CoverageChange
from jangkau.db.uow import unit_of_work
from jangkau.demo.history import seed_history
from jangkau.demo.seed import seed_demo
from jangkau.funding.models import Allocation, Bill, Credit, PaidMonth, Payer, Payment
from jangkau.registry.models import Membership, Person
from jangkau.reporting.jobs import refresh
from jangkau.reporting.service import coverage_report

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("hist")), "history")
    seed_demo(sessionmaker(bind=engine, expire_on_commit=False), "12.71", "small", 5)
    return engine


def units_for(engine: Engine):  # type: ignore[no-untyped-def]
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    @contextmanager
    def units() -> Iterator[Session]:
        with unit_of_work(factory) as session:
            yield session

    return units


def paid_half(person_id: Any) -> Any:
    """The person's own payer holds credit: a part of a bill paid (``demo history`` makes a few)."""
    return (
        select(Credit.id)
        .join(Payer, Payer.id == Credit.payer_id)
        .where(Payer.person_id == person_id, Credit.amount > 0)
        .exists()
    )


def count(engine: Engine, model: type) -> int:
    with unit_of_work(sessionmaker(bind=engine)) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_history_pays_like_the_population_and_reruns_add_nothing(city: Engine) -> None:
    report = seed_history(units_for(city), AS_OF, 3, seed=5)
    assert report.months == ["2026-09", "2026-10", "2026-11"]
    assert report.paid > 0
    assert report.unpaid > 0, "the current month's PU bills are not due yet and lapsed members do not pay"
    with unit_of_work(sessionmaker(bind=city)) as session:
        lapsed_paid = session.scalar(
            select(func.count())
            .select_from(PaidMonth)
            .join(Membership, Membership.id == PaidMonth.membership_id)
            .where(Membership.segment == "bpu", Membership.status == "lapsed", ~paid_half(Membership.person_id))
        )
        active_paid = session.scalar(
            select(func.count())
            .select_from(PaidMonth)
            .join(Membership, Membership.id == PaidMonth.membership_id)
            .where(Membership.status == "active")
        )
        future = session.scalar(select(func.count()).select_from(Payment).where(Payment.paid_on > AS_OF))
    assert lapsed_paid == 0  # only those who paid half a bill lately are in arrears with months paid before
    assert active_paid > 0
    assert future == 0
    assert count(city, CoverageChange) > 0, "payments tell the coverage summaries what changed"
    refreshed = refresh(units_for(city), AS_OF)
    assert refreshed is not None
    with unit_of_work(sessionmaker(bind=city)) as session:
        report = coverage_report(session, OPERATOR, "12.71", "2026-10", AS_OF)
    assert report["totals"]["active"] > 0, report
    bills, payments = count(city, Bill), count(city, Payment)
    again = seed_history(units_for(city), AS_OF, 3, seed=5)
    assert again.paid == 0
    assert (count(city, Bill), count(city, Payment)) == (bills, payments)


def test_jht_claim_quote_of_a_demo_pu_worker_is_the_account_balance(city: Engine) -> None:
    seed_history(units_for(city), AS_OF, 3, seed=5)  # adds nothing when the first test already ran
    with unit_of_work(sessionmaker(bind=city)) as session:
        paid = func.count(PaidMonth.month)
        membership_id, person_id = session.execute(
            select(Membership.id, Membership.person_id)
            .join(PaidMonth, PaidMonth.membership_id == Membership.id)
            .where(Membership.segment == "pu", Membership.programs.contains("jht"))
            .group_by(Membership.id, Membership.person_id)
            .order_by(paid.desc(), Membership.id)
            .limit(1)
        ).one()
        nik = session.get(Person, person_id).nik  # type: ignore[union-attr]
        data = ClaimIn(type="jht", benefit="full", nik=nik, event_date=AS_OF, membership_id=membership_id,
                       jht_trigger="resignation")  # fmt: skip
        _person, assessment = quote_claim(session, data, OPERATOR, AS_OF)
        statement = jht_statement(session, JhtStatementIn(nik=nik, as_of=AS_OF), OPERATOR, AS_OF)
    account = next(a for a in statement["accounts"] if a["membership_id"] == membership_id)
    assert account["balance"] > 0
    assert assessment.amount == account["balance"] == assessment.benefit.details["balance"]
    assert assessment.benefit.schedule == account["years"]  # itemised by year: contributions, returns, closing
    assert assessment.benefit.schedule[-1]["closing"] == assessment.amount
    assert statement["person"]["nik"] != nik  # masked
    assert jht_statement_pdf(statement)[:4] == b"%PDF"


def test_the_default_month_is_paid_and_shows_sponsor_partial_and_advance_payments(city: Engine) -> None:
    seed_history(units_for(city), AS_OF, 3, seed=5)
    october = dt.date(2026, 10, 1)  # the dashboard's default month on AS_OF: the last complete one
    with unit_of_work(sessionmaker(bind=city)) as session:
        paid = allocated_by_bill_kind(session, october)
        credits = session.scalars(select(Credit.amount).where(Credit.amount > 0)).all()
        ahead = session.scalar(select(func.count()).select_from(Bill).where(Bill.reference.like("BPU-%-M%")))
    assert paid["sponsor"] == (1, 1), "the demo APBD programme is billed and pays in the default month"
    pu_paid, pu_bills = paid["pu"]
    assert pu_paid >= 0.85 * pu_bills, "employers pay the default month with its payroll: no dip on the dashboard"
    assert credits, "a few workers paid half a bill: the half is held as credit"
    assert ahead, "a few workers paid three months ahead"


def allocated_by_bill_kind(session: Session, month: dt.date) -> dict[str, tuple[int, int]]:
    """Per bill kind of ``month``: (bills paid in full by their allocation, bills)."""
    money = (
        select(Allocation.bill_id, func.sum(Allocation.amount).label("paid")).group_by(Allocation.bill_id).subquery()
    )
    rows = session.execute(
        select(Bill.kind, Bill.amount, func.coalesce(money.c.paid, 0))
        .outerjoin(money, money.c.bill_id == Bill.id)
        .where(Bill.month == month, Bill.seq == 0)
    ).all()
    out: dict[str, tuple[int, int]] = {}
    for kind, amount, allocated in rows:
        done, total = out.get(kind, (0, 0))
        out[kind] = (done + (allocated >= amount), total + 1)
    return out
