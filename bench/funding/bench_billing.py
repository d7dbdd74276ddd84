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
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import adbc_driver_postgresql.dbapi as adbc
import duckdb
import pyarrow as pa
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.funding.jobs import prepare_payers, run_billing
from jangkau.funding.models import Bill, BillLine, Payer
from jangkau.funding.rules.tariffs import bpu_monthly_amount, pu_rates
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
    load_regions(engine)
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


PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def fresh_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def seed_pg(engine_url: str, members: int) -> dict[str, float]:
    """The same rows as ``seed``, set-based inside PostgreSQL (generate_series), foreign-key triggers off."""
    fresh_pg_database(engine_url)
    engine = make_engine(engine_url)
    upgrade(engine)
    load_regions(engine)
    employers = max(1, members // 80)
    incomes = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(INCOMES))
    seconds: dict[str, float] = {}
    statements = {
        "employer": f"""
            INSERT INTO employer (id, registration_number, name, business_sector, size_class, jkk_risk_group,
                                  village_code, registered_by_kind)
            SELECT i, 'NPP' || i, 'PT Bench ' || i, 'industri', 'small', 1 + i % 5, '{VILLAGE}', 'demo'
            FROM generate_series(1, {employers}) i""",
        "person": f"""
            INSERT INTO person (id, nik, full_name, birth_date, sex, village_code, phone, is_vulnerable,
                                registered_by_kind)
            SELECT i, '9' || lpad(i::text, 15, '0'), 'Pekerja ' || i, DATE '1985-01-01', 'L', '{VILLAGE}',
                   '0812' || lpad(i::text, 8, '0'), i % 3 = 0, 'demo'
            FROM generate_series(1, {members}) i""",
        "membership": f"""
            INSERT INTO membership (id, person_id, segment, employer_id, programs, wage, declared_income,
                                    start_date, status, registered_by_kind)
            SELECT i, i,
                   CASE WHEN i % 2 = 1 THEN 'pu' ELSE 'bpu' END,
                   CASE WHEN i % 2 = 1 THEN 1 + (i / 2) % {employers} END,
                   CASE WHEN i % 2 = 1 THEN 'jkk,jkm,jht,jp' WHEN i % 4 = 0 THEN 'jkk,jkm,jht' ELSE 'jkk,jkm' END,
                   CASE WHEN i % 2 = 1 THEN 3000000 + (i::bigint * 7919) % 12000000 END,
                   CASE WHEN i % 2 = 0 THEN CASE (i / 2) % 8 {incomes} END END,
                   DATE '2025-01-01', 'active', 'demo'
            FROM generate_series(1, {members}) i""",
    }
    for table, statement in statements.items():
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # seeding: references are valid
            conn.execute(text(statement))
        seconds[table] = round(time.perf_counter() - start, 1)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for sequence_table in ("employer", "person", "membership"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{sequence_table}', 'id'), {members + 1})"))
        start = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
        seconds["vacuum_analyze"] = round(time.perf_counter() - start, 1)
    engine.dispose()
    return seconds


def load_regions(engine: Engine) -> None:
    full = load_dataset()
    dataset = RegionDataset(
        full.source,
        full.version,
        full.decree,
        [r for r in full.records if r.code.startswith("12.71") or r.code.count(".") == 0 or r.code == "12"],
    )
    with unit_of_work(sessionmaker(bind=engine)) as session:
        load_region_tree(session, dataset)


STATEMENT_SECONDS: dict[str, list[float]] = {}


def profile_statements(engine: Engine) -> None:
    """Sum the time of every statement by its first words (where the billing run's time goes, per statement)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, _statement: str, _params: Any, _context: Any, _many: bool) -> None:
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        words = " ".join(statement.split())
        if words.startswith("WITH"):  # name the statement by what it writes, not by its first CTE
            words = words[words.find(" INSERT INTO ") + 1 :] if " INSERT INTO " in words else words
        key = " ".join(words.split()[:4])
        STATEMENT_SECONDS.setdefault(key, []).append(time.perf_counter() - conn.info["bench_started"])


def ours(engine_url: str, profile: bool = False) -> tuple[float, int, int]:
    engine = make_engine(engine_url)
    if profile:
        profile_statements(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    start = time.perf_counter()
    result = run_billing(lambda: unit_of_work(factory), MONTH)
    seconds = time.perf_counter() - start
    total = sum(v["amount"] for v in result.totals.values())
    engine.dispose()
    return seconds, result.lines_created, total


def payers_first(engine_url: str) -> tuple[float, int]:
    """The set-based pre-step: every employer's and BPU member's payer, created before the run (the baseline
    creates none, so the bench reports this time apart and the ratio with and without it)."""
    engine = make_engine(engine_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    start = time.perf_counter()
    with unit_of_work(factory) as session:
        prepare_payers(session)
    seconds = time.perf_counter() - start
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM funding_payer")).scalar_one())
    engine.dispose()
    return seconds, count


def naive(engine_url: str, sample: int) -> float:
    """Per member: load it, its employer and payer, ask the rules engine, add a bill and a line (rolled back)."""
    engine = make_engine(engine_url)
    with Session(engine) as session:
        session.execute(text("DELETE FROM funding_bill_line WHERE false"))  # open the transaction
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


def duck_lines_sql() -> str:
    """The bill lines of the month from the rows in ``m``, in DuckDB: payer key, membership, person, amount."""
    rates, cap = pu_rates(MONTH)
    rate_rows = ", ".join(
        f"({r.risk_group}, '{r.program}', {r.employer_bp100}, {r.worker_bp100}, {int(r.capped)})" for r in rates
    )
    tariffs = ", ".join(
        f"({i}, '{p}', {bpu_monthly_amount(i, p, MONTH)})" for i in set(INCOMES) for p in ("jkk,jkm", "jkk,jkm,jht")
    )
    return f"""
        WITH r(risk_group, program, e, w, capped) AS (VALUES {rate_rows}),
             t(income, programs, amount) AS (VALUES {tariffs})
        SELECT 'pu' AS kind, m.employer_id AS payer, m.id AS membership_id, m.person_id,
               SUM((b * e + 500000) // 1000000 + (b * w + 500000) // 1000000)::BIGINT AS amount
        FROM (SELECT * FROM m WHERE segment = 'pu') m
        JOIN r ON r.risk_group = m.risk_group AND (',' || m.programs || ',') LIKE ('%,' || r.program || ',%')
        CROSS JOIN LATERAL (SELECT CASE WHEN capped = 1 AND wage > {cap} THEN {cap} ELSE wage END AS b)
        GROUP BY m.employer_id, m.id, m.person_id
        UNION ALL
        SELECT 'bpu', m.person_id, m.id, m.person_id, t.amount::BIGINT FROM m
        JOIN t ON t.income = m.income AND t.programs = m.programs
        WHERE m.segment = 'bpu'"""


def duck_copy_pg(engine_url: str) -> dict[str, Any]:
    """Baseline on PostgreSQL: read the members with ADBC (binary COPY into Arrow), compute the same bill lines
    and bills in DuckDB, write both with COPY (ADBC bulk ingest) into unindexed tables of the same shape."""
    uri = engine_url.replace("postgresql+psycopg://", "postgresql://")
    figures: dict[str, Any] = {}
    start = time.perf_counter()
    ddb = duckdb.connect()
    ddb.execute("SET threads = 2")
    with adbc.connect(uri) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.person_id, m.segment, m.employer_id, e.jkk_risk_group AS risk_group, m.wage, "
            "m.declared_income AS income, m.programs FROM membership m LEFT JOIN employer e ON e.id = m.employer_id"
        )
        ddb.register("source", cursor.fetch_record_batch())
        ddb.execute("CREATE TABLE m AS SELECT * FROM source")
        ddb.unregister("source")
        conn.rollback()
    figures["read_seconds"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    first = MONTH.first_day()
    ddb.execute(f"CREATE TABLE line AS {duck_lines_sql()}")
    ddb.execute(
        "CREATE TABLE bill AS SELECT row_number() OVER (ORDER BY kind, payer) AS id, kind, payer, "
        "SUM(amount)::BIGINT AS amount FROM line GROUP BY kind, payer"
    )
    month_tag = f"{MONTH.year:04d}{MONTH.month:02d}"
    due = {k: due_date(Segment(k), MONTH).due_on for k in ("pu", "bpu")}
    bills = ddb.sql(f"""
        SELECT id, upper(kind) || '-{month_tag}-' || payer AS reference, payer AS payer_id, DATE '{first}' AS month,
               kind, 0::SMALLINT AS seq, CASE kind WHEN 'pu' THEN DATE '{due["pu"]}' ELSE DATE '{due["bpu"]}' END
               AS due_on, amount, NULL::BIGINT AS corrects_bill_id, NULL::VARCHAR AS note, 'bench' AS batch,
               now() AS created_at
        FROM bill""").to_arrow_table()
    lines = ddb.sql(f"""
        SELECT row_number() OVER () AS id, b.id AS bill_id, l.membership_id, l.person_id, DATE '{first}' AS month,
               l.amount
        FROM line l JOIN bill b USING (kind, payer)""").to_arrow_table()
    figures["compute_seconds"] = round(time.perf_counter() - start, 2)
    total = int(ddb.execute("SELECT SUM(amount) FROM line").fetchone()[0])  # type: ignore[index]
    start = time.perf_counter()
    with adbc.connect(uri) as conn, conn.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bill_line, bench_bill")
        cursor.execute("CREATE TABLE bench_bill (LIKE funding_bill)")  # no index, no constraint but NOT NULL
        cursor.execute("CREATE TABLE bench_bill_line (LIKE funding_bill_line)")
        cursor.adbc_ingest("bench_bill", bills, mode="append")
        figures["write_bills_seconds"] = round(time.perf_counter() - start, 2)
        cursor.adbc_ingest("bench_bill_line", lines, mode="append")
        conn.commit()
    figures["write_seconds"] = round(time.perf_counter() - start, 2)
    figures["keyed_write_seconds"] = keyed_write(uri, bills, lines)
    figures["lines"] = lines.num_rows
    figures["bills"] = bills.num_rows
    figures["total"] = total
    figures["seconds"] = round(figures["read_seconds"] + figures["compute_seconds"] + figures["write_seconds"], 2)
    ddb.close()
    return figures


KEYED_VARIANTS = {
    # only the primary keys and the two idempotency guards (one bill per payer, month, kind and seq; one line per
    # membership and month): what the billing run may not drop
    "guards": (
        "CREATE TABLE bench_kbill (LIKE funding_bill, PRIMARY KEY (id), UNIQUE (payer_id, month, kind, seq))",
        "CREATE TABLE bench_kbill_line (LIKE funding_bill_line, PRIMARY KEY (id), UNIQUE (membership_id, month))",
    ),
    # every index and unique key of the real tables (reference, month and kind, batch, the line's bill and person)
    "indexes": (
        "CREATE TABLE bench_kbill (LIKE funding_bill INCLUDING INDEXES INCLUDING CONSTRAINTS)",
        "CREATE TABLE bench_kbill_line (LIKE funding_bill_line INCLUDING INDEXES INCLUDING CONSTRAINTS)",
    ),
    # and the line's foreign keys to its bill and its membership
    "keys": (
        "CREATE TABLE bench_kbill (LIKE funding_bill INCLUDING INDEXES INCLUDING CONSTRAINTS)",
        "CREATE TABLE bench_kbill_line (LIKE funding_bill_line INCLUDING INDEXES INCLUDING CONSTRAINTS, "
        "FOREIGN KEY (bill_id) REFERENCES bench_kbill (id), FOREIGN KEY (membership_id) REFERENCES membership (id))",
    ),
}


def keyed_write(uri: str, bills: Any, lines: Any) -> dict[str, float]:
    """The same COPY into tables that keep more of what the billing run must keep (``KEYED_VARIANTS``), one
    variant after the other. Not the bill's key to its payer: the baseline's payer is the employer or person, not
    a ``funding_payer`` row. The last variant is the floor of any implementation that keeps those guarantees."""
    seconds: dict[str, float] = {}
    for name, ddl in KEYED_VARIANTS.items():
        start = time.perf_counter()
        with adbc.connect(uri) as conn, conn.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_kbill_line, bench_kbill")
            for statement in ddl:
                cursor.execute(statement)
            cursor.adbc_ingest("bench_kbill", bills, mode="append")
            cursor.adbc_ingest("bench_kbill_line", lines, mode="append")
            conn.commit()
            seconds[name] = round(time.perf_counter() - start, 2)
            cursor.execute("DROP TABLE bench_kbill_line, bench_kbill")
            conn.commit()
    return seconds


def main_pg(url: str, n: int, naive_sample: int, rerun: bool, payers_apart: bool) -> None:
    start = time.perf_counter()
    seeded = seed_pg(url, n)
    emit("seed_seconds", round(time.perf_counter() - start, 1), members=n, db="postgresql", phases=seeded,
         load=load_average())  # fmt: skip
    base = duck_copy_pg(url)
    emit("baseline_duckdb_copy_seconds", base.pop("seconds"), member_months=n, db="postgresql", **base,
         load=load_average())  # fmt: skip
    payer_seconds = 0.0
    if payers_apart:
        payer_seconds, payers = payers_first(url)
        emit("payers_first_seconds", round(payer_seconds, 2), payers=payers, member_months=n, db="postgresql",
             load=load_average())  # fmt: skip
    seconds, lines, total = ours(url, profile=True)
    emit("ours_billing_seconds", round(seconds, 2), member_months=n, lines=lines, total=total, db="postgresql",
         totals_match=total == base["total"], payers_created_in_run=not payers_apart,
         load=load_average())  # fmt: skip
    top = sorted(STATEMENT_SECONDS.items(), key=lambda kv: -sum(kv[1]))[:8]
    emit("ours_statement_seconds", {k: [len(v), round(sum(v), 2)] for k, v in top}, member_months=n)
    STATEMENT_SECONDS.clear()
    baseline_seconds = base["read_seconds"] + base["compute_seconds"] + base["write_seconds"]
    emit("ratio_ours_over_baseline", round(seconds / baseline_seconds, 2), member_months=n, target=3,
         payers_created_in_run=not payers_apart)  # fmt: skip
    for variant, write in base["keyed_write_seconds"].items():
        with_keys = baseline_seconds - base["write_seconds"] + write
        emit("ratio_keyed_baseline_over_baseline", round(with_keys / baseline_seconds, 2), member_months=n,
             variant=variant, keyed_baseline_seconds=round(with_keys, 2))  # fmt: skip
    keyed_seconds = baseline_seconds - base["write_seconds"] + base["keyed_write_seconds"]["keys"]
    emit("ratio_ours_over_keyed_baseline", round(seconds / keyed_seconds, 2), member_months=n,
         payers_created_in_run=not payers_apart)  # fmt: skip
    if payers_apart:  # the fair figure: the baseline creates no payers, so count ours' payer step in
        emit("ratio_ours_with_payers_over_baseline", round((payer_seconds + seconds) / baseline_seconds, 2),
             member_months=n, target=3)  # fmt: skip
    if rerun:
        again, lines_again, _ = ours(url)
        emit("rerun_billing_seconds", round(again, 2), lines_created=lines_again, member_months=n, db="postgresql",
             load=load_average())  # fmt: skip
        assert lines_again == 0, f"a rerun billed {lines_again} lines twice"
    if naive_sample:
        naive_seconds = naive(url, naive_sample)
        emit("naive_orm_seconds_extrapolated", round(naive_seconds / naive_sample * n, 1), member_months=n,
             sample=naive_sample, sample_seconds=round(naive_seconds, 2), db="postgresql")  # fmt: skip


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=3000)
    parser.add_argument("--db-url", help="PostgreSQL: a database URL to create afresh (e.g. .../jangkau_h_scale_1m)")
    parser.add_argument("--rerun", action="store_true", help="PostgreSQL: bill the month again; must add nothing")
    parser.add_argument(
        "--payers-first",
        action="store_true",
        help="PostgreSQL: create the payers in a timed pre-step (as at registration), not inside the billing run",
    )
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database afterwards")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.db_url:
        main_pg(args.db_url, args.members, args.naive_sample, args.rerun, args.payers_first)
        if not args.keep:
            name = args.db_url.rsplit("/", 1)[1]
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return
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
