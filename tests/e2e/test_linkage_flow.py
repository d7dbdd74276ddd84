"""Outside lists end to end: CLI import and run against the database register, the API over HTTP, and a review
decision made in Chromium."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.conftest import SCREENSHOTS, login, run_cli

PASSWORD = "jangkau-demo-2026"


def _persons(env: dict[str, str], n: int) -> list[tuple[Any, ...]]:
    with sqlite3.connect(Path(env["JANGKAU_VAR_DIR"]) / "jangkau.db") as con:
        return con.execute(
            "SELECT nik, full_name, birth_date, sex, village_code FROM person WHERE village_code LIKE '12.71.%' "
            "ORDER BY id LIMIT ?",
            (n,),
        ).fetchall()


def _list_csv(env: dict[str, str], path: Path) -> Path:
    """Two registered persons (one with a mistyped NIK), a stranger in a known village, and an empty row."""
    (nik1, name1, born1, sex1, vil1), (nik2, name2, born2, sex2, vil2) = _persons(env, 2)
    typo = nik2[:-1] + ("1" if nik2[-1] != "1" else "2")
    rows = [
        "row_id,nik,name,birth_date,sex,village_code",
        f"r1,{nik1},{name1},{born1},{sex1},{vil1}",
        f"r2,{typo},{name2.title()},{born2},{sex2},{vil2}",
        f"r3,,Rina Marlina Sitorus,2001-02-03,P,{vil1}",
        "r4,,,,,",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def review_list(city_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> int:
    """A list linked with a match threshold above 1, so that every candidate waits for a person."""
    tmp = tmp_path_factory.mktemp("linkage")
    listed = _list_csv(city_env, tmp / "review.csv")
    result = run_cli("link", "run", "--list", str(listed), "--register", "db", "--source", "E2E review",
                     "--out", str(tmp / "out"), "--match-threshold", "1.01", "--json", env=city_env)  # fmt: skip
    summary = json.loads(result.stdout)
    assert summary["decisions"]["review"] == 2
    return int(summary["list_id"])


def test_cli_links_a_file_to_the_database_register_and_hands_prospects_to_outreach(
    city_env: dict[str, str], tmp_path: Path
) -> None:
    listed = _list_csv(city_env, tmp_path / "kepling.csv")
    result = run_cli("link", "run", "--list", str(listed), "--register", "db", "--source", "Kepling e2e",
                     "--out", str(tmp_path / "out"), "--json", env=city_env)  # fmt: skip
    summary = json.loads(result.stdout)
    assert summary["decisions"]["match"] >= 1
    assert summary["decisions"]["rejected"] == 1
    assert (tmp_path / "out" / "links.csv").read_text(encoding="utf-8").count("\n") == 5
    assert "empty row" in (tmp_path / "out" / "rejected.csv").read_text(encoding="utf-8")
    list_id = str(summary["list_id"])
    outcome = json.loads(run_cli("link", "outcome", "--list-id", list_id, "--prospects", "--json", env=city_env).stdout)
    assert outcome["outcome not_registered"] >= 1
    assert outcome["prospects added"] + outcome["prospects duplicates"] == outcome["prospects candidates"]
    again = run_cli("link", "run", "--list-id", list_id, "--out", str(tmp_path / "again"), "--json", env=city_env)
    assert json.loads(again.stdout)["decisions"] == summary["decisions"]


def test_a_broken_file_is_refused_with_a_reason(city_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("nama;tanggal\nBudi;1980-01-01\n", encoding="utf-8")
    result = run_cli("link", "import", "--list", str(bad), "--source", "Becak", env=city_env, check=False)
    assert result.returncode == 2
    assert "no column" in result.stderr


def _token(base: str, username: str) -> dict[str, str]:
    response = httpx.post(base + "/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def finished(base: str, headers: dict[str, str], task: str, seconds: float = 120) -> dict[str, Any]:
    """Poll a queued task's address until it is done or failed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown: dict[str, Any] = httpx.get(base + task, headers=headers).json()
        if shown["status"] in ("done", "failed"):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{task} did not finish: {shown}")


def test_api_import_run_outcome_and_review(worker_server: str, city_env: dict[str, str], tmp_path: Path) -> None:
    live_server = worker_server  # the import is queued: a worker runs it
    officer = _token(live_server, "pemkot.medan")
    listed = _list_csv(city_env, tmp_path / "api.csv")
    with listed.open("rb") as handle:
        files = {"file": ("nonasn.csv", handle, "text/csv")}
        response = httpx.post(live_server + "/api/v1/linkage/import", headers=officer, files=files,
                              data={"source": "Non-ASN API"}, timeout=60)  # fmt: skip
    assert response.status_code == 202, response.text
    task = finished(live_server, officer, response.json()["task"])
    assert task["status"] == "done", task
    list_id = task["result"]["list_id"]
    imported = httpx.get(f"{live_server}/api/v1/linkage/lists/{list_id}", headers=officer).json()
    assert (imported["rows_read"], imported["rows_rejected"], imported["area"]) == (4, 1, "12.71")
    agent = _token(live_server, "bhabin.medankota")
    assert httpx.post(f"{live_server}/api/v1/linkage/lists/{list_id}/run", headers=agent).status_code == 403
    ran = httpx.post(f"{live_server}/api/v1/linkage/lists/{list_id}/run", headers=officer, timeout=120)
    assert ran.status_code == 200, ran.text
    outcome = httpx.get(f"{live_server}/api/v1/linkage/lists/{list_id}/outcome", headers=officer).json()
    assert sum(outcome["counts"].values()) == 3
    csv_text = httpx.get(f"{live_server}/api/v1/linkage/lists/{list_id}/outcome.csv", headers=officer).text
    assert csv_text.startswith("line,row_id,nik")
    detail = httpx.get(f"{live_server}/api/v1/linkage/lists/{list_id}", headers=officer).json()
    assert detail["rejected"][0]["row_id"] == "r4"
    assert httpx.get(f"{live_server}/api/v1/linkage/lists/999999", headers=officer).status_code == 404
    bad = httpx.post(f"{live_server}/api/v1/linkage/decisions/1/review", headers=officer, json={"verdict": "maybe"})
    assert bad.status_code == 422


def test_review_decision_in_chromium(browser: Any, live_server: str, review_list: int) -> None:
    page = login(browser, live_server, "cabang.medan")
    page.goto(f"{live_server}/linkage/review/{review_list}")
    assert "2" in page.inner_text("#queue-total")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "linkage_review.png"), full_page=True)
    first = page.locator("section.pair").first
    evidence = first.locator(".ev-nik").inner_text()
    assert evidence in ("sama", "beda satu angka")
    first.locator("button.accept").click()
    page.wait_for_load_state()
    assert page.locator("#review-done").is_visible()
    assert "1" in page.inner_text("#queue-total")
    page.goto(f"{live_server}/linkage/lists/{review_list}")
    assert page.inner_text("#decision-match") == "1"
    page.screenshot(path=str(SCREENSHOTS / "linkage_list.png"), full_page=True)
    page.close()


def test_a_double_submitted_upload_makes_one_version_and_the_run_state_shows(
    browser: Any, worker_server: str, city_env: dict[str, str], tmp_path: Path
) -> None:
    live_server = worker_server  # the import is queued: a worker runs it
    listed = _list_csv(city_env, tmp_path / "twice.csv")
    page = login(browser, live_server, "pemkot.medan")
    page.goto(f"{live_server}/linkage")
    form = {
        "csrf_token": page.input_value("#import-form input[name=csrf_token]"),
        "once": page.input_value("#import-form input[name=once]"),
        "source": "Double submit e2e",
        "file": {"name": "twice.csv", "mimeType": "text/csv", "buffer": listed.read_bytes()},
    }
    first = page.request.post(f"{live_server}/linkage/import", multipart=form, max_redirects=0)
    second = page.request.post(f"{live_server}/linkage/import", multipart=form, max_redirects=0)
    assert first.status == second.status == 303
    assert first.headers["location"] == second.headers["location"]
    officer = _token(live_server, "pemkot.medan")
    task = finished(live_server, officer, "/api/v1/tasks/" + first.headers["location"].rsplit("/", 1)[1])
    items = httpx.get(f"{live_server}/api/v1/linkage/lists", headers=officer).json()["items"]
    assert [i["source"] for i in items].count("Double submit e2e") == 1
    page.goto(f"{live_server}/linkage/lists/{task['result']['list_id']}")
    assert page.get_attribute("#run-state", "data-state") == "done"  # the upload's task linked it
    page.click("#run")  # queued: the task's page follows the run, then links to the list
    page.wait_for_load_state()
    assert "/linkage/tasks/" in page.url
    page.wait_for_selector("[data-task-progress][data-status=done]", timeout=120_000)
    page.click("#task-list")
    page.wait_for_load_state()
    assert page.get_attribute("#run-state", "data-state") == "done"
    assert page.inner_text("#run-phase") == "store"
    page.close()
