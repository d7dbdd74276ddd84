"""One definition per figure (issue 22 point 4): the demo city's headline figures read from every page that shows
them, as the roles that see them, are the same numbers for the same territory and month (the last complete one,
which every page opens on), each with its definition on hover and in a details block below."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from tests.e2e.conftest import run_cli
from tests.e2e.days import Day, start_day

from jangkau.kit.figures import HEADLINE, last_complete_month

CITY = "12.71"
MONTH = str(last_complete_month(dt.date.today()))
CAMPAIGN = "Kampanye angka sama e2e"


@pytest.fixture(scope="module")
def summarised_city(city_env: dict[str, str]) -> int:
    """The demo city summarised up to the current month, and a campaign in it; returns the campaign's id."""
    created = run_cli(
        "outreach", "campaign", "create", "--name", CAMPAIGN, "--from", f"{MONTH}-01", "--to", "2026-12-31",
        "--region", "12.71.01", "--target", "10", "--district-targets", "--json", env=city_env,
    )  # fmt: skip
    run_cli("report", "rebuild", "--months", "2", "--last", str(last_complete_month(dt.date.today()).next()),
            env=city_env)  # fmt: skip
    return int(json.loads(created.stdout)["id"])


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


def test_the_same_figures_on_every_page(summarised_city: int, browser: Any, live_server: str) -> None:
    seen: dict[str, dict[str, int]] = {}
    office = start_day(browser, live_server, "figures-office", "desktop", "cabang.medan")
    seen["home"] = figures_on(office, live_server, "/", "home")
    seen["registry"] = figures_on(office, live_server, "/registry", "registry")
    seen["dashboard"] = figures_on(office, live_server, f"/reports/{CITY}", "dashboard")
    seen["campaign"] = figures_on(office, live_server, f"/outreach/campaigns/{summarised_city}", "campaign")
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
    assert first["registered"] > 0, "the demo city is summarised"  # (no paid months in the e2e city: see the
    # integration test tests/integration/reporting/test_figures.py for paid, protected and lapsed against SQL)
