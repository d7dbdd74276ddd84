"""A payment is on the dashboard without waiting for the minute tick: its commit queues a coverage refresh at once
(``db.outbox`` ``soon`` marks; reporting's ``refresh_soon``), which a real worker runs within seconds."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.e2e.conftest import BIN, run_cli


def _refreshes(db: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(
            "SELECT * FROM task_record WHERE name = 'report.refresh' AND started_by = 'change:payment'"
        ).fetchall()


def _unpaid_bpu_bill(db: Path) -> tuple[str, int]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT b.reference, b.amount FROM funding_bill b WHERE b.kind = 'bpu' AND b.amount > 0"
            " AND NOT EXISTS (SELECT 1 FROM funding_payment p WHERE p.bill_id = b.id)"
            # the payer's only unpaid bill: a payment goes to the oldest bill first, so an earlier test's unpaid
            # bill of the same payer (e.g. a March run) would take it and leave this one outstanding
            " AND NOT EXISTS (SELECT 1 FROM funding_bill o WHERE o.payer_id = b.payer_id AND o.id <> b.id"
            " AND o.amount > 0 AND NOT EXISTS (SELECT 1 FROM funding_payment q WHERE q.bill_id = o.id))"
            " ORDER BY b.month DESC LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo city has no unpaid BPU bill"
    return str(row[0]), int(row[1])


def test_a_payment_queues_a_refresh_that_a_worker_runs_within_seconds(city_env: dict[str, str], tmp_path: Path) -> None:
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", tmp_path / "jangkau.db")
    env = {
        **city_env,
        "JANGKAU_VAR_DIR": str(tmp_path),  # its own database and queue file
        "JANGKAU_TASK_SCHEDULE": "report.refresh=0 0 1 1 *",  # no tick's refresh: only the payment's can run
    }
    db = tmp_path / "jangkau.db"
    run_cli("billing", "run", "--month", "2026-11", env=env)
    run_cli("report", "refresh", env=env)  # the billing run's marks are drained: what waits next is the payment's
    assert _refreshes(db) == []
    reference, amount = _unpaid_bpu_bill(db)
    worker = subprocess.Popen(
        [str(BIN / "jangkau"), "worker", "--workers", "1"],
        env=env,
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        paid = json.loads(run_cli("payments", "record", "--reference", reference, "--amount", str(amount), "--json",
                                  env=env).stdout)  # fmt: skip
        assert paid["outstanding"] == 0
        committed = time.monotonic()
        deadline = committed + 45
        while time.monotonic() < deadline:
            runs = _refreshes(db)
            if runs and runs[0]["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(30)
    runs = _refreshes(db)
    assert len(runs) == 1, f"expected one refresh queued by the payment: {[dict(r) for r in runs]}"
    assert (runs[0]["status"], runs[0]["error"]) == ("done", None)
    result = json.loads(runs[0]["result"])
    assert result.get("villages", 0) >= 1, result  # the payment's village and month were recomputed
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM coverage_change").fetchone()[0] == 0  # nothing left waiting
