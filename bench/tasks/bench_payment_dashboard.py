"""Payment to dashboard at national scale: the time from a payment being recorded to the coverage summary the
dashboard reads showing it, through a real worker (`jangkau worker`): the payment's commit queues a
``report.refresh`` at once (``db.outbox`` soon marks), and the minute tick's refresh drains anything left.

Runs on a seeded PostgreSQL register: by default the 10M database of ``bench/reporting/bench_reporting.py``
(seed it with ``--members 10000000 --seed-only`` and run that bench once, so the summaries exist). For each of
``--payments`` BPU memberships that have no paid month in the last month of the window, setup (not timed) gives
the worker a self payer, a bill and a bill line for that month; then, timed:

1. ``funding.service.record_payment`` in one unit of work, as ``jangkau payments record`` does (it marks the
   village and month changed in the outbox, ``soon``: the commit queues the refresh on the worker's queue);
2. poll (every 0.2 s) until a ``report.refresh`` run that started after the payment has finished; then say
   whether the village's row in ``report_rollup`` for that month shows one more active member.

One JSON line per payment (latency, the refresh run's own duration, the wait for the tick) and the median.
Baseline in the same run: the refresh called in the foreground right after a payment (no queue, no tick).

    flock /tmp/jangkau-bench.lock .venv/bin/python bench/tasks/bench_payment_dashboard.py \\
        --database jangkau_h_scale_reporting_10m --payments 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

# This process records the payments as `jangkau payments record` does, so it shares the worker's queue (the
# SqliteHuey file in SCRATCH): set before jangkau reads its settings and builds the queue.
PG = "postgresql://postgres@127.0.0.1:5432"
SCRATCH = Path(tempfile.mkdtemp(prefix="jangkau-bench-p2d-"))
parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--database", default="jangkau_bench_reporting_10000000")
parser.add_argument("--payments", type=int, default=3)
parser.add_argument("--timeout", type=float, default=300.0)
ARGS = parser.parse_args()
os.environ.update(
    {"JANGKAU_VAR_DIR": str(SCRATCH), "JANGKAU_QUEUE_URL": "", "JANGKAU_DATABASE_URL": f"{PG}/{ARGS.database}"}
)

from jangkau.db.engine import make_engine  # noqa: E402
from jangkau.db.uow import unit_of_work  # noqa: E402
from jangkau.funding.schemas import PaymentIn  # noqa: E402
from jangkau.funding.service import record_payment  # noqa: E402
from jangkau.kit.months import Month  # noqa: E402
from jangkau.reporting import jobs  # noqa: E402
from jangkau.reporting import tasks as reporting_tasks  # noqa: E402  (a payment's commit queues a refresh)

MONTH = Month(2026, 10)  # the last month of the reporting bench's window
AMOUNT = 16_800  # BPU JKK + JKM at the lowest income band


def emit(figure: str, value: object, **extra: object) -> None:
    line = json.dumps({"bench": "tasks.payment_to_dashboard", "figure": figure, "value": value, **extra})
    print(line, flush=True)
    out = Path(__file__).resolve().parents[1] / "out"
    out.mkdir(exist_ok=True)
    with (out / "tasks.jsonl").open("a") as handle:
        handle.write(line + "\n")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def prepare(engine: Engine, count: int, tag: str) -> list[dict[str, Any]]:
    """Pick ``count`` open BPU memberships without a paid month in MONTH (one per village) and bill them."""
    first = MONTH.first_day()
    picked: list[dict[str, Any]] = []
    with engine.begin() as conn:
        # the seeder copies ids in: move the id sequences past them before the application inserts
        for table in conn.execute(
            text(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND column_name = 'id' AND (is_identity = 'YES' OR column_default LIKE 'nextval%')"
            )
        ).scalars():
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            )
        rows = conn.execute(
            text("""
            SELECT DISTINCT ON (p.village_code) m.id, m.person_id, p.village_code
            FROM membership m JOIN person p ON p.id = m.person_id
            WHERE m.segment = 'bpu' AND m.status = 'active' AND m.end_date IS NULL AND m.start_date < :first
              AND m.id % 997 = :salt
              AND NOT EXISTS (SELECT 1 FROM funding_paid_month pm WHERE pm.membership_id = m.id AND pm.month = :first)
              AND NOT EXISTS (SELECT 1 FROM funding_bill_line l WHERE l.membership_id = m.id AND l.month = :first)
              AND NOT EXISTS (SELECT 1 FROM funding_payer y WHERE y.person_id = m.person_id)
            ORDER BY p.village_code LIMIT :n"""),
            {"first": first, "n": count, "salt": int(time.time()) % 997},
        ).all()
        for membership_id, person_id, village in rows:
            payer_id = conn.execute(
                text(
                    "INSERT INTO funding_payer (kind, name, person_id, region_code, created_at, updated_at) "
                    "VALUES ('self', 'Bench payer', :p, :v, now(), now()) RETURNING id"
                ),
                {"p": person_id, "v": village},
            ).scalar_one()
            reference = f"BENCH-{tag}-{membership_id}"
            bill_id = conn.execute(
                text(
                    "INSERT INTO funding_bill (reference, payer_id, month, kind, seq, due_on, amount, created_at) "
                    "VALUES (:r, :payer, :m, 'bpu', 0, :due, :a, now()) RETURNING id"
                ),
                {"r": reference, "payer": payer_id, "m": first, "due": MONTH.day(15), "a": AMOUNT},
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO funding_bill_line (bill_id, membership_id, person_id, month, amount) "
                    "VALUES (:b, :m, :p, :mo, :a)"
                ),
                {"b": bill_id, "m": membership_id, "p": person_id, "mo": first, "a": AMOUNT},
            )
            picked.append({"membership": membership_id, "village": village, "reference": reference})
    return picked


def active(engine: Engine, village: str) -> int:
    with engine.connect() as conn:
        value = conn.execute(
            text(
                "SELECT active FROM report_rollup WHERE region_code = :v AND month = :m AND dim = 'all' AND level = 4"
            ),
            {"v": village, "m": MONTH.first_day()},
        ).scalar()
    return int(value or 0)


def pay(engine: Engine, reference: str) -> float:
    """Record the payment; returns the wall-clock time (epoch seconds) of its commit."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as session:
        record_payment(session, PaymentIn(reference=reference, amount=AMOUNT, paid_on=MONTH.day(10)), "bench")
    return time.time()


def refresh_after(engine: Engine, since: float) -> tuple[float, float] | None:
    """(started, finished) epoch seconds of a finished refresh run that started after ``since``."""
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT extract(epoch FROM started_at), extract(epoch FROM finished_at) FROM report_run "
                "WHERE kind = 'refresh' AND finished_at IS NOT NULL AND started_at > to_timestamp(:s) "
                "ORDER BY started_at LIMIT 1"
            ),
            {"s": since},
        ).first()
    return None if row is None else (float(row[0]), float(row[1]))


def outbox_listeners() -> list[Any]:
    from jangkau.db import outbox

    return list(outbox._SOON_LISTENERS)


def start_worker(database: str, scratch: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JANGKAU_DATABASE_URL": f"{PG}/{database}", "JANGKAU_VAR_DIR": str(scratch),
           "JANGKAU_QUEUE_URL": ""}  # fmt: skip
    log = (scratch / "worker.log").open("wb")
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "jangkau"), "worker", "--workers", "1"], env=env, stdout=log, stderr=log
    )


def main() -> None:
    args = ARGS
    engine = make_engine(f"{PG}/{args.database}")
    tag = dt.datetime.now(dt.UTC).strftime("%H%M%S")
    picked = prepare(engine, args.payments + 1, tag)
    assert len(picked) == args.payments + 1, f"found {len(picked)} memberships to bill"
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    # baseline: pay, then refresh in the foreground at once (what the tick adds is the wait and the queue)
    base = picked.pop()
    before = active(engine, base["village"])
    paid_at = pay(engine, base["reference"])
    result = jobs.refresh(lambda: unit_of_work(factory), dt.date.today())
    seconds = time.time() - paid_at
    emit("foreground_refresh_seconds", round(seconds, 2), villages=result.villages if result else 0,
         shows_payment=active(engine, base["village"]) == before + 1, load=load_average())  # fmt: skip

    scratch = SCRATCH
    assert reporting_tasks.refresh_soon in outbox_listeners(), "the payment's refresh would not be queued"
    worker = start_worker(args.database, scratch)
    latencies = []
    try:
        time.sleep(5)  # the worker's start-up; its first tick comes at the next minute anyway
        for item in picked:
            before = active(engine, item["village"])
            paid_at = pay(engine, item["reference"])
            deadline = paid_at + args.timeout
            run = None
            while time.time() < deadline:
                run = refresh_after(engine, paid_at)
                if run is not None:
                    break
                time.sleep(0.2)
            seen = time.time()
            if run is None:
                emit("latency_seconds", None, error="no refresh within the timeout", load=load_average())
                continue
            latencies.append(seen - paid_at)
            emit("latency_seconds", round(seen - paid_at, 2), tick_wait=round(run[0] - paid_at, 2),
                 refresh_run=round(run[1] - run[0], 2), shows_payment=active(engine, item["village"]) == before + 1,
                 load=load_average())  # fmt: skip
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    if latencies:
        emit("latency_median_seconds", round(statistics.median(latencies), 2), payments=len(latencies), target=60)
    engine.dispose()


if __name__ == "__main__":
    main()
