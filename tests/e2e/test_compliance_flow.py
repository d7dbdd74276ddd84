"""Compliance end to end: the scan and a case from the CLI (as a subprocess), the API and the pages in Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from tests.e2e.conftest import SCREENSHOTS, login, run_cli


def test_scan_case_letter_from_the_cli(city_env: dict[str, str], tmp_path: Path) -> None:
    first = json.loads(run_cli("compliance", "scan", "--month", "2025-03", "--json", env=city_env).stdout)
    assert first["created"] > 0
    assert first["by_kind"].get("pds_upah", 0) > 0
    again = json.loads(run_cli("compliance", "scan", "--month", "2025-03", "--json", env=city_env).stdout)
    assert again["created"] == 0
    assert again["updated"] == first["created"]

    evidence = tmp_path / "wajib_lapor.csv"
    evidence.write_text("nomor,tanggal,nama,jumlah_pekerja,rata_upah\nW-1,2025-02-01,PT Tidak Ada Sama Sekali,40,0\n")
    bad = run_cli("compliance", "import-evidence", str(evidence), "--kind", "wajib_lapor", "--json", env=city_env)
    assert "more than zero" in json.loads(bad.stdout)["rejected"][0]["reason"]

    top = json.loads(run_cli("compliance", "risk", "--json", env=city_env).stdout)["items"][0]
    case = json.loads(run_cli("compliance", "open-case", str(top["employer_id"]), env=city_env).stdout)
    refused = run_cli("compliance", "step", str(case["id"]), "fine", env=city_env, check=False)
    assert refused.returncode == 2
    assert "denda hanya boleh sesudah teguran tertulis II" in refused.stderr
    run_cli("compliance", "step", str(case["id"]), "warning_1", env=city_env)
    letter = json.loads(run_cli("compliance", "letters", "--case", str(case["id"]), "--json", env=city_env).stdout)
    assert Path(letter["path"]).read_bytes().startswith(b"%PDF")


def test_pages_and_api_for_the_branch_officer(
    city_env: dict[str, str], live_server: str, browser: Any, tmp_path: Path
) -> None:
    run_cli("compliance", "scan", "--month", "2025-03", env=city_env)
    token = httpx.post(
        live_server + "/api/v1/auth/token", data={"username": "pemkot.medan", "password": "jangkau-demo-2026"}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    listing = httpx.get(live_server + "/api/v1/compliance/employers?size=5", headers=headers).json()
    assert listing["items"][0]["score"] >= listing["items"][-1]["score"]
    denied = httpx.post(live_server + "/api/v1/compliance/cases", json={"employer_id": 1}, headers=headers)
    assert denied.status_code == 403  # the city government reads; the branch office acts

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = login(browser, live_server, "cabang.medan", viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/compliance")
    page.screenshot(path=str(SCREENSHOTS / "compliance-risk.png"), full_page=True)
    page.click("#risk tbody tr:first-child a")
    page.wait_for_load_state()
    assert page.inner_text("#explanation")
    page.screenshot(path=str(SCREENSHOTS / "compliance-employer.png"), full_page=True)
    if page.locator("#open-case").count():
        page.click("#open-case")
        page.wait_for_load_state()
    else:
        page.click("text=#")
        page.wait_for_load_state()
    page.select_option("#step-kind", "tmp2t")
    page.click("#add-step")
    page.wait_for_load_state()
    assert "PP 86/2013" in page.inner_text("#step-error")
    if page.locator("#make-letter").count():
        title = page.inner_text("#make-letter").split(": ", 1)[1].removesuffix(" (PDF)")
        for _ in range(2):
            page.click("#make-letter")
            page.wait_for_load_state()
        kept = page.locator("#documents li", has_text=title).count()
        assert kept == 1, "the same letter made twice on one day is kept once"
    reply = tmp_path / "balasan.pdf"
    reply.write_bytes(b"%PDF-1.4\n% balasan pemberi kerja\n")
    page.select_option("#upload-kind", "reply")
    page.set_input_files("#upload-file", str(reply))
    page.click("#upload-document")
    page.wait_for_load_state()
    assert "Surat balasan pemberi kerja" in page.inner_text("#documents")
    fake = tmp_path / "bukti.pdf"
    fake.write_text("ini bukan pdf")
    page.set_input_files("#upload-file", str(fake))
    page.click("#upload-document")
    page.wait_for_load_state()
    assert "PDF, PNG atau JPEG" in page.inner_text("#upload-error")
    page.screenshot(path=str(SCREENSHOTS / "compliance-case.png"), full_page=True)
    page.goto(live_server + "/compliance/summary")
    assert page.locator("#summary").count() == 1
    page.close()
