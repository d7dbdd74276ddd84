"""Jobs in a real browser on a phone, and the ``jangkau jobs`` CLI as a subprocess."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import login, run_cli
from tests.e2e.test_registry_page import shot


def test_public_board_needs_no_login(browser: Any, live_server: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server + "/jobs")
    assert page.locator("h1").inner_text() == "Bursa kerja dan pelatihan"
    assert page.locator("#training").is_visible()
    assert page.locator("#announcements").is_visible()
    page.fill("#code", "TIDAKADA00")
    page.click("form[action='/jobs/track'] button")
    assert "Tidak ada permohonan" in page.locator("#track-error").inner_text()
    shot(page, "jobs-board")
    page.close()


def test_employer_posts_worker_applies_employer_hires_and_registers(browser: Any, live_server: str) -> None:
    worker = login(browser, live_server, "pekerja.demo")
    worker.goto(live_server + "/jobs/profile")
    worker.fill("#skills", "menjahit, obras")
    worker.fill("#preferred_districts", "12.71.01")
    worker.click("#save")
    assert worker.locator("#saved").is_visible()

    boss = login(browser, live_server, "majikan.demo")
    boss.goto(live_server + "/jobs/vacancies/new")
    boss.fill("#title", "Operator jahit")
    boss.fill("#sector", "garmen")
    boss.fill("#skills", "menjahit")
    boss.fill("#wage_offered", "3.000.000")
    boss.fill("#district_code", "12.71.01")
    boss.click("#save")
    assert "UMK" in boss.locator("#form-error").inner_text()
    assert boss.input_value("#title") == "Operator jahit"  # what was typed is kept
    shot(boss, "jobs-vacancy-refused")
    boss.fill("#wage_offered", "4.500.000")
    boss.click("#save")
    boss.wait_for_url("**/jobs/vacancies/*")
    vacancy_url = boss.url
    assert boss.locator("#vacancy-title").inner_text() == "Operator jahit"

    worker.goto(vacancy_url)
    # the employer's compliance standing is shown to seekers (findings depend on scans other tests ran)
    assert "temuan" in worker.locator("#standing").inner_text()
    worker.click("#apply")
    worker.wait_for_url("**/jobs/profile?applied=1")
    assert "Operator jahit" in worker.locator("#my-applications").inner_text()
    assert worker.locator("#matches tbody tr").count() >= 1
    shot(worker, "jobs-profile-matches")

    boss.goto(vacancy_url)
    assert boss.locator("#matches tbody tr").count() >= 1
    boss.click("#applications button[value=interviewed]")
    boss.click("#applications button[value=hired]")
    assert boss.locator("#applications .app-status").first.inner_text() == "Diterima"
    shot(boss, "jobs-applicants")
    boss.goto(live_server + "/jobs/hires")
    assert "Menunggu pendaftaran" in boss.locator("#hires").inner_text()
    boss.click("#hires button")
    assert boss.locator("#registered").is_visible()
    assert "Terdaftar" in boss.locator("#hires").inner_text()
    shot(boss, "jobs-hires")
    worker.close()
    boss.close()


def test_cli_refuses_a_wage_under_the_umk_and_shows_the_board(city_env: dict[str, str]) -> None:
    refused = run_cli(
        "jobs", "post", "--employer", "1", "--title", "Kasir", "--sector", "ritel", "--skills", "kasir",
        "--wage", "2000000", "--district", "12.71.01", env=city_env, check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "UMK" in refused.stderr
    posted = run_cli(
        "jobs", "post", "--employer", "1", "--title", "Kasir", "--sector", "ritel", "--skills", "kasir",
        "--wage", "180000", "--per-day", "--district", "12.71.01", "--json", env=city_env,
    )  # fmt: skip
    assert json.loads(posted.stdout)["monthly_wage"] == 4_500_000
    board = json.loads(run_cli("jobs", "board", "--json", env=city_env).stdout)
    assert set(board) == {"training", "announcements"}
    checked = json.loads(run_cli("jobs", "check-hires", "--json", env=city_env).stdout)
    assert checked["findings"] == 0
