"""A real worker killed (SIGKILL) in the middle of a billing run: the next worker takes the run over, resumes it
from its checkpoint, nothing is billed twice, and the task console says what happened."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import POSTGRES_URL, _postgres_engine
from tests.e2e.conftest import BIN, run_cli


def _task(db: Path, task_id: int) -> dict[str, Any]:
    """The task record read straight from the database file (fast enough to catch a run mid-way)."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM task_record WHERE id = ?", (task_id,)).fetchone()
    task = dict(row)
    task["result"] = json.loads(task["result"]) if task["result"] else None
    return task


def _wait(db: Path, task_id: int, until: Callable[[dict[str, Any]], bool], seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = _task(db, task_id)
        if until(task):
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} never got there: {_task(db, task_id)}")


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "jangkau"), "worker", "--workers", "1"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def test_a_billing_run_killed_mid_way_is_taken_over_and_nothing_is_billed_twice(
    city_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", tmp_path / "jangkau.db")
    env = {**city_env, "JANGKAU_VAR_DIR": str(tmp_path)}  # its own database and queue file
    db = tmp_path / "jangkau.db"
    queued = json.loads(
        run_cli("billing", "run", "--month", "2026-05", "--chunk", "1", "--background", "--json", env=env).stdout
    )
    task_id = queued["task_id"]

    first = _worker(env, tmp_path / "first.log")
    try:
        running = _wait(db, task_id, lambda t: t["status"] != "queued" and (t["done"] or 0) >= 3, 120)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert running["status"] == "running", f"the run ended before the kill: {running}"
    assert running["total"] > running["done"]

    second = _worker({**env, "JANGKAU_TASK_STALE_MINUTES": "0"}, tmp_path / "second.log")
    try:
        done = _wait(db, task_id, lambda t: t["status"] in ("done", "failed"), 240)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(30)

    assert (done["status"], done["attempts"], done["error"]) == ("done", 2, None)
    assert "taken over" in done["note"]
    assert done["result"]["resumed_from"] >= running["done"]
    again = json.loads(run_cli("billing", "run", "--month", "2026-05", "--json", env=env).stdout)
    assert (again["bills_created"], again["lines_created"]) == (0, 0)


def test_two_workers_on_postgresql_run_each_periodic_task_once_per_period(tmp_path: Path) -> None:
    if not POSTGRES_URL:
        pytest.skip("needs JANGKAU_TEST_POSTGRES_URL")
    url = _postgres_engine("workers").url.render_as_string(hide_password=False)
    every_minute = ("report.refresh", "jobs.check_hires", "claims.deadline_check", "coverage.lapse")
    env = {
        **os.environ,
        "JANGKAU_VAR_DIR": str(tmp_path),
        "JANGKAU_DATABASE_URL": url,
        "JANGKAU_QUEUE_URL": url.replace("+psycopg", ""),  # PostgresHuey: the queue in the same database
        "JANGKAU_TASK_SCHEDULE": "; ".join(f"{name}=* * * * *" for name in every_minute),
    }
    run_cli("db", "upgrade", env=env)
    workers = [_worker(env, tmp_path / f"w{i}.log") for i in (1, 2)]  # both tick as they start
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            runs = json.loads(run_cli("tasks", "list", "--json", env=env).stdout)
            if {r["name"] for r in runs} >= set(every_minute) and all(r["status"] == "done" for r in runs):
                break
            time.sleep(0.5)
        time.sleep(2)  # let the slower worker's tick arrive and find the period taken
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            worker.wait(30)
    runs = json.loads(run_cli("tasks", "list", "--json", env=env).stdout)
    assert {r["name"] for r in runs} >= set(every_minute)
    assert {(r["status"], r["attempts"]) for r in runs} == {("done", 1)}  # each period's run started once
    logs = "".join((tmp_path / f"w{i}.log").read_text() for i in (1, 2))
    assert logs.count("Executing jangkau.tasks.schedule.schedule.tick") >= 2  # both workers ticked


def test_demo_seeding_through_the_queue(tmp_path: Path) -> None:
    env = {**os.environ, "JANGKAU_VAR_DIR": str(tmp_path), "JANGKAU_DATABASE_URL": "", "COLUMNS": "200"}
    run_cli("db", "upgrade", env=env)
    run_cli("regions", "load", env=env)
    db = tmp_path / "jangkau.db"
    command = ("demo", "seed", "--region", "12.71.01", "--scale", "small", "--seed", "2", "--background", "--json")
    queued = json.loads(run_cli(*command, env=env).stdout)
    assert queued["status"] == "queued"
    worker = _worker(env, tmp_path / "seed.log")
    try:
        done = _wait(db, queued["task_id"], lambda t: t["status"] in ("done", "failed"), 240)
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(30)
    assert (done["status"], done["error"]) == ("done", None)
    assert done["done"] == done["total"] == done["result"]["districts"]
    assert done["result"]["persons"] > 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM person").fetchone()[0] == done["result"]["persons"]
