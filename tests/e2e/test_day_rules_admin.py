"""The rule tables' day in the browser only (issue 22, maker-checker): aturan.cabang proposes next year's JP wage cap
(an amount in words first: the message, the values kept; then "Rp 11.500.000" as BPJS announces it), cannot activate
its own proposal; aturan.disnaker finds it on the home page's tasks, checks what it changes and activates it (then
withdraws it, which is allowed before it applies, so that the test leaves the tables as it found them). On a
360 px phone and a desktop, screenshots in var/screenshots/rules-<screen>-NN-<step>.png."""

from __future__ import annotations

from typing import Any

import pytest
from tests.e2e.days import SCREENS, start_day

# next year's cap; each run withdraws it again at the end (before it applies), so the next run may propose it
VALID_FROM = "2027-03-01"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_one_rules_admin_proposes_the_jp_cap_and_another_activates_it(
    browser: Any, live_server: str, screen: str
) -> None:
    maker = start_day(browser, live_server, "rules", screen, "aturan.cabang")
    page = maker.page
    instrument = f"Surat BPJS Ketenagakerjaan B/{screen}/2027"
    try:
        assert page.locator("#task-proposals_to_check").is_visible()
        maker.step("maker-home")
        page.goto(live_server + "/rules")
        page.fill("#cap", "sebelas juta")
        page.fill("#jp_valid_from", VALID_FROM)
        page.fill("#jp_instrument", instrument)
        page.click("#jp-cap-form button[type=submit]")
        assert page.locator("#form-error").is_visible(), "an amount in words is refused with a message"
        assert page.input_value("#jp_instrument") == instrument, "what was typed is kept"
        assert page.input_value("#cap") == "sebelas juta"
        maker.step("cap-refused")
        page.fill("#cap", "Rp 11.500.000")
        page.click("#jp-cap-form button[type=submit]")
        page.wait_for_load_state()
        assert "/rules/versions/" in page.url
        version_url = page.url
        assert "Rp11.500.000" in page.inner_text("#preview-summary")
        maker.step("proposed")
        page.click("#activate-form button")
        assert page.locator("#form-error").is_visible(), "the proposer cannot activate their own proposal"
        assert page.locator("#version-state").inner_text() == "diusulkan"
        maker.step("maker-cannot-activate")
    finally:
        page.close()

    checker = start_day(browser, live_server, "rules-checker", screen, "aturan.disnaker")
    page = checker.page
    try:
        task = page.locator("#task-proposals_to_check")
        assert int(task.locator(".task-count").inner_text()) >= 1
        checker.step("checker-home")
        task.locator("a").click()
        page.locator(f"#rule-versions a[href='{version_url.removeprefix(live_server)}']").click()
        page.wait_for_load_state()
        assert instrument in page.inner_text("main")
        page.click("#activate-form button")
        page.wait_for_load_state()
        assert page.locator("#version-state").inner_text() == "aktif"
        assert "aturan.disnaker" in page.inner_text("main")
        checker.step("activated")
        page.click("#withdraw-form button")  # still before it applies: it can be taken back
        page.wait_for_load_state()
        assert page.locator("#version-state").inner_text() == "ditarik"
    finally:
        page.close()
