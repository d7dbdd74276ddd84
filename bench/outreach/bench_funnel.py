"""Funnel benchmark: ours (one query with correlated paid-month look-ups, grouped in Python) vs a naive loop
(one query per registration for its paid months), on the same seeded SQLite database.

Seeds N BPU registrations by 50 community agents across the villages of Medan Kota: 70 % paid their first month,
40 % also paid the month three months later; plus N/2 visits. Prints one JSON line per figure; results also go to
bench/out/outreach.jsonl.

    .venv/bin/python bench/outreach/bench_funnel.py --members 100000 [--naive-sample 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.principal import OPERATOR
from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.funding.models import Bill, PaidMonth, Payer
from jangkau.kit.months import Month
from jangkau.outreach.campaigns.funnel import GroupBy, funnel
from jangkau.regions.service import load_region_tree
from jangkau.regions.source import RegionDataset, load_dataset
from jangkau.registry.models import Membership, Person

OUT = Path(__file__).resolve().parents[1] / "out"
FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def emit(figure: str, value: object, **extra: object) -> None:
    line = json.dumps({"bench": "outreach.funnel", "figure": figure, "value": value, **extra})
    print(line, flush=True)
    with (OUT / "outreach.jsonl").open("a") as out:
        out.write(line + "\n")


def seed(session: Session, members: int, rng: random.Random) -> None:
    full = load_dataset()
    records = [r for r in full.records if r.code.startswith("12.71") or r.code.count(".") == 0 or r.code == "12"]
    load_region_tree(session, RegionDataset(full.source, full.version, full.decree, records))
    villages = [r.code for r in records if r.code.count(".") == 3]
    now = dt.datetime.now(dt.UTC)
    people, memberships = [], []
    for i in range(1, members + 1):
        start = FIRST + dt.timedelta(days=rng.randrange(170))
        people.append(
            {
                "id": i,
                "nik": f"{1271000000000000 + i}",
                "full_name": f"P{i}",
                "sex": "L",
                "birth_date": dt.date(1990, 1, 1),
                "village_code": rng.choice(villages),
                "registered_by_kind": "demo",
                "is_vulnerable": False,
                "created_at": now,
                "updated_at": now,
            }
        )
        memberships.append(
            {
                "id": i,
                "person_id": i,
                "segment": "bpu",
                "programs": "jkk,jkm",
                "start_date": start,
                "status": "active",
                "declared_income": 1_000_000,
                "registered_by_kind": "agent",
                "registered_by_label": f"agen{i % 50}",
                "created_at": now,
                "updated_at": now,
            }
        )
    session.execute(insert(Person), people)
    session.execute(insert(Membership), memberships)
    session.execute(insert(Payer), [{"id": 1, "kind": "donor", "name": "bench", "created_at": now, "updated_at": now}])
    session.execute(
        insert(Bill),
        [
            {
                "id": 1,
                "reference": "B1",
                "payer_id": 1,
                "month": FIRST,
                "kind": "sponsor",
                "seq": 0,
                "due_on": FIRST,
                "amount": 1,
            }
        ],
    )
    paid = []
    for m in memberships:
        if rng.random() < 0.7:
            first = Month.of(m["start_date"])
            months = 4 if rng.random() < 0.57 else 1
            paid += [
                {"membership_id": m["id"], "month": first.plus(k).first_day(), "bill_id": 1, "paid_on": m["start_date"]}
                for k in range(months)
            ]
    for start in range(0, len(paid), 50_000):
        session.execute(insert(PaidMonth), paid[start : start + 50_000])


def naive(session: Session, sample: int) -> float:
    """Per registration: load its paid months and decide paid / active-after-3 in Python (seconds per row)."""
    rows = session.execute(select(Membership.id, Membership.start_date).limit(sample)).all()
    started = time.perf_counter()
    for membership_id, start in rows:
        months = session.scalars(select(PaidMonth.month).where(PaidMonth.membership_id == membership_id)).all()
        _ = Month.of(start).first_day() in months, Month.of(start).plus(3).first_day() in months
    return (time.perf_counter() - started) / max(1, len(rows))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"outreach_bench_{args.members}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    factory = sessionmaker(bind=engine)
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        seed(session, args.members, random.Random(7))
    emit("seed_seconds", round(time.perf_counter() - started, 2), members=args.members)
    with unit_of_work(factory) as session:
        started = time.perf_counter()
        result = funnel(session, OPERATOR, GroupBy.AGENT, FIRST, LAST)
        ours = time.perf_counter() - started
        per_row = naive(session, args.naive_sample)
    emit(
        "ours_funnel_by_agent_seconds",
        round(ours, 3),
        members=args.members,
        groups=len(result["rows"]),
        paid=result["total"]["paid"],
        active_3m=result["total"]["active_3m"],
    )
    emit(
        "naive_per_row_loop_seconds_extrapolated",
        round(per_row * args.members, 3),
        members=args.members,
        sample=args.naive_sample,
    )


if __name__ == "__main__":
    main()
