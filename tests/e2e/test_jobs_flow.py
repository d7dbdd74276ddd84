"""Jobs in a real browser on a phone, and the ``jangkau jobs`` CLI as a subprocess."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
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


def test_office_adds_training_and_moves_a_request_the_person_tracks_it(browser: Any, live_server: str) -> None:
    worker = login(browser, live_server, "pekerja.demo")
    worker.goto(live_server + "/jobs/requests/new")
    worker.select_option("#kind", "job_counselling")
    worker.fill("#details", "Ingin konsultasi pindah kerja ke sektor logistik")
    worker.click("#save")
    worker.wait_for_url("**/jobs/track?code=*")
    code = worker.url.rsplit("code=", 1)[1]

    office = login(browser, live_server, "pemkot.medan")
    office.goto(live_server + "/jobs")
    office.click("header details.menu > summary")  # on a phone the menu opens first (issue 22 point 8)
    office.click("header a[href='/jobs/office']")  # the nav entry of the manpower office
    office.wait_for_url("**/jobs/office")
    office.fill("#t-title", "Operator forklift")
    office.fill("#t-provider", "BLK Medan")
    office.fill("#t-starts", "2099-05-04")
    office.fill("#t-ends", "2099-05-15")
    office.fill("#t-seats", "0")
    office.click("#add-training")
    assert "seats" in office.locator("#training-error").inner_text()
    assert office.input_value("#t-title") == "Operator forklift"  # what was typed is kept
    office.fill("#t-seats", "12")
    office.fill("#t-skills", "forklift, gudang")
    office.click("#add-training")
    office.wait_for_url("**/jobs/office/training/*")
    assert office.locator("#training-title").inner_text() == "Operator forklift"
    assert "0 / 12" in office.locator("#seats").inner_text()
    shot(office, "jobs-office-training")

    office.goto(live_server + "/jobs/office/requests?kind=job_counselling")
    office.click(f"#queue a:text('{code}')")
    office.select_option("#new-status", "in_process")
    office.fill("#note", "Silakan datang ke Disnaker hari Senin pukul 09.00")
    office.click("#move")
    assert office.locator("#moved").is_visible()
    assert office.locator("#current-status").inner_text() == "Diproses"
    shot(office, "jobs-office-request")

    public = browser.new_page(viewport={"width": 390, "height": 844})
    public.goto(live_server + "/jobs")
    assert "Operator forklift" in public.locator("#training").inner_text()
    public.fill("#code", code)
    public.click("form[action='/jobs/track'] button")
    assert public.locator("#track-status").inner_text() == "Diproses"
    tracked = public.locator("#track-result").inner_text()
    assert "Silakan datang ke Disnaker hari Senin pukul 09.00" in tracked
    shot(public, "jobs-track-moved")
    for page in (worker, office, public):
        page.close()


def test_agent_keeps_the_profile_of_a_person_in_the_territory(
    browser: Any, live_server: str, city_env: dict[str, str]
) -> None:
    with sqlite3.connect(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db") as db:
        nik, name = db.execute(
            "SELECT nik, full_name FROM person WHERE village_code LIKE '12.71.01.%' "
            "AND id NOT IN (SELECT person_id FROM jobs_seeker) ORDER BY id LIMIT 1"
        ).fetchone()
    agent = login(browser, live_server, "bhabin.medankota")
    agent.goto(live_server + "/jobs")
    agent.click("header details.menu > summary")
    agent.click("header a[href='/jobs/assist']")  # the nav entry of a field agent
    agent.wait_for_url("**/jobs/assist")
    agent.fill("#find-nik", nik)
    agent.click("#find")
    agent.wait_for_url("**/jobs/assist/person/*")
    assert nik not in agent.url
    assert agent.locator("#person h2").inner_text() == name
    agent.fill("#skills", "las listrik, bengkel")
    agent.fill("#preferred_districts", "12.71.99")
    agent.click("#save")
    assert "12.71.99" in agent.locator("#form-error").inner_text()
    assert agent.input_value("#skills") == "las listrik, bengkel"  # what was typed is kept
    agent.fill("#preferred_districts", "12.71.01")
    agent.fill("#expected_wage", "4.500.000")
    agent.click("#save")
    assert agent.locator("#saved").is_visible()
    assert "bhabin.medankota" in agent.locator("#kept-by").inner_text()
    agent.fill("#details", "Minta kartu AK/1")
    agent.click("#send-request")
    assert agent.locator("#filed").is_visible()
    shot(agent, "jobs-assist")
    agent.close()
