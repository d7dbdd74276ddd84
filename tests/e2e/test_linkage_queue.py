"""Outside lists through the job queue, end to end.

- In Chromium: uploading a list answers at once with the task's page, whose progress bar follows the import and
  link run without reloading; the officer leaves, comes back through the lists page, and opens the linked list.
- A real worker killed (SIGKILL) in the middle of an uploaded list's link run: the next worker takes the task
  over, does not import the list a second time, reruns the link run cleanly (the killed run is marked
  interrupted, one decision per row), and the console says what happened.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
from pathlib import Path
from typing import Any

from tests.e2e.conftest import SCREENSHOTS, login, run_cli
from tests.e2e.test_linkage_flow import _list_csv, _persons
from tests.e2e.test_task_worker import _task, _wait, _worker


def test_an_upload_returns_at_once_with_a_task_page_that_follows_the_run(
    browser: Any, worker_server: str, city_env: dict[str, str], tmp_path: Path
) -> None:
    listed = _list_csv(city_env, tmp_path / "browser.csv")
    page = login(browser, worker_server, "pemkot.medan", viewport={"width": 1100, "height": 900})
    page.goto(f"{worker_server}/linkage")
    page.fill("#source", "Upload in Chromium")
    page.set_input_files("#file", str(listed))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    assert "/linkage/uploads/" in page.url  # the preview: the columns proposed, nothing imported yet
    page.click("#confirm")
    page.wait_for_load_state()
    assert "/linkage/tasks/" in page.url
    page.evaluate("window.__notReloaded = true")  # gone if the page reloads
    box = page.locator("[data-task-progress]")
    assert box.count() == 1
    assert box.get_attribute("data-status") != "done", "the run finished before the page showed: nothing to follow"
    assert page.locator("progress[data-part=bar]").count() == 1
    # the bar is updated by the page's script (no reload): wait for the task to be done and the list's link
    page.wait_for_selector("[data-task-progress][data-status=done]", timeout=120_000)
    assert page.get_attribute("progress[data-part=bar]", "value") == page.get_attribute(
        "progress[data-part=bar]", "max"
    )
    assert page.locator("#task-list").is_visible()
    assert page.evaluate("window.__notReloaded === true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "linkage_task.png"), full_page=True)
    task_url = page.url
    page.goto(f"{worker_server}/linkage")  # leave, and come back from the lists page
    page.click(f"#my-imports a[href='{task_url.removeprefix(worker_server)}']")
    page.wait_for_load_state()
    assert page.get_attribute("[data-task-progress]", "data-status") == "done"
    page.click("#task-list")
    page.wait_for_load_state()
    assert "/linkage/lists/" in page.url
    assert page.get_attribute("#run-state", "data-state") == "done"
    page.close()


def _big_list(env: dict[str, str], path: Path, rows: int) -> Path:
    """``rows`` rows made of the city's persons (every tenth with a name variant): a run of some seconds."""
    persons = _persons(env, 10_000)
    lines = ["row_id,nik,name,birth_date,sex,village_code"]
    for i in range(rows):
        nik, name, born, sex, village = persons[i % len(persons)]
        lines.append(f"k{i},{nik},{name.title() if i % 10 == 0 else name},{born},{sex},{village}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(db: Path, sql: str, *args: Any) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, args).fetchone()[0])


def test_a_link_run_killed_mid_way_is_taken_over_and_nothing_is_done_twice(
    city_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", tmp_path / "jangkau.db")
    env = {**city_env, "JANGKAU_VAR_DIR": str(tmp_path)}  # its own database and queue file
    db = tmp_path / "jangkau.db"
    listed = _big_list(city_env, tmp_path / "big.csv", 60_000)
    queued = json.loads(
        run_cli(
            "link", "import", "--list", str(listed), "--source", "Kill e2e", "--background", "--link", "--json", env=env
        ).stdout
    )
    task_id = queued["task_id"]

    first = _worker(env, tmp_path / "first.log")
    try:  # step 1 is the import; 2.. are the link run's phases: kill once the link run has started
        running = _wait(db, task_id, lambda t: (t["done"] or 0) >= 3, 180)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert running["status"] == "running", f"the task ended before the kill: {running}"
    assert running["total"] > running["done"]
    list_id = _count(db, "SELECT list_id FROM linkage_upload WHERE id = ?", queued["upload_id"])
    assert _count(db, "SELECT count(*) FROM linkage_run WHERE list_id = ? AND state = 'running'", list_id) == 1

    second = _worker({**env, "JANGKAU_TASK_STALE_MINUTES": "0"}, tmp_path / "second.log")
    try:
        done = _wait(db, task_id, lambda t: t["status"] in ("done", "failed"), 240)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(30)

    assert (done["status"], done["attempts"], done["error"]) == ("done", 2, None)
    assert "taken over" in done["note"]
    assert done["result"]["list_id"] == list_id
    source = "SELECT id FROM linkage_source WHERE name = 'Kill e2e'"
    assert _count(db, f"SELECT count(*) FROM linkage_list WHERE source_id = ({source})") == 1  # imported once
    assert _count(db, "SELECT count(*) FROM linkage_row WHERE list_id = ?", list_id) == 60_000
    assert _count(db, "SELECT count(*) FROM linkage_decision WHERE list_id = ?", list_id) == 60_000
    states = _count(db, "SELECT count(*) FROM linkage_run WHERE list_id = ? AND state = 'failed' AND error LIKE "
                        "'interrupted%'", list_id)  # fmt: skip
    assert states == 1  # the killed run says so on the list page
    assert _count(db, "SELECT count(*) FROM linkage_run WHERE list_id = ? AND state = 'done'", list_id) == 1
    assert _count(db, "SELECT count(*) FROM linkage_upload WHERE content IS NOT NULL") == 0
    shown = json.loads(run_cli("tasks", "list", "--json", env=env).stdout)
    assert any(t["id"] == task_id and "taken over" in (t["note"] or "") for t in shown)
    assert _task(db, task_id)["status"] == "done"


def test_the_billing_page_follows_its_run_live(browser: Any, worker_server: str) -> None:
    page = login(browser, worker_server, "cabang.medan", viewport={"width": 1100, "height": 900})
    page.goto(f"{worker_server}/funding/billing")
    page.fill("#month", "2031-01")
    page.click("#billing-form button[type=submit]")
    page.wait_for_load_state()
    assert "belum tiba" in page.inner_text("#form-error")  # a month in the future is refused with the reason
    page.fill("#month", "2026-11")
    page.click("#billing-form button[type=submit]")
    page.wait_for_load_state()
    assert "/funding/billing/" in page.url, "the form answers with the run's own page"
    # the run's page refreshes itself (no script needed) until the run has finished, then shows what it billed
    page.wait_for_selector("#billing-run[data-status=done]", timeout=120_000)
    bar = page.locator("#billing-run progress")
    assert bar.get_attribute("value") == bar.get_attribute("max")
    assert int(page.inner_text("#bills-created").replace(".", "")) >= 0
    page.screenshot(path=str(SCREENSHOTS / "funding_billing.png"), full_page=True)
    page.close()
