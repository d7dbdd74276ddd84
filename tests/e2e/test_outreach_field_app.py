"""The offline field app in headless Chromium: queue visits and enrolments with the network off, sync when on,
and show a conflict (a NIK registered elsewhere) to the agent instead of losing it. Also the CLI that sets it up."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.conftest import run_cli
from tests.e2e.test_registry_page import shot

PASSWORD = "jangkau-demo-2026"
AGENT = "perisai.medan"


@pytest.fixture(scope="module")
def outreach_city(city_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A community agent with two villages of Medan Kota and a prospect list, set up with the CLI."""
    folder = tmp_path_factory.mktemp("outreach")
    account = ["--username", AGENT, "--role", "field_agent", "--scope", "12.71.01", "--password", PASSWORD]
    run_cli("users", "create", *account, "--agent-kind", "community_agent", "--institution", "Koperasi", env=city_env)
    agents = folder / "agents.csv"
    agents.write_text(
        "username,institution_kind,institution,villages\n"
        f"{AGENT},wadah,Koperasi Pekerja Medan,12.71.01.1001;12.71.01.1002\n"
        "nobody.here,wadah,X,12.71.01.1001\n",
        encoding="utf-8",
    )
    imported = run_cli("outreach", "agents", "import", str(agents), "--json", env=city_env, check=False)
    assert imported.returncode == 2, "a bad row makes the command fail, after saving the good ones"
    results = json.loads(imported.stdout)
    assert [r["status"] for r in results] == ["ok", "error"]
    assert "field-agent account" in results[1]["error"]["message"]
    prospects = folder / "prospects.csv"
    prospects.write_text(
        "full_name,village_code,rt\nRahmat Hasibuan,12.71.01.1001,002\nSri Wahyuni,12.71.01.1002,004\n"
        "Salah Desa,12.71.01.1999,001\n",
        encoding="utf-8",
    )
    added = json.loads(run_cli("outreach", "prospects", "import", str(prospects), "--source", "linkage:7", "--json",
                               env=city_env).stdout)  # fmt: skip
    assert (added["added"], len(added["rejected"])) == (2, 1)
    return city_env


def test_cli_campaign_funnel_and_incentive(outreach_city: dict[str, str]) -> None:
    env = outreach_city
    bad = run_cli("outreach", "campaign", "create", "--name", "1 desa 100", "--from", "2026-01-01", "--to",
                  "2026-12-31", "--region", "12.71.01", "--region", "12.71.98", env=env, check=False)  # fmt: skip
    assert bad.returncode == 2
    assert "12.71.98 does not exist" in bad.stderr.replace("\n", " ")
    created = json.loads(run_cli("outreach", "campaign", "create", "--name", "1 desa 100 pekerja rentan", "--from",
                                 "2026-01-01", "--to", "2026-12-31", "--region", "12.71.01", "--target", "100",
                                 "--json", env=env).stdout)  # fmt: skip
    assert created["target"] == 100 * len(created["regions"])
    incentive = json.loads(run_cli("outreach", "incentive", "--agent", AGENT, "--month", "2026-01", "--json",
                                   env=env).stdout)  # fmt: skip
    assert incentive["status"] == "unconfirmed"
    funnel = json.loads(run_cli("outreach", "funnel", "--by", "district", "--json", env=env).stdout)
    assert funnel["by"] == "district"


def _nik_elsewhere(env: dict[str, str]) -> str:
    with sqlite3.connect(Path(env["JANGKAU_VAR_DIR"]) / "jangkau.db") as db:
        row = db.execute("SELECT nik FROM person WHERE village_code LIKE '12.71.05.%' LIMIT 1").fetchone()
    return str(row[0])


def _login(browser: Any, base_url: str) -> Any:
    # the app's CSP is enforced here (no bypass): the field app must run without inline scripts
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base_url + "/login")
    page.fill("#username", AGENT)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _enrol(page: Any, nik: str, name: str, birth: str) -> None:
    page.fill("#e-nik", nik)
    page.fill("#e-name", name)
    page.fill("#e-birth", birth)
    page.select_option("#e-sex", "L")
    page.select_option("#e-village", "12.71.01.1002")
    page.select_option("#e-occupation", index=1)  # occupation starts empty and is required
    page.fill("#e-rt", "004")
    page.click("#e-save")


def test_field_app_works_offline_and_syncs(browser: Any, live_server: str, outreach_city: dict[str, str]) -> None:
    elsewhere = _nik_elsewhere(outreach_city)
    page = _login(browser, live_server)
    page.goto(live_server + "/field")
    page.wait_for_selector("body[data-sw=controlled]")
    page.wait_for_selector("#work li[data-prospect]")
    # the two prospects imported above (other tests of the shared demo city may have added more)
    work = page.locator("#work").inner_text()
    assert "Rahmat Hasibuan" in work
    assert "Sri Wahyuni" in work
    assert page.locator("#work-source").get_attribute("data-source") == "server"

    page.context.set_offline(True)
    page.reload()  # served by the service worker from its cache
    page.wait_for_selector("body[data-db=open]")
    page.wait_for_selector("#work li[data-prospect]")
    assert page.locator("#work-source").get_attribute("data-source") == "phone"
    assert page.locator("#net").inner_text() == "Luring"
    page.locator("#work li[data-prospect]").first.locator("button").click()
    page.select_option("#v-outcome", "interested")
    page.fill("#v-follow", "2099-01-05")
    page.click("#v-save")
    _enrol(page, "1271012505909917", "Joko Pranoto", "1990-05-25")
    _enrol(page, elsewhere, "Orang Lain", "1990-01-01")
    page.wait_for_selector("#queue li:nth-child(3)")
    assert page.locator("#queue li[data-state=pending]").count() == 3
    assert page.locator("#queue-count").inner_text() == "3"
    shot(page, "outreach-field-offline")

    page.context.set_offline(False)  # the browser says "online" and the app syncs by itself
    page.wait_for_selector("#queue li[data-state=pending]", state="detached")
    states = {
        page.locator(f"#queue li[data-kind={kind}]").nth(i).get_attribute("data-state")
        for kind, i in (("visit", 0), ("enrolment", 0), ("enrolment", 1))
    }
    assert states == {"synced", "conflict"}
    conflict = page.locator("#queue li[data-state=conflict]")
    assert conflict.count() == 1
    assert "di luar wilayah" in conflict.inner_text()
    assert page.locator("#queue li[data-kind=visit][data-state=synced]").count() == 1
    shot(page, "outreach-field-synced")

    page.click("#sync-now")  # nothing left to send: no duplicates
    page.wait_for_selector("body[data-sync=idle]")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    visits = httpx.get(live_server + "/api/v1/outreach/visits?from=2000-01-01", cookies=cookies).json()
    assert [v["outcome"] for v in visits if v["agent"] == AGENT] == ["interested"]
    page.close()
