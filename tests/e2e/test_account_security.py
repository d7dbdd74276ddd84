"""The second factor in headless Chromium: an officer sets up TOTP on /account/security from the page's secret,
then signs in with the password and a code; the page lists both open sessions."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from tests.e2e.conftest import login, run_cli
from tests.e2e.test_registry_page import shot

USER = "cabang.totp"
PASSWORD = "kopi-tubruk-pagi-2026"


def test_an_officer_sets_up_totp_and_signs_in_with_it(browser: Any, live_server: str, city_env: dict[str, str]) -> None:
    run_cli("users", "create", "--username", USER, "--role", "branch_officer", "--scope", "12.71",
            "--password", PASSWORD, env=city_env)  # fmt: skip
    page = login(browser, live_server, USER, PASSWORD, viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/account/security")
    page.click("#totp-start")
    page.wait_for_load_state()
    assert page.locator("#totp-qr").get_attribute("src").startswith("data:image/svg+xml")  # type: ignore[union-attr]
    secret = page.inner_text("#totp-secret").strip()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("text=Konfirmasi")
    page.wait_for_load_state()
    assert "Aktif" in page.inner_text("#totp-status")
    shot(page, "account-security")
    page.close()

    again = login(browser, live_server, USER, PASSWORD, viewport={"width": 1280, "height": 900})
    assert "/login" in again.url, "the password alone is not enough now"
    again.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))  # the next step: this one confirmed the set-up
    again.click("button[type=submit]")
    again.wait_for_load_state()
    assert "/login" not in again.url
    again.goto(live_server + "/account/security")
    assert again.locator("#sessions tbody tr").count() == 2  # the first sign-in is still open too
    again.close()
