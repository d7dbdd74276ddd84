"""One definition per figure (issue 22 point 4): the headline figures of ``jangkau.kit.figures`` (read from the
coverage summaries) equal an independent plain SQL count over the register and the ledger of the seeded demo
city, for the city, a district and a village, in the last complete month, also after a payment and a refresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker
from tests.conftest import build_database

from jangkau.auth.principal import OPERATOR
from jangkau.db.uow import unit_of_work
from jangkau.demo.history import seed_history
from jangkau.demo.seed import seed_demo
from jangkau.funding.models import Bill, PaidMonth
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.kit import figures
from jangkau.kit.figures import last_complete_month, year_month
from jangkau.kit.months import Month
from jangkau.reporting import figures as reporting_figures  # noqa: F401  (installs the implementation)
from jangkau.reporting.jobs import rebuild, refresh
from jangkau.reporting.service import coverage_report

TODAY = dt.date(2026, 12, 4)
MONTH = last_complete_month(TODAY)

# Written from the definitions' text, not from the summary code: open memberships of people living in the region,
# a paid month row for the month (protected), any paid month up to the month (active: protection has begun),
# a paid month before it but not the month itself (lapsed).
PLAIN_SQL = """
SELECT count(*) AS registered,
       coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM funding_paid_month pm
                                      WHERE pm.membership_id = m.id AND pm.month <= :first) THEN 1 ELSE 0 END), 0),
       coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM funding_paid_month pm
                                      WHERE pm.membership_id = m.id AND pm.month = :first) THEN 1 ELSE 0 END), 0),
       coalesce(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM funding_paid_month pm
                                          WHERE pm.membership_id = m.id AND pm.month = :first)
                          AND EXISTS (SELECT 1 FROM funding_paid_month pm
                                      WHERE pm.membership_id = m.id AND pm.month < :first) THEN 1 ELSE 0 END), 0)
FROM membership m JOIN person p ON p.id = m.person_id
WHERE (p.village_code = :code OR p.village_code LIKE :prefix)
  AND m.start_date <= :last AND (m.end_date IS NULL OR m.end_date >= :first)
"""


def plain_count(session: Session, code: str, month: Month) -> dict[str, int]:
    row = session.execute(
        text(PLAIN_SQL),
        {"code": code, "prefix": code + ".%", "first": month.first_day(), "last": month.last_day()},
    ).one()
    return dict(zip(("registered", "active", "protected", "lapsed"), (int(v) for v in row), strict=True))


def of(result: figures.Figures) -> dict[str, int]:
    return {key: getattr(result, key) for key in figures.HEADLINE}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = build_database(request.param, Path(tmp_path_factory.mktemp("figures")), "figures")
    seed_demo(sessionmaker(bind=engine, expire_on_commit=False), "12.71", "small", 5)
    seed_history(units_for(engine), TODAY, 4, seed=5)
    rebuild(units_for(engine), MONTH.plus(-3), Month.of(TODAY), today=TODAY)
    refresh(units_for(engine), TODAY)
    return engine


def units_for(engine: Engine):  # type: ignore[no-untyped-def]
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    @contextmanager
    def units() -> Iterator[Session]:
        with unit_of_work(factory) as session:
            yield session

    return units


def test_the_default_month_is_the_last_complete_one() -> None:
    assert str(last_complete_month(dt.date(2026, 12, 4))) == "2026-11"
    assert str(last_complete_month(dt.date(2027, 1, 1))) == "2026-12"
    assert str(year_month(2025, TODAY)) == "2025-12"
    assert str(year_month(2026, TODAY)) == "2026-11"
    assert year_month(2027, dt.date(2027, 1, 15)) is None


@pytest.mark.parametrize("code", ["12.71", "12.71.01"])
def test_figures_equal_a_plain_count_of_the_register(city: Engine, code: str) -> None:
    with unit_of_work(sessionmaker(bind=city)) as session:
        expected = plain_count(session, code, MONTH)
        got = figures.for_regions(session, [code], MONTH)
    assert expected["registered"] > expected["active"] >= expected["protected"] > 0, expected
    if code == "12.71":
        assert expected["lapsed"] > 0, "the demo city has members in arrears: active and protected differ"
    assert of(got) == expected
    assert got.complete, "the summaries were refreshed and nothing is pending"
    with unit_of_work(sessionmaker(bind=city)) as session:
        report = coverage_report(session, OPERATOR, code, None, TODAY)  # the dashboard and its API
    assert report["month"] == str(MONTH), "the dashboard opens on the last complete month"
    assert {key: report["figures"][key] for key in figures.HEADLINE} == expected
    assert report["totals"]["active"] == expected["protected"], "the API's summary column is the paid month"


def test_a_village_and_a_territory_of_two_districts(city: Engine) -> None:
    with unit_of_work(sessionmaker(bind=city)) as session:
        village = session.scalar(text("SELECT min(village_code) FROM person WHERE village_code LIKE '12.71.02.%'"))
        assert village
        assert of(figures.for_regions(session, [village], MONTH)) == plain_count(session, village, MONTH)
        two = of(figures.for_regions(session, ["12.71.01", "12.71.02", "12.71.01.1001"], MONTH))
        a, b = plain_count(session, "12.71.01", MONTH), plain_count(session, "12.71.02", MONTH)
    assert two == {key: a[key] + b[key] for key in figures.HEADLINE}, "a region inside another counts once"


def test_a_payment_shows_as_pending_then_counts_after_the_refresh(city: Engine) -> None:
    with unit_of_work(sessionmaker(bind=city)) as session:
        unpaid = (
            session.execute(
                select(Bill)
                .where(
                    Bill.month == MONTH.first_day(),
                    ~select(PaidMonth.bill_id).where(PaidMonth.bill_id == Bill.id).exists(),
                )
                .order_by(Bill.id)
            )
            .scalars()
            .first()
        )
        assert unpaid is not None
        record_payment(session, PaymentIn(reference=unpaid.reference, amount=unpaid.amount, paid_on=TODAY), "test")
    with unit_of_work(sessionmaker(bind=city)) as session:
        stale = figures.for_regions(session, ["12.71"], MONTH)
        expected = plain_count(session, "12.71", MONTH)
    assert stale.pending > 0, "the page says the figures are not complete"
    assert not stale.complete
    assert expected["protected"] > stale.protected
    refresh(units_for(city), TODAY)
    with unit_of_work(sessionmaker(bind=city)) as session:
        fresh = figures.for_regions(session, ["12.71"], MONTH)
    assert of(fresh) == expected
    assert fresh.complete
