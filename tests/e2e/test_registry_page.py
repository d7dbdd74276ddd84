"""The registry page in a real browser: Kota Medan's demo register, filters, masked NIKs, small screens."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import SCREENSHOTS


def test_registry_page_shows_medan(browser: Any, live_server: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server + "/")
    assert page.url.endswith("/registry")
    heading = page.locator("h1").inner_text()
    assert "Kota Medan" in heading
    rows = page.locator("tbody tr")
    assert rows.count() == 50
    first_nik = rows.nth(0).locator("code").inner_text()
    assert re.fullmatch(r"\d{6}\*{6}\d{4}", first_nik), "NIKs are masked on the public register"
    page.screenshot(path=str(SCREENSHOTS / "registry-phone.png"), full_page=False)
    page.select_option("#region", label="Kec. Medan Kota")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"region=12\.71\.01"))
    assert "Medan Kota" in page.locator("h1").inner_text()
    page.close()


def test_unknown_region_gets_a_clear_page(browser: Any, live_server: str) -> None:
    page = browser.new_page()
    response = page.goto(live_server + "/registry?region=12.7x")
    assert response is not None and response.status == 422
    assert "bukan kode wilayah" in page.content()
    page.close()
