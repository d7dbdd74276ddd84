"""The worker's day and the sponsor's check, in the browser only (issue 22 points 5 and 6), on a phone and a desktop.

The worker (pekerja.demo) reads one protection sentence on the coverage page, the receipt and the card check, with
who pays and how to pay (the channels the office configured) and the QR code that opens the card check; the sponsor
(sponsor.apbd) approves a self-service enrolment charged to its programme.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.e2e.days import start_day

SENTENCE = re.compile(
    r"^(Terlindungi sampai \d{1,2} \w+ \d{4}|Belum terlindungi: .+|Tidak terlindungi(?: sejak .+|: .+))$"
)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_worker_reads_one_protection_sentence_with_who_pays_and_how(
    browser: Any, live_server: str, screen: str
) -> None:
    day = start_day(browser, live_server, "worker", screen, "pekerja.demo")
    page = day.page
    home_says = page.inner_text("#protection-status")
    assert "Terlindungi" in home_says or "terlindungi" in home_says, "a worker's home starts with their protection"
    day.no_codes()
    day.step("home")
    page.click("#my-protection a[href='/coverage']")
    page.wait_for_load_state()
    said = page.locator("#coverage-result .protection-sentence").first.inner_text().strip()
    assert SENTENCE.match(said), said
    result = page.inner_text("#coverage-result")
    assert not re.search(r"\baktif\b", result), "no bare 'aktif' beside the sentence"
    assert "Dibayar oleh" in result
    day.no_codes()
    day.step("coverage")

    page.locator("#coverage-result a[href^='/enrol/receipt/']").first.click()
    page.wait_for_load_state()
    assert page.locator("#receipt .protection-sentence").inner_text().strip() == said, "the same sentence"
    payer = page.inner_text("#receipt-payer")
    assert "Dibayar oleh" in payer
    if "Penyandang dana membayar iuran" not in payer:
        how = page.inner_text("#how-to-pay")
        assert "Pembayaran berikutnya" in how
        assert "Bank Sumut" in how, "the channels the office configured"
    qr = page.locator("#receipt-qr")
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    verify = page.locator("#receipt-verify").get_attribute("href") or ""
    assert "/cards/verify/" in verify
    day.no_codes()
    day.step("receipt")

    page.goto(verify)
    assert page.locator("#card-genuine").is_visible()
    assert page.locator("#card-protection .protection-sentence").inner_text().strip() == said
    day.step("card-check")
    page.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_sponsor_approves_a_pending_request(browser: Any, live_server: str, screen: str) -> None:
    day = start_day(browser, live_server, "sponsor", screen, "sponsor.apbd")
    page = day.page
    assert page.locator("#task-requests_to_decide .task-count").inner_text() != "0", "home says what waits"
    day.step("home")
    page.click("#task-requests_to_decide a")
    page.wait_for_load_state()
    waiting = page.locator(".sponsorship-request")
    before = waiting.count()
    assert before >= 1, "the demo has self-service enrolments waiting for the sponsor"
    first = waiting.first
    name = first.locator(".request-name").inner_text()
    assert "Memenuhi kriteria program" in first.inner_text()
    day.step("requests")
    first.locator("button.approve").click()
    page.wait_for_load_state()
    assert page.locator("#request-done").is_visible()
    assert page.locator(".sponsorship-request").count() == before - 1
    assert name not in page.inner_text("#requests")
    day.step("approved")
    page.close()
