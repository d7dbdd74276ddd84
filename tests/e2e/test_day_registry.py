"""The branch officer's register day in the browser (issue 22 point 1), on a 360 px phone and a desktop: search a
name from the address bar, open the person, read the sections, ask for the full record (audited), then look the
same person up by NIK, which is posted and answered at an opaque address: no NIK in any URL the browser visited."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from tests.e2e.days import start_day

SECTIONS = ("#identity", "#household", "#memberships", "#claims", "#visits", "#messages", "#full-reads")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_branch_officer_finds_a_person_by_name_and_by_nik(browser: Any, live_server: str, screen: str) -> None:
    day = start_day(browser, live_server, "registry", screen, "cabang.medan")
    page = day.page
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))

    page.goto(live_server + "/registry")
    member = page.locator("tbody tr", has=page.locator("span.badge.active")).first
    name = member.locator("td:nth-child(2) a").inner_text()
    page.goto(live_server + "/registry?q=" + quote(name))
    found = page.locator("tbody tr td:nth-child(2) a")
    assert found.count() >= 1
    assert all(name.lower() in n.lower() for n in found.all_inner_texts())
    day.step("search-by-name")

    found.first.click()
    page.wait_for_url(re.compile(r"/persons/\d+$"))
    person_url = page.url
    assert page.locator("#person-name").inner_text() == name
    for section in SECTIONS:
        assert page.locator(section).count() == 1, section
    assert page.locator("#memberships .paid-by").count() >= 1, "who pays each membership"
    assert page.locator("#memberships .protection").count() >= 1, "whether the membership protects"
    masked = page.locator("#person-nik").inner_text()
    assert re.fullmatch(r"\d{6}\*{6}\d{4}", masked), "the NIK is masked until the full record is asked for"
    day.no_codes()
    day.step("person-masked")

    page.click("#show-full")
    page.wait_for_url(re.compile(r"\?full=1$"))
    nik = page.locator("#person-nik").inner_text()
    assert re.fullmatch(r"\d{16}", nik)
    assert "cabang.medan" in page.locator("#full-reads").inner_text(), "the officer's own full read is listed"
    day.step("person-full")

    page.goto(live_server + "/registry")
    page.fill("#q", nik)
    page.click("#search")
    page.wait_for_url(re.compile(r"/registry/results/[A-Za-z0-9_-]{40,}$"))
    assert page.locator("#nik-result").count() == 1
    result = page.locator("tbody tr td:nth-child(2) a")
    assert result.all_inner_texts() == [name]
    day.step("search-by-nik")
    result.first.click()
    page.wait_for_url(person_url)

    assert visited, "the request log was recorded"
    leaked = [url for url in visited if nik in url]
    assert leaked == [], f"a NIK travelled in an address: {leaked}"
    page.close()
