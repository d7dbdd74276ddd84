"""A field agent's day on the phone app, in the browser only (issue 22 point 7), on a 360 px phone and a desktop.

The agent opens the field app (village preselected for a kepling with one village; occupation empty), types a NIK
whose birth date and sex disagree with what was typed and sees the warning, loses the signal, queues an enrolment,
gets the signal back, sees it rejected (the NIK is registered outside their area), corrects it and sends it again:
it is registered once. Screenshots of each step go to ``var/screenshots/field_agent-<screen>-NN-<step>.png``.

Also: the NIK rules of the browser (``static/outreach/nik.js``) and of the server (``registry.nik.check_nik``) give
the same answer for one table of cases.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.days import start_day

from jangkau.registry.nik import Sex, check_nik
from jangkau.web.kit import WEB_DIR

pytestmark = pytest.mark.browser

NIK_JS = WEB_DIR / "static" / "outreach" / "nik.js"
TODAY = "2026-12-04"

# (NIK as typed, stated birth date, stated sex, districts of the agent)
CASES: list[tuple[str, str | None, str | None, list[str] | None]] = [
    ("1271014508850003", None, None, None),  # a woman born 5 August 1985
    ("1271014508850003", "1985-08-05", "P", ["12.71.01"]),  # all agrees
    ("1271014508850003", "1985-08-06", "P", None),  # birth date differs
    ("1271014508850003", "1985-08-05", "L", None),  # sex differs
    ("1271010508850003", "1985-08-05", "P", None),  # a man's NIK, a woman typed
    ("12 7101.4508-850003", None, None, None),  # separators people type
    ("127101450885000", None, None, None),  # 15 digits
    ("12710145088500031", None, None, None),  # 17 digits
    ("12710145O8850003", None, None, None),  # a letter O
    ("", None, None, None),
    ("9971014508850003", None, None, None),  # no such province
    ("1200014508850003", None, None, None),  # regency 00
    ("1270014508850003", None, None, None),  # regency 70
    ("1271004508850003", None, None, None),  # district 00
    ("1271014508850000", None, None, None),  # serial 0000
    ("1271013102900001", None, None, None),  # 31 February
    ("1271010113900001", None, None, None),  # month 13
    ("1271014002900001", None, None, None),  # day 40: a man born on the 40th
    ("1271014100900001", None, None, None),  # month 00
    ("1271010000900001", None, None, None),  # day 00
    ("1271012902000001", "2000-02-29", "L", None),  # 29 February 2000 (leap)
    ("1271012902010001", None, None, None),  # 29 February 2001
    ("1271010512260001", None, None, None),  # 5 December 2026: tomorrow
    ("1271010412260001", "2026-12-04", None, None),  # born today
    ("1271010101300001", None, None, None),  # "30": 1930, not 2030
    ("3171014508850003", "1985-08-05", "P", ["12.71.01", "12.71.02"]),  # issued in Jakarta: a warning
    ("1271024508850003", None, None, ["12.71.01", "12.71.02"]),  # in the agent's second district
    ("9971014508850000", "1985-08-06", "L", ["12.71.01"]),  # several errors: no district warning, still compared
]

_PY_CODES = [
    ("NIK must be exactly 16 digits", "length"),
    ("province code", "province"),
    ("regency/city code", "regency"),
    ("district code 00", "district"),
    ("serial number 0000", "serial"),
    ("birth date part", "date"),
    ("birth date in the NIK is in the future", "future"),
    ("is not in the current region tree", "district_elsewhere"),
    ("stated birth date", "birth_date_differs"),
    ("stated sex", "sex_differs"),
]


def _code(message: str) -> str:
    return next(code for text, code in _PY_CODES if text in message)


def _python(nik: str, birth: str | None, sex: str | None, districts: list[str] | None) -> dict[str, Any]:
    result = check_nik(
        nik,
        birth_date=dt.date.fromisoformat(birth) if birth else None,
        sex=Sex(sex) if sex else None,
        district_exists=(lambda code: code in districts) if districts is not None else None,
        today=dt.date.fromisoformat(TODAY),
    )
    return {
        "valid": result.valid,
        "sex": result.sex.value if result.sex else None,
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "errors": sorted(_code(e) for e in result.errors),
        "warnings": sorted(_code(w) for w in result.warnings),
    }


_RUN_JS = """([cases, today]) => cases.map(([nik, birthDate, sex, districts]) => {
  const r = window.JangkauNik.check(nik, {birthDate, sex, districts, today});
  return {valid: r.valid, sex: r.sex, birth_date: r.birth_date,
          errors: r.errors.map(e => e.code).sort(), warnings: r.warnings.map(w => w.code).sort()};
})"""


def test_the_browser_and_the_server_check_a_nik_alike(browser: Any) -> None:
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>nik</title>")
        page.add_script_tag(path=str(NIK_JS))
        in_browser = page.evaluate(_RUN_JS, [[list(case) for case in CASES], TODAY])
    finally:
        page.context.close()
    on_server = [_python(*case) for case in CASES]
    differ = [(case[0], b, s) for case, b, s in zip(CASES, in_browser, on_server, strict=True) if b != s]
    assert differ == [], "\n".join(f"{nik!r}: browser {b} server {s}" for nik, b, s in differ)
    # the table covers every rule, both ways
    seen = {code for r in on_server for code in r["errors"] + r["warnings"]}
    assert seen == {code for _, code in _PY_CODES}
    assert {r["valid"] for r in on_server} == {True, False}


def _nik_of(env: dict[str, str], where: str) -> str:
    with sqlite3.connect(Path(env["JANGKAU_VAR_DIR"]) / "jangkau.db") as db:
        row = db.execute("SELECT nik FROM person WHERE village_code LIKE ? LIMIT 1", (where,)).fetchone()
    return str(row[0])


def _people_with(env: dict[str, str], nik: str) -> int:
    with sqlite3.connect(Path(env["JANGKAU_VAR_DIR"]) / "jangkau.db") as db:
        return int(db.execute("SELECT count(*) FROM person WHERE nik = ?", (nik,)).fetchone()[0])


def _fresh_nik(env: dict[str, str], born: dt.date) -> str:
    """A NIK of Medan Kota for a woman born on ``born`` that nobody has yet."""
    rng = random.Random()
    while True:
        nik = f"127101{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(5000, 9999):04d}"
        if not _people_with(env, nik):
            return nik


@pytest.mark.parametrize(
    ("username", "screen"), [("kepling.demo", "phone"), ("bhabin.medankota", "desktop")], ids=["phone", "desktop"]
)
def test_a_field_agents_day(
    browser: Any, live_server: str, city_env: dict[str, str], username: str, screen: str
) -> None:
    day = start_day(browser, live_server, "field_agent", screen, username)
    page = day.page
    try:
        page.goto(live_server + "/field")
        page.wait_for_selector("body[data-db=open]")
        villages = page.locator("#e-village option[value^='12.']").count()
        village = page.locator("#e-village").input_value()
        if username == "kepling.demo":
            assert villages == 1
            assert village == "12.71.01.1001", "a kepling's single village is preselected"
        else:
            assert villages > 1
            assert village == "", "with several villages the agent chooses one"
        assert page.locator("#e-occupation").input_value() == "", "occupation starts empty"
        assert page.locator("#e-occupation").get_attribute("required") is not None
        assert page.locator("#net.online").count() == 1
        day.step("field-app")
        day.no_codes()

        # a NIK of a woman born 15 August 1992, typed as a man born the 16th: a warning, not a refusal
        page.fill("#e-nik", "1271015508920011")
        page.fill("#e-birth", "1992-08-16")
        page.select_option("#e-sex", "L")
        warning = page.locator("#e-nik-status .warn")
        warning.first.wait_for()
        text = page.locator("#e-nik-status").inner_text()
        assert "15 Agustus 1992" in text, text
        assert "Perempuan" in text, text
        page.wait_for_selector("body[data-nik-server]")  # the server's check (with a signal) says the same
        assert "15 Agustus 1992" in page.locator("#e-nik-status").inner_text()
        page.fill("#e-nik", "1271013102920011")  # 31 February: an error next to the field, nothing queued
        page.locator("#e-nik").blur()
        assert page.locator("#e-nik-status .field-error").count() == 1
        day.step("nik-warning")

        # the signal goes: the badge says so and stays on screen while scrolling
        page.context.set_offline(True)
        page.wait_for_selector("#net.offline")
        elsewhere = _nik_of(city_env, "12.71.05.%")  # registered in another district: refused on sync
        page.fill("#e-nik", elsewhere)
        page.fill("#e-name", "Sri Rahayu")
        page.fill("#e-birth", "1992-08-15")
        page.select_option("#e-sex", "P")
        if not village:
            page.select_option("#e-village", index=1)
        page.select_option("#e-occupation", index=1)
        page.click("#e-save")
        page.wait_for_selector("#queue li[data-state=pending]")
        assert page.locator("#queue-count").inner_text() == "1"
        page.mouse.wheel(0, 3000)
        box = page.locator("#net").bounding_box()
        assert box is not None
        assert 0 <= box["y"] < 80, f"the badge scrolled away: {box}"
        day.step("queued-offline")

        # the signal comes back: the enrolment is sent and refused, and stays listed with its reason
        page.context.set_offline(False)
        rejected = page.locator("#queue li[data-state=conflict], #queue li[data-state=error]")
        rejected.first.wait_for()
        key = rejected.first.get_attribute("data-key")
        assert re.search(r"wilayah", rejected.first.inner_text()), rejected.first.inner_text()
        day.step("rejected")

        # corrected (the NIK was mistyped) and sent again under the same key
        rejected.first.locator("button.correct").click()
        assert page.locator("#e-correcting").is_visible()
        assert page.locator("#e-name").input_value() == "Sri Rahayu", "the queued values come back into the form"
        fresh = _fresh_nik(city_env, dt.date(1992, 8, 15))
        page.fill("#e-nik", fresh)
        page.click("#e-save")
        page.wait_for_selector(f"#queue li[data-key='{key}'][data-state=synced]")
        assert page.locator("#queue li").count() == 1, "corrected, not duplicated"
        page.click("#sync-now")
        page.wait_for_selector("body[data-sync=idle]")
        assert page.locator("#queue li").count() == 1
        assert _people_with(city_env, fresh) == 1
        day.step("sent-again")

        page.goto(live_server + "/field/help")
        assert page.locator("h1").count() == 1
        day.step("help")
        day.no_codes()
    finally:
        page.context.close()
