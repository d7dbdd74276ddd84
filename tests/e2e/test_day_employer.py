"""The employer's day in the browser only (issue 22, majikan.demo): the home page's tasks, registering a household
worker (the empty form first: a message next to each field; then corrected), posting a vacancy with the wage typed
"Rp 4.900.000", taking a job seeker (pekerja.demo applies in the browser) from applicant to hire, and registering the
hire for protection from the hires page. On a 360 px phone and a desktop, screenshots in
var/screenshots/employer-<screen>-NN-<step>.png; no codes on any of the employer's pages."""

from __future__ import annotations

from typing import Any

import pytest
from tests.e2e.days import SCREENS, start_day

# a valid NIK per screen: Medan Kota (12.71.01), born 25 July 1991 (a man), a serial no demo person has
NIK = {"phone": "1271012507919901", "desktop": "1271012507919902"}


def _worker_applies(browser: Any, base_url: str, vacancy_url: str) -> None:
    """pekerja.demo keeps a job-seeker profile and applies to the vacancy."""
    worker = start_day(browser, base_url, "employer-worker", "desktop", "pekerja.demo").page
    try:
        worker.goto(base_url + "/jobs/profile")
        worker.fill("#skills", "mengemudi, berkebun")
        worker.click("#profile-form button[type=submit]")
        worker.goto(vacancy_url)
        worker.click("#apply")
        worker.wait_for_load_state()
        assert "applied=1" in worker.url, worker.url
    finally:
        worker.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_employer_registers_a_household_worker_posts_a_vacancy_and_registers_the_hire(
    browser: Any, live_server: str, screen: str
) -> None:
    day = start_day(browser, live_server, "employer", screen, "majikan.demo")
    page = day.page
    try:
        assert page.locator("#task-hires_to_register").is_visible()
        day.no_codes()
        day.step("home")

        page.goto(live_server + "/register-other")
        page.click("#save")
        for field in ("nik", "full_name", "birth_date", "sex", "village_code"):
            assert page.locator(f"#{field}-error").is_visible(), f"a message next to {field}"
        day.step("register-empty")
        name = f"Sutrisno Harahap {screen}"
        page.fill("#nik", NIK[screen])
        page.fill("#full_name", name)
        page.fill("#birth_date", "1991-07-25")
        page.select_option("#sex", "L")
        page.select_option("#village_code", "12.71.01.1001")
        page.select_option("#relationship", index=1)
        page.click("#save")
        page.wait_for_load_state()
        assert "/enrol/receipt/" in page.url, page.locator("main").inner_text()[:500]
        assert name in page.inner_text("main")
        day.no_codes()
        day.step("registered")

        page.goto(live_server + "/jobs/vacancies/new")
        title = f"Sopir keluarga ({screen})"
        page.fill("#title", title)
        page.fill("#sector", "rumah tangga")
        page.fill("#skills", "mengemudi")
        page.fill("#wage_offered", "Rp 4.900.000")
        page.fill("#district_code", "12.71.01")
        page.click("#save")
        page.wait_for_load_state()
        assert "/jobs/vacancies/" in page.url
        assert page.inner_text("#vacancy-title") == title
        day.no_codes()
        day.step("vacancy")

        _worker_applies(browser, live_server, page.url)
        page.reload()
        assert page.locator("#applications button[value=interviewed]").count() == 1, "the applicant is listed"
        day.step("applicant")
        page.locator("#applications button[value=interviewed]").first.click()
        page.wait_for_load_state()
        page.locator("#applications button[value=hired]").first.click()
        page.wait_for_load_state()

        assert page.locator("#applications .app-status").first.inner_text() == "Diterima"
        page.goto(live_server + "/jobs/hires")
        to_register = page.locator("#hires button")
        before = to_register.count()
        assert before >= 1, "the hire waits to be registered"
        day.step("hires")
        to_register.first.click()
        page.wait_for_load_state()
        assert page.locator("#registered").is_visible()
        assert page.locator("#hires button").count() == before - 1
        day.no_codes()
        day.step("hire-registered")
    finally:
        page.close()
