"""A real worker killed (SIGKILL) in the middle of a billing run: the next worker takes the run over, resumes it
from its checkpoint, nothing is billed twice, and the task console says what happened."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.e2e.conftest import BIN, run_cli


def _task(env: dict[str, str], task_id: int) -> dict[str, Any]:
    listed = json.loads(run_cli("tasks", "list", "--json", env=env).stdout)
    return next(t for t in listed if t["id"] == task_id)


def _wait(env: dict[str, str], task_id: int, until: Callable[[dict[str, Any]], bool], seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = _task(env, task_id)
        if until(task):
            return task
        time.sleep(0.3)
    raise AssertionError(f"task {task_id} never got there: {_task(env, task_id)}")


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "jangkau"), "worker", "--workers", "1"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def test_a_billing_run_killed_mid_way_is_taken_over_and_nothing_is_billed_twice(
    city_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", tmp_path / "jangkau.db")
    env = {**city_env, "JANGKAU_VAR_DIR": str(tmp_path)}  # its own database and queue file
    queued = json.loads(
        run_cli("billing", "run", "--month", "2026-05", "--chunk", "5", "--background", "--json", env=env).stdout
    )
    task_id = queued["task_id"]

    first = _worker(env, tmp_path / "first.log")
    try:
        running = _wait(env, task_id, lambda t: t["status"] == "running" and (t["done"] or 0) >= 3, 120)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert running["total"] > running["done"], "killed before the run ended"

    second = _worker({**env, "JANGKAU_TASK_STALE_MINUTES": "0"}, tmp_path / "second.log")
    try:
        done = _wait(env, task_id, lambda t: t["status"] in ("done", "failed"), 240)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(30)

    assert (done["status"], done["attempts"], done["error"]) == ("done", 2, None)
    assert "taken over" in done["note"]
    assert done["result"]["resumed_from"] >= running["done"]
    again = json.loads(run_cli("billing", "run", "--month", "2026-05", "--json", env=env).stdout)
    assert (again["bills_created"], again["lines_created"]) == (0, 0)
