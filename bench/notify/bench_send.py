"""Queue and send a month's reminders against the local fake SMS gateway, with one worker.

Seeds a fresh migrated SQLite database with N workers who pay for themselves and agreed to SMS (bulk inserts, not
timed), then, in the same run:

- ``baseline_raw_posts``: the same N SMS requests posted from one httpx client to the same fake gateway, no
  bookkeeping (what the network and the fake cost alone);
- ``queue``: N reminders asked for through ``notify.service.request`` (template render, consent, natural key,
  quiet hours), committed in chunks of 1,000 (what the daily reminders job does);
- ``send``: the dispatcher hands them to ``notify.send`` tasks (batches of ``JANGKAU_NOTIFY_BATCH_SIZE``) that
  one huey consumer with one worker thread runs (SqliteHuey, as ``make run``): each message marked ``sending``,
  posted, marked ``sent`` with the gateway's id, each in its own short transaction.

One JSON line per figure on stdout (time, messages per second, peak memory of the process).

    PYTHONPATH=src .venv/bin/python bench/notify/bench_send.py --messages 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the fake gateway lives with the tests

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--messages", type=int, default=100_000)
parser.add_argument("--batch", type=int, default=200)
args = parser.parse_args()
scratch = Path(tempfile.mkdtemp(prefix="jangkau-bench-notify-"))
os.environ.update(
    {
        "JANGKAU_VAR_DIR": str(scratch),
        "JANGKAU_DATABASE_URL": "",
        "JANGKAU_QUEUE_URL": "",
        "JANGKAU_NOTIFY_RATE_SMS": "1000000/second",  # measure our cost, not the limit
        "JANGKAU_NOTIFY_BATCH_SIZE": str(args.batch),
    }
)

import httpx  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from tests.notify_fakes import FakeGateway  # noqa: E402

from jangkau.db.base import utcnow  # noqa: E402
from jangkau.db.engine import make_engine  # noqa: E402
from jangkau.db.migrate import upgrade  # noqa: E402
from jangkau.db.session import unit  # noqa: E402
from jangkau.notify import clock, service, tasks  # noqa: E402
from jangkau.notify.models import Consent, Message  # noqa: E402
from jangkau.notify.templates import Use  # noqa: E402
from jangkau.regions.service import load_region_tree  # noqa: E402
from jangkau.regions.source import RegionDataset, load_dataset  # noqa: E402
from jangkau.registry.models import Person  # noqa: E402
from jangkau.tasks.queue import huey  # noqa: E402

VILLAGE = "12.71.01.1001"
DAYTIME = dt.datetime(2026, 11, 8, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def emit(case: str, seconds: float, **extra: Any) -> None:
    line = {"bench": "notify", "case": case, "messages": args.messages, "seconds": round(seconds, 2),
            "per_second": round(args.messages / seconds, 1), "peak_rss_mb": peak_mb(), **extra}  # fmt: skip
    print(json.dumps(line), flush=True)


def seed() -> list[tuple[int, str]]:
    engine = make_engine()
    upgrade(engine)
    full = load_dataset()
    keep = {"12", "12.71", "12.71.01", VILLAGE}
    dataset = RegionDataset(full.source, full.version, full.decree, [r for r in full.records if r.code in keep])
    now = utcnow()
    with unit() as session:
        load_region_tree(session, dataset)
        rows = [
            {"nik": f"1271011508{n:06d}", "full_name": f"Pekerja {n}", "birth_date": dt.date(1990, 1, 1), "sex": "L",
             "village_code": VILLAGE, "phone": f"0812{n:08d}", "registered_by_kind": "user", "created_at": now,
             "updated_at": now}
            for n in range(args.messages)
        ]  # fmt: skip
        session.execute(insert(Person), rows)
        people = [(pid, phone) for pid, phone in session.execute(select(Person.id, Person.phone)) if phone]
        session.execute(
            insert(Consent),
            [{"person_id": pid, "channel": "sms", "address": f"+62{phone[1:]}", "language": "id", "granted": True,
              "given_at": now, "given_via": "enrolment_form"} for pid, phone in people],
        )  # fmt: skip
    engine.dispose()
    return people


def baseline(gateway: FakeGateway, people: list[tuple[int, str]]) -> None:
    client = httpx.Client(timeout=10)
    url, headers = gateway.url + "/messages", {"Authorization": "Bearer test-token"}
    started = time.perf_counter()
    for n, (_pid, phone) in enumerate(people):
        text = f"Yth. Pekerja {n}, iuran BPJS Ketenagakerjaan November 2026 sebesar Rp36.800 jatuh tempo 16 November."
        answer = client.post(url, json={"from": "BPJSTK", "to": f"+62{phone[1:]}", "text": text, "reference": str(n)},
                             headers=headers)  # fmt: skip
        answer.raise_for_status()
    emit("baseline_raw_posts", time.perf_counter() - started)


def queue(people: list[tuple[int, str]]) -> None:
    started = time.perf_counter()
    for start in range(0, len(people), 1000):
        with unit() as session:
            for pid, phone in people[start : start + 1000]:
                values = {"nama": f"Pekerja {pid}", "periode": "November 2026", "jumlah": "Rp36.800",
                          "jatuh_tempo": "16 November 2026", "kode": f"BPU-202611-{pid}"}  # fmt: skip
                recipient = service.person(pid, VILLAGE, phone)
                service.request(session, recipient, Use.CONTRIBUTION_DUE_7, f"bill:{pid}", values, now=DAYTIME)
    emit("queue", time.perf_counter() - started)


def send() -> None:
    huey.flush()
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    started = time.perf_counter()
    with clock.frozen_at(DAYTIME):
        consumer.start()
        tasks.dispatch_now(unit_of_work_factory())
        while True:
            with unit() as session:
                left = session.scalar(select(func.count()).where(Message.status != "sent"))
            if not left:
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        consumer.stop(graceful=True)
    emit("send_one_worker", seconds, batch=args.batch)


def unit_of_work_factory() -> Any:
    return unit


def main() -> None:
    started = time.perf_counter()
    people = seed()
    print(json.dumps({"bench": "notify", "case": "seed", "people": len(people),
                      "seconds": round(time.perf_counter() - started, 1)}), flush=True)  # fmt: skip
    with FakeGateway("sms", keep=False) as gateway:
        os.environ.update(gateway.env())
        from jangkau.config import get_settings
        from jangkau.notify.channels import registry

        get_settings.cache_clear()
        registry.reset()
        baseline(gateway, people)
        accepted_before = gateway.count
        queue(people)
        send()
        sent = gateway.count - accepted_before
    assert sent == args.messages, f"the gateway accepted {sent} of {args.messages}: none twice, none lost"
    print(json.dumps({"bench": "notify", "case": "check", "gateway_accepted": sent}), flush=True)


if __name__ == "__main__":
    main()
