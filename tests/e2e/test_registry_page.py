"""The pages in a real browser: sign in, each role's home, the registry within scope, the admin pages."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import SCREENSHOTS, login


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_signed_out_visitors_are_sent_to_login(browser: Any, live_server: str) -> None:
    page = browser.new_page()
    page.goto(live_server + "/registry")
    assert "/login" in page.url
    assert "next=%2Fregistry" in page.url
    shot(page, "login")
    page.fill("#username", "admin")
    page.fill("#password", "wrong-password-here")
    page.click("button[type=submit]")
    assert "salah" in page.locator("#login-error").inner_text()
    assert page.input_value("#username") == "admin", "the form keeps what was typed"
    page.close()


def test_branch_officer_sees_the_city_register(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "cabang.medan")
    page.goto(live_server + "/registry")
    assert "Kota Medan" in page.locator("h1").inner_text()
    rows = page.locator("tbody tr")
    assert rows.count() == 50
    first_nik = rows.nth(0).locator("code").inner_text()
    assert re.fullmatch(r"\d{6}\*{6}\d{4}", first_nik), "NIKs are masked in the register list"
    shot(page, "registry-phone")
    page.select_option("#region", label="Kec. Medan Kota")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"region=12\.71\.01"))
    assert "Medan Kota" in page.locator("h1").inner_text()
    page.close()


def test_a_search_is_posted_so_the_name_or_nik_stays_out_of_the_address(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "cabang.medan")
    page.goto(live_server + "/registry")
    name = page.locator("tbody tr").first.locator("td").nth(1).inner_text()
    page.fill("#q", name)
    page.click("#search")
    page.wait_for_load_state()
    assert page.url.endswith("/registry/search")
    assert name.split()[0] not in page.url
    cells = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert cells
    assert all(name.lower() in c.lower() for c in cells)
    page.close()


def test_agent_home_and_scope(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "bhabin.medankota")
    assert page.locator("#my-villages tbody tr").count() >= 5
    assert page.locator("#prospects tbody tr").count() >= 1
    shot(page, "home-agent")
    page.goto(live_server + "/registry?region=12.71.02")
    assert page.locator("tbody tr").first.inner_text().strip() in ("Tidak ada data.", "No data.")
    response = page.goto(live_server + "/admin/users")
    assert response is not None
    assert response.status == 403
    page.close()


def test_admin_pages_and_language_switch(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "admin", viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/admin/users")
    assert page.locator("tbody tr").count() >= 10
    page.goto(live_server + "/admin/audit")
    shot(page, "admin-audit")
    page.click("text=English")
    page.wait_for_load_state()
    assert "Audit log" in page.locator("h1").inner_text()
    page.click("text=Bahasa Indonesia")
    page.wait_for_load_state()
    assert "Log audit" in page.locator("h1").inner_text()
    page.close()


def test_unknown_region_gets_a_clear_page(browser: Any, live_server: str) -> None:
    page = login(browser, live_server, "cabang.medan")
    response = page.goto(live_server + "/registry?region=12.7x")
    assert response is not None
    assert response.status == 422
    assert "bukan kode wilayah" in page.content()
    page.close()
