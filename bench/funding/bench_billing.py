"""Billing-run benchmark: ours (set-based SQL, chunked, resumable) vs a naive per-member ORM loop vs raw DuckDB.

Seeds N memberships set-wise in a fresh SQLite database (recursive CTE, no demo seeder): half PU (40 workers per
employer, risk groups 1-5, wages Rp3M-15M, JKK+JKM+JHT+JP), half BPU (8 income bands, with and without JHT). One
billing month = N member-months. Prints one JSON line per figure; results also go to bench/out/funding.jsonl.

    .venv/bin/python bench/funding/bench_billing.py --members 1000000 [--naive-sample 3000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import time
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.funding.jobs import run_billing
from jangkau.funding.models import Bill, BillLine, Payer
from jangkau.funding.tariffs import bpu_monthly_amount, pu_rates
from jangkau.kit.months import Month
from jangkau.regions.service import load_region_tree
from jangkau.regions.source import RegionDataset, load_dataset
from jangkau.registry.models import Employer, Membership
from jangkau.rules import Segment, bpu_contribution, due_date, pu_contribution

OUT = Path(__file__).resolve().parents[1] / "out"
MONTH = Month(2026, 3)
VILLAGE = "12.71.01.1001"
INCOMES = (1_000_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000)


def emit(figure: str, value: object, **extra: object) -> None:
    line = json.dumps({"bench": "funding.billing", "figure": figure, "value": value, **extra})
    print(line, flush=True)
    with (OUT / "funding.jsonl").open("a") as out:
        out.write(line + "\n")


def seed(engine_url: str, members: int) -> None:
    engine = make_engine(engine_url)
    upgrade(engine)
    full = load_dataset()
    dataset = RegionDataset(
        full.source,
        full.version,
        full.decree,
        [r for r in full.records if r.code.startswith("12.71") or r.code.count(".") == 0 or r.code == "12"],
    )
    with unit_of_work(sessionmaker(bind=engine)) as session:
        load_region_tree(session, dataset)
    employers = max(1, members // 80)
    incomes = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(INCOMES))
    with engine.begin() as conn:
        conn.execute(text("PRAGMA synchronous=OFF"))
        conn.execute(
            text(f"""
            INSERT INTO employer (id, registration_number, name, business_sector, size_class, jkk_risk_group,
                                  village_code, registered_by_kind)
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {employers})
            SELECT i, 'NPP' || i, 'PT Bench ' || i, 'industri', 'small', 1 + i % 5, '{VILLAGE}', 'demo' FROM s""")
        )
        conn.execute(
            text(f"""
            INSERT INTO person (id, nik, full_name, birth_date, sex, village_code, phone, is_vulnerable,
                                registered_by_kind)
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {members})
            SELECT i, printf('9%015d', i), 'Pekerja ' || i, '1985-01-01', 'L', '{VILLAGE}', '0812' || printf('%08d', i),
                   i % 3 = 0, 'demo' FROM s""")
        )
        conn.execute(
            text(f"""
            INSERT INTO membership (id, person_id, segment, employer_id, programs, wage, declared_income, start_date,
                                    status, registered_by_kind)
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {members})
            SELECT i, i,
                   CASE WHEN i % 2 = 1 THEN 'pu' ELSE 'bpu' END,
                   CASE WHEN i % 2 = 1 THEN 1 + (i / 2) % {employers} END,
                   CASE WHEN i % 2 = 1 THEN 'jkk,jkm,jht,jp' WHEN i % 4 = 0 THEN 'jkk,jkm,jht' ELSE 'jkk,jkm' END,
                   CASE WHEN i % 2 = 1 THEN 3000000 + (i * 7919) % 12000000 END,
                   CASE WHEN i % 2 = 0 THEN CASE (i / 2) % 8 {incomes} END END,
                   '2025-01-01', 'active', 'demo' FROM s""")
        )
    engine.dispose()


def ours(engine_url: str) -> tuple[float, int, int]:
    engine = make_engine(engine_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    start = time.perf_counter()
    result = run_billing(lambda: unit_of_work(factory), MONTH)
    seconds = time.perf_counter() - start
    total = sum(v["amount"] for v in result.totals.values())
    engine.dispose()
    return seconds, result.lines_created, total


def naive(engine_url: str, sample: int) -> float:
    """Per member: load it, its employer and payer, ask the rules engine, add a bill and a line (rolled back)."""
    engine = make_engine(engine_url)
    with Session(engine) as session:
        session.execute(text("DELETE FROM funding_bill_line WHERE 0"))  # open the transaction
        ids = [i for (i,) in session.execute(text(f"SELECT id FROM membership ORDER BY id LIMIT {sample}"))]
        start = time.perf_counter()
        for membership_id in ids:
            m = session.get(Membership, membership_id)
            assert m is not None
            if m.segment == "pu":
                employer = session.get(Employer, m.employer_id)
                assert employer is not None
                amount = pu_contribution(m.wage or 0, employer.jkk_risk_group, MONTH, m.programs).total
                payer = session.query(Payer).filter(Payer.employer_id == employer.id).one()
                due = due_date(Segment.PU, MONTH).due_on
            else:
                amount = bpu_contribution(m.declared_income or 0, MONTH, m.programs).total
                payer = session.query(Payer).filter(Payer.person_id == m.person_id).one()
                due = due_date(Segment.BPU, MONTH).due_on
            kind, month = m.segment, dt.date(2030, 1, 1)  # another month, so nothing clashes with our run's bills
            bill = session.query(Bill).filter_by(payer_id=payer.id, month=month, kind=kind).one_or_none()
            if bill is None:
                bill = Bill(reference=f"N-{payer.id}-{kind}", payer_id=payer.id, month=month, kind=kind,
                            due_on=due, amount=0)  # fmt: skip
                session.add(bill)
                session.flush()
            session.add(
                BillLine(
                    bill_id=bill.id, membership_id=m.id, person_id=m.person_id, month=dt.date(2030, 1, 1), amount=amount
                )
            )
            session.flush()
        seconds = time.perf_counter() - start
        session.rollback()
    engine.dispose()
    return seconds


def duck(db_path: Path) -> tuple[float, float, int]:
    """The same arithmetic in DuckDB over the same rows (read from SQLite into Arrow first; that read is separate)."""
    start = time.perf_counter()
    con = sqlite3.connect(db_path)
    cur = con.execute(
        "SELECT m.id, m.segment, m.employer_id, e.jkk_risk_group, m.wage, m.declared_income, m.programs "
        "FROM membership m LEFT JOIN employer e ON e.id = m.employer_id"
    )
    names = ["id", "segment", "employer_id", "risk_group", "wage", "income", "programs"]
    batches = []
    while rows := cur.fetchmany(500_000):
        batches.append(pa.table(list(zip(*rows, strict=True)), names=names))
    table = pa.concat_tables(batches)
    read = time.perf_counter() - start
    rates, cap = pu_rates(MONTH)
    rate_rows = ", ".join(
        f"({r.risk_group}, '{r.program}', {r.employer_bp100}, {r.worker_bp100}, {int(r.capped)})" for r in rates
    )
    tariffs = ", ".join(
        f"({i}, '{p}', {bpu_monthly_amount(i, p, MONTH)})" for i in set(INCOMES) for p in ("jkk,jkm", "jkk,jkm,jht")
    )
    ddb = duckdb.connect()
    ddb.register("m", table)
    query = f"""
        WITH r(risk_group, program, e, w, capped) AS (VALUES {rate_rows}),
             t(income, programs, amount) AS (VALUES {tariffs}),
             pu AS (SELECT m.employer_id AS payer, SUM((b * e + 500000) // 1000000 + (b * w + 500000) // 1000000) AS a
                    FROM (SELECT *, wage AS wg FROM m WHERE segment = 'pu') m
                    JOIN r ON r.risk_group = m.risk_group
                     AND (',' || m.programs || ',') LIKE ('%,' || r.program || ',%')
                    CROSS JOIN LATERAL (SELECT CASE WHEN capped = 1 AND wg > {cap} THEN {cap} ELSE wg END AS b)
                    GROUP BY m.employer_id),
             bpu AS (SELECT m.id AS payer, t.amount AS a FROM m
                     JOIN t ON t.income = m.income AND t.programs = m.programs
                     WHERE m.segment = 'bpu')
        SELECT (SELECT SUM(a) FROM pu) + (SELECT SUM(a) FROM bpu)"""
    start = time.perf_counter()
    total = int(ddb.execute(query).fetchone()[0])  # type: ignore[index]
    return read, time.perf_counter() - start, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=3000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / f"funding_bench_{args.members}.db"
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    n = args.members
    start = time.perf_counter()
    seed(url, n)
    emit("seed_seconds", round(time.perf_counter() - start, 1), members=n)
    seconds, lines, total = ours(url)
    emit("ours_billing_seconds", round(seconds, 2), member_months=n, lines=lines, total=total)
    naive_seconds = naive(url, args.naive_sample)
    extrapolated = naive_seconds / args.naive_sample * n
    emit("naive_orm_seconds_extrapolated", round(extrapolated, 1), member_months=n, sample=args.naive_sample,
         sample_seconds=round(naive_seconds, 2))  # fmt: skip
    read, duck_seconds, duck_total = duck(db)
    emit("duckdb_arithmetic_seconds", round(duck_seconds, 3), member_months=n, sqlite_to_arrow_seconds=round(read, 1),
         totals_match=duck_total == total)  # fmt: skip
    emit("ratio_naive_over_ours", round(extrapolated / seconds, 1), member_months=n)
    emit("ratio_ours_over_duckdb", round(seconds / duck_seconds, 1), member_months=n)
    db.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
