"""The manpower office's day in the browser only (issue 22, opd.medan): from the home page's tasks to the jobs desk,
a training programme (a wrong seat count first: the message and the values stay), an announcement, and a job
seeker's request (filed by pekerja.demo in the browser) moved along the request queue. On a 360 px phone and a
desktop, with a screenshot of each step in var/screenshots/opd-<screen>-NN-<step>.png."""

from __future__ import annotations

from typing import Any

import pytest
from tests.e2e.days import SCREENS, start_day


def _worker_files_a_request(browser: Any, base_url: str, details: str) -> None:
    """pekerja.demo asks the office for career counselling (the request the officer will move)."""
    worker = start_day(browser, base_url, "opd-worker", "desktop", "pekerja.demo").page
    try:
        worker.goto(base_url + "/jobs/requests/new")
        worker.select_option("#kind", "job_counselling")
        worker.fill("#details", details)
        worker.click("#save")
        worker.wait_for_load_state()
        assert "/jobs/track" in worker.url, worker.url
    finally:
        worker.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_manpower_office_adds_training_announces_and_moves_a_request(
    browser: Any, live_server: str, screen: str
) -> None:
    details = f"Budi Santoso, SMK Negeri 2 Medan 2025 ({screen})"
    _worker_files_a_request(browser, live_server, details)
    day = start_day(browser, live_server, "opd", screen, "opd.medan")
    page = day.page
    try:
        waiting = page.locator("#task-requests_open")
        assert waiting.is_visible(), "the office's home lists its request queue"
        assert int(waiting.locator(".task-count").inner_text()) >= 1
        day.step("home")

        page.click("#task-jobs_desk a")
        assert page.url.endswith("/jobs/office")
        title = f"Pelatihan las dasar ({screen})"
        page.fill("#t-title", title)
        page.fill("#t-provider", "BLK Medan")
        page.fill("#t-starts", "2027-02-01")
        page.fill("#t-ends", "2027-02-20")
        page.fill("#t-seats", "dua puluh")
        page.fill("#t-skills", "las, keselamatan kerja")
        page.click("#add-training")
        assert page.locator("#training-error").is_visible(), "a seat count in words is refused with a message"
        assert page.input_value("#t-title") == title, "what was typed is kept"
        assert page.input_value("#t-seats") == "dua puluh"
        day.step("training-refused")
        page.fill("#t-seats", "20")
        page.click("#add-training")
        page.wait_for_load_state()
        assert "/jobs/office/training/" in page.url
        assert title in page.inner_text("main")
        day.step("training-added")

        page.goto(live_server + "/jobs/office")
        page.fill("#a-title", f"Bursa kerja Medan ({screen})")
        page.fill("#a-body", "Bursa kerja di Lapangan Merdeka, bawa kartu AK/1.")
        page.click("#announce")
        assert page.locator("#announced").is_visible()
        day.step("announced")

        page.click("#to-requests")
        row = page.locator("#queue tr", has_text=details[:40])
        assert row.count() == 1, "the worker's request waits in the queue"
        day.step("queue")
        row.locator("a").first.click()
        page.wait_for_load_state()
        page.select_option("#new-status", "in_process")
        page.fill("#note", "Jadwal konsultasi Senin pukul 09.00")
        page.click("#move")
        assert page.locator("#moved").is_visible()
        assert page.inner_text("#current-status") == "Diproses"
        assert "Jadwal konsultasi Senin" in page.inner_text("#history")
        day.step("request-moved")
    finally:
        page.close()
