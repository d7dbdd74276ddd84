"""A real `jangkau worker` makes /api/v1/ready go green through its heartbeat; killed, it goes stale after the
threshold; stopped with SIGTERM (systemd's stop), it lets the running task finish first and exits 0."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.e2e.conftest import BIN, run_cli
from tests.e2e.test_task_worker import _task, _wait

from jangkau.config import Settings
from jangkau.db.engine import make_engine
from jangkau.web.app import create_app

HEARTBEAT = {"JANGKAU_WORKER_HEARTBEAT_SECONDS": "0.5", "JANGKAU_WORKER_STALE_SECONDS": "3",
             "JANGKAU_WORKER_REQUIRED": "true"}  # fmt: skip


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "jangkau"), "worker", "--workers", "1"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def _ready_client(var: Path) -> TestClient:
    settings = Settings(var_dir=var, worker_stale_seconds=3, worker_required=True)
    return TestClient(create_app(make_engine(f"sqlite:///{var / 'jangkau.db'}"), settings))


def _worker_check(client: TestClient) -> tuple[int, str]:
    answer = client.get("/api/v1/ready")
    check = next(c for c in answer.json()["checks"] if c["name"] == "worker")
    return answer.status_code, check["detail"]


def _until(probe: Callable[[], Any], ok: Callable[[Any], bool], seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        seen = probe()
        if ok(seen) or time.monotonic() > deadline:
            return seen
        time.sleep(0.2)


def test_ready_goes_green_with_a_real_worker_and_stale_after_it_is_killed(tmp_path: Path) -> None:
    env = {**run_env(tmp_path), **HEARTBEAT}
    run_cli("db", "upgrade", env=env)
    client = _ready_client(tmp_path)
    assert _worker_check(client) == (503, "no worker heartbeat seen yet (required)")

    worker = _start(env, tmp_path / "worker.log")
    try:
        status, detail = _until(lambda: _worker_check(client), lambda s: s[0] == 200, 60)
        assert status == 200, (detail, (tmp_path / "worker.log").read_text())
        assert detail.startswith("1 worker(s) alive")
        time.sleep(4)  # beyond the stale threshold: the worker's own beats keep it green
        assert _worker_check(client)[0] == 200
    finally:
        worker.send_signal(signal.SIGKILL)  # a crash: no chance to mark its row stopped
        worker.wait(10)
    killed = time.monotonic()
    assert _worker_check(client)[0] == 200  # still within the threshold
    status, detail = _until(lambda: _worker_check(client), lambda s: s[0] == 503, 10)
    assert status == 503
    assert "stale after 3 s (required)" in detail
    assert 2.0 <= time.monotonic() - killed <= 8.0


def run_env(var: Path) -> dict[str, str]:
    import os

    return {**os.environ, "JANGKAU_VAR_DIR": str(var), "JANGKAU_DATABASE_URL": "", "JANGKAU_QUEUE_URL": ""}


def test_sigterm_lets_the_running_task_finish_then_the_worker_exits_0(city_env: dict[str, str], tmp_path: Path) -> None:
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", tmp_path / "jangkau.db")
    env = {**city_env, "JANGKAU_VAR_DIR": str(tmp_path), **HEARTBEAT}
    db = tmp_path / "jangkau.db"
    queued = run_cli("billing", "run", "--month", "2026-05", "--chunk", "1", "--background", "--json", env=env)
    task_id = json.loads(queued.stdout)["task_id"]

    worker = _start(env, tmp_path / "worker.log")
    try:
        running = _wait(db, task_id, lambda t: t["status"] == "running" and (t["done"] or 0) >= 1, 120)
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(120)
    finally:
        if worker.poll() is None:
            worker.kill()
    log = (tmp_path / "worker.log").read_text()
    assert code == 0, log
    assert "Shutting down gracefully" in log
    done = _task(db, task_id)
    assert running["total"] > running["done"]  # it was mid-way when the signal came
    assert (done["status"], done["attempts"], done["done"]) == ("done", 1, done["total"]), done
    status, detail = _worker_check(_ready_client(tmp_path))
    assert status == 503  # stopped cleanly: not counted as alive, at once
    assert detail.startswith("no worker alive")
