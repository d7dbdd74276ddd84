"""One definition per figure (issue 22 point 4): the demo city's headline figures read from every page that shows
them, as the roles that see them, are the same numbers for the same territory and month (the last complete one,
which every page opens on), each with its definition on hover and in a details block below."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import serve
from tests.e2e.days import Day, start_day

from jangkau.kit.figures import HEADLINE, last_complete_month
from jangkau.kit.months import Month

CITY = "12.71"
MONTH = str(last_complete_month(dt.date.today()))
CAMPAIGN = "Kampanye angka sama e2e"


def prepare(database: Path, today: dt.date) -> int:
    """Bill the last two complete months, pay the bills of the first 40 payers of the first and of the first 25
    of the second (so protected, active and lapsed all differ), add a campaign and summarise, in this process on
    the copy (one process instead of five CLI runs keeps the test fast). Returns the campaign's id."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session, sessionmaker

    from jangkau.auth.principal import OPERATOR
    from jangkau.db.engine import make_engine
    from jangkau.db.uow import unit_of_work
    from jangkau.funding.jobs import run_billing
    from jangkau.funding.models import Bill
    from jangkau.funding.schemas import PaymentIn
    from jangkau.funding.service import record_payment
    from jangkau.outreach.schemas import CampaignIn
    from jangkau.outreach.service import create_campaign
    from jangkau.reporting.jobs import rebuild

    engine = make_engine(f"sqlite:///{database}")
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    @contextmanager
    def units() -> Iterator[Session]:
        with unit_of_work(factory) as session:
            yield session

    month = last_complete_month(today)
    try:
        with units() as session:
            data = CampaignIn(
                name=CAMPAIGN, starts_on=month.first_day(), ends_on=dt.date(2026, 12, 31), regions=["12.71.01"],
                target_per_region=10, per_village=False,
            )  # fmt: skip
            campaign = create_campaign(session, data, OPERATOR).id
        for billed in (month.plus(-1), month):
            run_billing(units, billed)
        with units() as session:  # the first payers of both months: those who skip the second are in arrears
            for billed, payers in ((month.plus(-1), 40), (month, 25)):
                bills = session.scalars(
                    select(Bill).where(Bill.month == billed.first_day()).order_by(Bill.payer_id, Bill.id).limit(payers)
                ).all()
                for bill in bills:
                    record_payment(
                        session, PaymentIn(reference=bill.reference, amount=bill.amount, paid_on=today), "e2e"
                    )
        rebuild(units, month.plus(-2), Month.of(today), today=today)
    finally:
        engine.dispose()
    return campaign


@pytest.fixture(scope="module")
def own_city(city_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A copy of the demo city (payments here touch no other test's data), prepared and served on its own port;
    yields the server's URL and the campaign's id."""
    var = tmp_path_factory.mktemp("figures-var")
    # SQLite's backup: a consistent copy even while the shared server writes (its WAL included)
    source, copy = (
        sqlite3.connect(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db"),
        sqlite3.connect(var / "jangkau.db"),
    )
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    campaign = prepare(var / "jangkau.db", dt.date.today())
    process, url = serve({**city_env, "JANGKAU_VAR_DIR": str(var)})
    try:
        yield url, campaign
    finally:
        process.terminate()
        process.wait(timeout=30)


def figures_on(day: Day, base: str, path: str, step: str) -> dict[str, int]:
    """The headline figures of the block for the city on the page at ``path`` (by ``data-figure``), after checking
    the block's territory and month and that each figure is defined on hover and below."""
    page = day.page
    page.goto(base + path)
    block = page.locator(f'section.figures[data-figures-regions="{CITY}"]').first
    assert block.count() == 1, f"{path}: no figures block for {CITY}"
    assert block.get_attribute("data-figures-month") == MONTH, f"{path}: not the last complete month"
    found = {}
    for key in HEADLINE:
        cell = block.locator(f'[data-figure="{key}"]')
        found[key] = int(cell.get_attribute("data-value"))
        shown = int(cell.inner_text().replace(".", "").replace(",", ""))
        assert shown == found[key], f"{path}: {key} shows {shown}, carries {found[key]}"
        title = cell.locator("xpath=..").locator("abbr").get_attribute("title")
        assert title, f"{path}: {key} has no definition on hover"
    details = page.locator("details.figure-definitions").first
    assert details.count() == 1
    details.locator("summary").click()
    assert len(details.locator("dd").all_inner_texts()) == len(HEADLINE), f"{path}: definitions below"
    day.step(step)
    return found


def test_the_same_figures_on_every_page(own_city: tuple[str, int], browser: Any) -> None:
    live_server, campaign = own_city
    seen: dict[str, dict[str, int]] = {}
    office = start_day(browser, live_server, "figures-office", "desktop", "cabang.medan")
    seen["home"] = figures_on(office, live_server, "/", "home")
    seen["registry"] = figures_on(office, live_server, "/registry", "registry")
    seen["dashboard"] = figures_on(office, live_server, f"/reports/{CITY}", "dashboard")
    seen["campaign"] = figures_on(office, live_server, f"/outreach/campaigns/{campaign}", "campaign")
    subset = office.page.locator('#campaign-share [data-subset-of="registered"]')
    assert "bagian dari" in subset.inner_text(), "the campaign's own count is labelled as a part"
    office.page.close()

    region = start_day(browser, live_server, "figures-region", "desktop", "pemkot.medan")
    seen["scorecard"] = figures_on(region, live_server, f"/reports/{CITY}/scorecard", "scorecard")
    region.page.close()

    sponsor = start_day(browser, live_server, "figures-sponsor", "desktop", "sponsor.apbd")
    sponsor.page.goto(live_server + "/funding")
    link = sponsor.page.locator('a[href^="/funding/programmes/"]').first.get_attribute("href")
    sponsor.page.goto(live_server + str(link))
    statement = str(sponsor.page.locator('a[href*="/statement"]').first.get_attribute("href")).split("?")[0]
    seen["statement"] = figures_on(sponsor, live_server, statement, "statement")
    assert sponsor.page.locator('#sponsor-share [data-subset-of="protected"]').count() == 1
    sponsor.page.close()

    first = seen["dashboard"]
    different = {page: figures for page, figures in seen.items() if figures != first}
    assert different == {}, f"the dashboard says {first}"
    assert first["registered"] > first["active"] > first["protected"] > 0, first
    assert first["lapsed"] == first["active"] - first["protected"] > 0, first
