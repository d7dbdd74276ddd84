"""Door-to-door enrolment in a real browser, as a field agent on a phone."""

from __future__ import annotations

from typing import Any

import httpx
from tests.e2e.conftest import login
from tests.e2e.test_registry_page import shot


def fill_worker(page: Any, nik: str) -> None:
    page.fill("#nik", nik)
    page.locator("#nik").blur()
    page.wait_for_function("document.getElementById('nik-status').textContent.length > 0")
    page.fill("#full_name", "Sutrisno Pardede")
    page.select_option("#village_code", "12.71.01.1002")
    page.fill("#phone", "081377001122")
    page.select_option("#occupation", "pengemudi_becak")


def test_agent_enrols_a_becak_driver(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "bhabin.medankota")
    page.goto(live_server + "/enrol")
    fill_worker(page, "1271010307800004")
    assert "belum terdaftar" in page.locator("#nik-status").inner_text()
    # the NIK fills in the birth date and sex it encodes
    assert page.input_value("#birth_date") == "1980-07-03"
    assert page.input_value("#sex") == "L"
    page.check("#jht")
    page.wait_for_function("document.getElementById('quote-total').textContent.includes('36.800')")
    shot(page, "enrol-form")
    page.click("#save")
    page.wait_for_url("**/enrol/receipt/*")
    assert page.locator("#receipt-name").inner_text() == "Sutrisno Pardede"
    assert "36.800" in page.locator("#receipt-total").inner_text()
    shot(page, "enrol-receipt")
    card_url = page.locator("a[href$='card.pdf']").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    pdf = httpx.get(live_server + card_url, cookies=cookies)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # typing the same NIK again says the person is already registered
    page.goto(live_server + "/enrol")
    page.fill("#nik", "1271010307800004")
    page.locator("#nik").blur()
    page.wait_for_function("document.getElementById('nik-status').textContent.includes('Sudah terdaftar')")
    page.close()


def test_bad_input_keeps_what_was_typed(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "bhabin.medankota")
    page.goto(live_server + "/enrol")
    fill_worker(page, "1271010307800000")  # serial 0000 is invalid
    page.fill("#phone", "12345")
    page.click("#save")
    assert page.locator("#nik-error").is_visible()
    assert page.locator("#phone-error").is_visible()
    assert page.input_value("#full_name") == "Sutrisno Pardede"
    assert page.input_value("#village_code") == "12.71.01.1002"
    shot(page, "enrol-errors")
    # a stale CSRF token is refused with a message, and the form still holds the values
    page.evaluate("document.querySelector('#enrol-form input[name=csrf_token]').value = 'stale'")
    page.fill("#nik", "1271010307800012")
    page.fill("#phone", "081377001122")
    page.click("#save")
    assert "kedaluwarsa" in page.locator("#form-error").inner_text()
    assert page.input_value("#full_name") == "Sutrisno Pardede"
    page.close()


def test_worker_checks_own_coverage_and_public_check_needs_a_code(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "pekerja.demo")
    assert page.locator("#my-protection").is_visible()  # the worker's home: own protection and what to do
    page.click("#my-protection a[href='/coverage']")
    page.wait_for_load_state()
    assert page.locator("#coverage-result").is_visible()
    # the demo city has no payments yet here: the page says the worker is not protected, not just "registered"
    assert "belum terlindungi" in page.inner_text("#coverage-result").lower()
    page.close()
    anonymous = browser.new_page()
    anonymous.goto(live_server + "/coverage")
    anonymous.fill("#nik", "1271010307800004")
    anonymous.click("button[type=submit]")
    # the same answer whether or not the NIK is registered: a code goes to the phone on record, if any
    assert "/coverage/verify/" in anonymous.url
    assert "1271010307800004" not in anonymous.url
    assert "kode 6 angka" in anonymous.inner_text("#code-sent")
    anonymous.fill("#code", "000000")
    anonymous.click("button[type=submit]")
    assert "Kode salah" in anonymous.content()
    assert anonymous.locator("#coverage-result").count() == 0
    anonymous.close()
