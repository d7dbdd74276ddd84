"""The administrator's day in the browser only (issue 22 point 3): add a second branch officer (the approver that
maker-checker needs), hand over a one-time password link, the new officer sets a password with it and signs in
(desktop), then the account is deactivated and can no longer sign in. On a 360 px phone and a desktop, with a
screenshot of each step in var/screenshots/admin-<screen>-NN-<step>.png."""

from __future__ import annotations

from typing import Any

import pytest
from tests.e2e.days import SCREENS, Day, start_day

NEW_PASSWORD = "kopi-susu-pagi-2027"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_admin_adds_an_officer_hands_over_a_password_link_and_deactivates(
    browser: Any, live_server: str, screen: str
) -> None:
    day = start_day(browser, live_server, "admin", screen, "admin")
    page = day.page
    username = f"cabang.kedua.{screen}"
    try:
        assert page.locator("#task-users_active").is_visible()  # the admin's home: accounts and failed tasks
        day.step("home")
        page.click("#task-users_active a")
        day.step("users")
        page.click("#new-user")
        page.fill("#username", username)
        page.fill("#full_name", "Rina Siregar")
        page.select_option("#role", "branch_officer")
        page.fill("#region", "Medan")  # several regions are called so: the form asks which one
        page.click("#save-user")
        assert page.locator("#error-region").is_visible()
        assert page.input_value("#full_name") == "Rina Siregar"  # kept
        day.step("which-region")
        page.check("#region-choices input[value='12.71']")
        page.click("#save-user")
        assert page.locator("#created").is_visible()
        day.step("created")

        page.click("#make-link")
        link = page.input_value("#reset-link")
        assert link.startswith(live_server + "/password/")
        day.step("password-link")
        if screen == "desktop":
            _new_officer_sets_the_password_and_signs_in(browser, live_server, link, username)

        page.click("#deactivate")
        assert page.locator("#account-status.ended").is_visible()
        day.step("deactivated")
        if screen == "desktop":
            refused = _sign_in(browser, live_server, username, NEW_PASSWORD)
            assert refused.locator("#login-error").is_visible()
            refused.close()
    finally:
        page.close()


def _sign_in(browser: Any, base_url: str, username: str, password: str) -> Any:
    other = browser.new_page(viewport=SCREENS["desktop"])
    other.goto(base_url + "/login")
    other.fill("#username", username)
    other.fill("#password", password)
    other.click("button[type=submit]")
    other.wait_for_load_state()
    return other


def _new_officer_sets_the_password_and_signs_in(browser: Any, base_url: str, link: str, username: str) -> None:
    officer = browser.new_page(viewport=SCREENS["desktop"])
    try:
        day = Day(officer, "admin", "desktop-officer")
        officer.goto(link)
        officer.fill("#new_password", NEW_PASSWORD)
        officer.fill("#repeat_password", NEW_PASSWORD)
        officer.click("button[type=submit]")
        assert officer.locator("#password-set").is_visible()
        officer.fill("#username", username)
        officer.fill("#password", NEW_PASSWORD)
        officer.click("button[type=submit]")
        officer.wait_for_load_state()
        assert officer.url.rstrip("/") == base_url
        assert username in officer.inner_text("header")
        day.step("signed-in")
        officer.goto(link)  # once only
        assert "Minta tautan baru" in officer.inner_text("main")
    finally:
        officer.close()
