"""The city officer's list day in the browser only (issue 22 point 10): pemkot.medan uploads the XLSX a kelurahan
office keeps (Indonesian headers, NIKs with spaces and an apostrophe, "12 Mei 1980" dates, villages by name), sees
the proposed columns and the first rows read, confirms, and sees the outcome with the villages by name; on a 360 px
phone and on a desktop."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from tests.e2e.days import start_day

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip


def _city_xlsx(env: dict[str, str], path: Path) -> tuple[Path, str, list[str]]:
    """Two registered persons written the city's way and a stranger in a named village; returns the file, the
    stranger's village name and the NIKs written."""
    with sqlite3.connect(Path(env["JANGKAU_VAR_DIR"]) / "jangkau.db") as con:
        people = con.execute(
            "SELECT p.nik, p.full_name, p.birth_date, p.sex, r.name FROM person p JOIN region r "
            "ON r.code = p.village_code WHERE p.village_code LIKE '12.71.%' ORDER BY p.id LIMIT 2"
        ).fetchall()
    book = Workbook()
    sheet = book.active
    sheet.append(["No", "NIK", "Nama Lengkap", "Tgl Lahir", "Jenis Kelamin", "Kelurahan", "Alamat", "No HP"])
    for n, (nik, name, born, sex, village) in enumerate(people, start=1):
        day = dt.date.fromisoformat(str(born)[:10])
        written = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        spaced = f"'{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
        sheet.append([n, spaced, name.upper(), written, "Laki-laki" if sex == "L" else "Perempuan", f"Kel. {village}",
                      "Jl. Mawar 3", "0812000000"])  # fmt: skip
    stranger_village = people[0][4]
    sheet.append([3, "", "Rina Marlina Sitorus", "03-02-2001", "P", stranger_village.upper(), "Jl. Kenanga", ""])
    book.save(path)
    return path, stranger_village, [str(p[0]) for p in people]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_city_officer_uploads_a_city_list_checks_the_preview_and_sees_villages_by_name(
    browser: Any, worker_server: str, city_env: dict[str, str], tmp_path: Path, screen: str
) -> None:
    listed, village, niks = _city_xlsx(city_env, tmp_path / "kelurahan.xlsx")
    day = start_day(browser, worker_server, "city_officer", screen, "pemkot.medan")
    page = day.page
    page.goto(f"{worker_server}/linkage")
    day.step("lists")
    page.fill("#source", f"Kelurahan {screen}")
    page.set_input_files("#file", str(listed))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    assert "/linkage/uploads/" in page.url
    chosen = {row.get_attribute("data-header"): row.locator("select").input_value()
              for row in page.locator("#mapping tbody tr").all()}  # fmt: skip
    assert chosen == {"No": "row_id", "NIK": "nik", "Nama Lengkap": "name", "Tgl Lahir": "birth_date",
                      "Jenis Kelamin": "sex", "Kelurahan": "village_code", "Alamat": "", "No HP": ""}  # fmt: skip
    villages = page.locator("#preview-rows td.village").all_inner_texts()
    assert villages[-1] == village  # the stranger's village, written in capitals, found by name
    assert page.locator("#preview-rows tr.rejected").count() == 0
    shown = page.inner_text("main").replace(" ", "").replace("'", "")
    assert not any(nik in shown for nik in niks)  # NIKs masked, in the rows and in the first values
    day.step("preview")
    day.no_codes()
    page.click("#confirm")
    page.wait_for_load_state()
    assert "/linkage/tasks/" in page.url
    page.wait_for_selector("[data-task-progress][data-status=done]", timeout=60_000)
    page.click("#task-list")
    page.wait_for_load_state()
    assert page.inner_text("#rows-read") == "3"
    assert page.inner_text("#rows-rejected") == "0"
    shown = page.locator("#outcome-rows td.village").all_inner_texts()
    assert village in shown  # the not-registered stranger, in their village by name
    assert not any(v.startswith("12.71") for v in shown)
    day.step("outcome")
    page.close()
