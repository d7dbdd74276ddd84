"""Queue throughput for small tasks (the reminder case: target 1,000 handled per minute by one worker).

Seeds nothing but a fresh migrated SQLite database and a queue (default: ``SqliteHuey`` on a file beside it, as
``make run``; ``--queue-url redis://127.0.0.1:6379/15`` for Redis). Then, in the same run:

- baseline: the small body called N times in a loop (no queue, no task record);
- ``huey_only``: N bare huey tasks through the queue, one consumer with one worker thread;
- ``tracked``: N tracked tasks (each writes its task record: claim, finish) through the same consumer.

One JSON line per figure on stdout.

    .venv/bin/python bench/tasks/bench_queue.py --tasks 2000
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--tasks", type=int, default=2000)
parser.add_argument("--queue-url", default="")
args = parser.parse_args()
scratch = Path(tempfile.mkdtemp(prefix="jangkau-bench-queue-"))
os.environ["JANGKAU_VAR_DIR"] = str(scratch)
os.environ["JANGKAU_DATABASE_URL"] = ""
os.environ["JANGKAU_QUEUE_URL"] = args.queue_url

from sqlalchemy import func, select  # noqa: E402

from jangkau.db.engine import make_engine  # noqa: E402
from jangkau.db.migrate import upgrade  # noqa: E402
from jangkau.db.session import unit  # noqa: E402
from jangkau.tasks.models import TaskRecord  # noqa: E402
from jangkau.tasks.queue import huey  # noqa: E402
from jangkau.tasks.record import TaskContext, enqueue, tracked  # noqa: E402

DONE = threading.Semaphore(0)


def small(n: int) -> dict[str, Any]:
    """The work of one reminder without the gateway: format a message."""
    return {"text": f"Yth. peserta {n}: iuran BPJS Ketenagakerjaan jatuh tempo tanggal 15."}


@huey.task(name="bench.bare")  # type: ignore[misc]
def bare(n: int) -> None:
    small(n)
    DONE.release()


@tracked("bench.tracked")
def tracked_small(ctx: TaskContext, n: int) -> dict[str, Any]:  # noqa: ARG001
    out = small(n)
    DONE.release()
    return out


def _consume(count: int, label: str) -> None:
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    started = time.perf_counter()
    for _ in range(count):
        DONE.acquire(timeout=600)
    seconds = time.perf_counter() - started
    consumer.stop(graceful=True)
    print(json.dumps({"bench": "queue", "case": label, "tasks": count, "seconds": round(seconds, 2),
                      "per_minute": round(60 * count / seconds)}))  # fmt: skip


def main() -> None:
    upgrade(make_engine())
    started = time.perf_counter()
    for n in range(args.tasks):
        small(n)
    seconds = time.perf_counter() - started
    print(json.dumps({"bench": "queue", "case": "baseline_loop", "tasks": args.tasks, "seconds": round(seconds, 4)}))

    huey.flush()
    for n in range(args.tasks):
        bare(n)
    _consume(args.tasks, "huey_only")

    started = time.perf_counter()
    for n in range(args.tasks):
        enqueue(tracked_small, "bench", n=n)
    enqueue_seconds = time.perf_counter() - started
    print(json.dumps({"bench": "queue", "case": "tracked_enqueue", "tasks": args.tasks,
                      "per_minute": round(60 * args.tasks / enqueue_seconds)}))  # fmt: skip
    _consume(args.tasks, "tracked")
    with unit() as session:
        done = session.scalar(select(func.count()).where(TaskRecord.status == "done"))
    assert done == args.tasks, f"{done} of {args.tasks} tracked tasks done"


if __name__ == "__main__":
    main()
