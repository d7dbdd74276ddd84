"""Reporting benchmark: rebuild the coverage summaries of a synthetic national register, against a raw DuckDB
group-by over the same rows, then time every dashboard level served by a live ``jangkau serve`` on PostgreSQL.

Seeds set-wise (DuckDB -> Parquet -> PostgreSQL COPY; not the demo seeder) N memberships over every village of
Indonesia (log-normal village sizes), ~1,000 employers, payers of each kind and paid months in the window. Then:

1. baseline: the summary query on the same rows already in DuckDB (Parquet loaded in memory), best of 2;
   also a plain village x segment x sex count over the members (the SCALE-NOTES §4.1 shape);
2. ours: ``jobs.rebuild`` end to end on PostgreSQL (extract with COPY, aggregate in DuckDB, load with COPY,
   country rollup), with its phases;
3. serving: p50/p95 of GET /reports/<code> (HTML) and /api/v1/reports/coverage/<code> (JSON) for the country,
   the biggest province, its biggest regency/city, district and village; loopback only, bounded request count.

Prints one JSON line per figure; also appended to bench/out/reporting.jsonl.

    .venv/bin/python bench/reporting/bench_reporting.py --members 10000000 --months 3 --requests 100
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import duckdb
import httpx
import pyarrow as pa
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.kit.months import Month
from jangkau.regions.service import load_region_tree
from jangkau.regions.source import load_dataset
from jangkau.reporting import jobs
from jangkau.reporting.repository import refresh_workforce
from jangkau.reporting.repository import summary as sql

OUT = Path(__file__).resolve().parents[1] / "out"
PG = "postgresql://postgres@127.0.0.1:5432"
LAST = Month(2026, 10)
PASSWORD = "bench-reporting-2026"
PAYERS = ("self", "employer", "apbd", "apbdes", "dana_desa", "csr_private", "donor", "wadah")


def emit(figure: str, value: object, **extra: object) -> None:
    line = json.dumps({"bench": "reporting", "figure": figure, "value": value, **extra})
    print(line, flush=True)
    OUT.mkdir(exist_ok=True)
    with (OUT / "reporting.jsonl").open("a") as out:
        out.write(line + "\n")


SEED = "0.42"  # setseed of the generator: same N, seed and window give the same rows


def fresh_database(name: str) -> Engine:
    admin = create_engine(f"{PG.replace('postgresql', 'postgresql+psycopg')}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_engine(f"{PG}/{name}")


def seeded_database(name: str, key: str, work: Path) -> Engine | None:
    """The database of an earlier run seeded with the same N, seed and window (and its Parquet files), or None."""
    admin = create_engine(f"{PG.replace('postgresql', 'postgresql+psycopg')}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    admin.dispose()
    parquet = all((work / f"{t}.parquet").exists() for t in ("person", "membership", "paid_month"))
    if not exists or not parquet:
        return None
    engine = make_engine(f"{PG}/{name}")
    with engine.connect() as conn:
        marker = conn.execute(text("SELECT to_regclass('bench_seed') IS NOT NULL")).scalar_one()
        found = conn.execute(text("SELECT key FROM bench_seed")).scalar() if marker else None
    if found != key:
        engine.dispose()
        return None
    return engine


def mark_seeded(engine: Engine, key: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_seed (key text NOT NULL)"))
        conn.execute(text("INSERT INTO bench_seed VALUES (:k)"), {"k": key})


def generate(con: duckdb.DuckDBPyConnection, villages: list[str], members: int, first: Month, work: Path) -> None:
    """Synthetic register as Parquet files, set-wise in DuckDB (seeded, so reruns give the same rows)."""
    con.execute(f"SELECT setseed({SEED})").fetchall()
    con.register("village_list", pa.table({"code": villages}))
    con.execute(
        "CREATE TABLE v AS SELECT code, exp(1.1 * sqrt(-2 * ln(random())) * cos(2 * pi() * random())) w "
        "FROM village_list"
    )
    con.execute(f"CREATE TABLE vn AS SELECT code, greatest(1, round(w * {members} / sum(w) OVER ()))::BIGINT n FROM v")
    con.execute("CREATE TABLE person AS SELECT row_number() OVER () AS id, code AS village_code FROM vn, range(vn.n)")
    con.execute(
        """
        CREATE TABLE m AS SELECT id, village_code,
          CASE WHEN r < 0.55 THEN 'pu' WHEN r < 0.90 THEN 'bpu' WHEN r < 0.97 THEN 'jakon' ELSE 'pmi' END AS segment,
          DATE '1960-01-01' + CAST(random() * 16000 AS INTEGER) AS birth_date,
          CASE WHEN random() < 0.6 THEN 'L' ELSE 'P' END AS sex,
          DATE '2015-01-01' + CAST(random() * 4300 AS INTEGER) AS start_date, random() AS e, random() AS p
        FROM (SELECT *, random() AS r FROM person)
        """
    )
    last_end = LAST.next().first_day()
    con.execute(f"""
        COPY (SELECT id, lpad(CAST(id AS VARCHAR), 16, '0') nik, 'Peserta ' || id full_name, birth_date, sex,
              village_code, false is_vulnerable, 'import' registered_by_kind FROM m)
        TO '{work}/person.parquet'""")
    con.execute(f"""
        COPY (SELECT id, id person_id, segment, CASE WHEN segment = 'pu' THEN 1 + id % 1000 END employer_id,
              'jkk,jkm' programs, start_date,
              CASE WHEN e < 0.2 THEN least(start_date + CAST(30 + e * 5000 AS INTEGER), DATE '{last_end}') END end_date,
              CASE WHEN e < 0.2 THEN 'ended' ELSE 'active' END status, 'import' registered_by_kind FROM m)
        TO '{work}/membership.parquet'""")
    months = ", ".join(f"DATE '{first.plus(i).first_day()}'" for i in range(LAST.minus(first) + 1))
    con.execute(f"""
        COPY (SELECT m.id membership_id, mo.month,
                     CASE WHEN m.segment = 'pu' THEN 2
                          WHEN m.p < 0.7 THEN 1 ELSE 3 + CAST(m.p * 100 AS INTEGER) % 6 END
                       * 1000 + month(mo.month) bill_id,
                     mo.month + 20 paid_on
              FROM m JOIN (SELECT unnest([{months}]) AS month) mo
                ON m.start_date < mo.month + INTERVAL 1 MONTH
               AND NOT (m.e < 0.2 AND m.start_date + CAST(30 + m.e * 5000 AS INTEGER) < mo.month)
              WHERE random() < CASE WHEN m.segment = 'pu' THEN 0.85 ELSE 0.45 END)
        TO '{work}/paid_month.parquet'""")


def copy_into(
    engine: Engine, con: duckdb.DuckDBPyConnection, table: str, query: str, columns: str, work: Path
) -> float:
    started = time.perf_counter()
    path = work / f"{table}.csv"  # in the tier's own folder: two seeds of different N may run at once
    con.execute(f"COPY ({query}) TO '{path}' (HEADER false)")
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        # seeding only: skip the per-row foreign-key triggers (the generator keeps every reference valid)
        cursor.execute("SET session_replication_role = replica")
        with path.open("rb") as source, cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            while block := source.read(1 << 20):
                copy.write(block)
        raw.commit()
    finally:
        raw.close()
    path.unlink()
    return time.perf_counter() - started


def load(engine: Engine, con: duckdb.DuckDBPyConnection, work: Path, first: Month, village: str) -> None:
    emp = (
        f"SELECT i, 'NPP-' || i, 'PT Bench ' || i, 'industri', 'small', 1, '{village}', 'import' "
        "FROM range(1, 1001) t(i)"
    )
    copy_into(
        engine,
        con,
        "employer",
        emp,
        "id, registration_number, name, business_sector, size_class, jkk_risk_group, village_code, registered_by_kind",
        work,
    )
    t = copy_into(
        engine,
        con,
        "person",
        f"SELECT * FROM '{work}/person.parquet'",
        "id, nik, full_name, birth_date, sex, village_code, is_vulnerable, registered_by_kind",
        work,
    )
    emit("load_person_seconds", round(t, 1))
    t = copy_into(
        engine,
        con,
        "membership",
        f"SELECT * FROM '{work}/membership.parquet'",
        "id, person_id, segment, employer_id, programs, start_date, end_date, status, registered_by_kind",
        work,
    )
    emit("load_membership_seconds", round(t, 1))
    payers = " UNION ALL ".join(
        f"SELECT {i + 1}, '{k}', 'Payer {k}', {1 if k == 'self' else 'NULL'}, {1 if k == 'employer' else 'NULL'}"
        for i, k in enumerate(PAYERS)
    )
    copy_into(engine, con, "funding_payer", payers, "id, kind, name, person_id, employer_id", work)
    months = [first.plus(i) for i in range(LAST.minus(first) + 1)]
    bills = " UNION ALL ".join(
        f"SELECT {p * 1000 + m.month}, 'B-{p}-{m}', {p}, DATE '{m.first_day()}', 'bpu', 0, DATE '{m.day(15)}', 1, now()"
        for p in range(1, len(PAYERS) + 1)
        for m in months
    )
    copy_into(
        engine,
        con,
        "funding_bill",
        bills,
        "id, reference, payer_id, month, kind, seq, due_on, amount, created_at",
        work,
    )
    t = copy_into(
        engine,
        con,
        "funding_paid_month",
        f"SELECT * FROM '{work}/paid_month.parquet'",
        "membership_id, month, bill_id, paid_on",
        work,
    )
    emit("load_paid_month_seconds", round(t, 1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text(
                "INSERT INTO report_workforce SELECT village_code, 2026, count(*) * 3, 'BENCH estimate', false, now(), "
                "'bench' FROM person GROUP BY village_code"
            )
        )
    with unit_of_work(sessionmaker(bind=engine)) as session:
        refresh_workforce(session, [LAST.year])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def baseline(con: duckdb.DuckDBPyConnection, work: Path, first: Month) -> None:
    """The same summary query on the same rows, already in DuckDB (no extract, no load): best of 2 warm runs."""
    con.execute(f"""CREATE OR REPLACE TABLE members AS SELECT m.id, p.village_code, m.segment, p.sex, p.birth_date,
        m.start_date, m.end_date, CASE WHEN m.segment = 'pu' THEN 'employer' ELSE 'self' END base_payer
        FROM '{work}/membership.parquet' m JOIN '{work}/person.parquet' p ON p.id = m.person_id""")
    payer_kind = " ".join(f"WHEN {i + 1} THEN '{k}'" for i, k in enumerate(PAYERS))
    con.execute(f"""CREATE OR REPLACE TABLE paid AS SELECT membership_id, month,
        CASE bill_id // 1000 {payer_kind} END kind FROM '{work}/paid_month.parquet'""")
    con.execute(
        "CREATE OR REPLACE TABLE first_paid AS SELECT membership_id, min(month) first_month FROM paid GROUP BY 1"
    )
    con.execute(
        "CREATE OR REPLACE TABLE sponsor (membership_id BIGINT, first_month DATE, last_month DATE, kind VARCHAR)"
    )
    times = []
    for _ in range(2):
        started = time.perf_counter()
        rows = sql.aggregate(con, sql.Window(first, LAST))
        times.append(time.perf_counter() - started)
    emit("baseline_duckdb_summary_groupby_seconds", round(min(times), 2), rows=rows)
    times = []
    for _ in range(2):
        started = time.perf_counter()
        con.execute("SELECT village_code, segment, sex, count(*) FROM members GROUP BY ALL").fetchall()
        times.append(time.perf_counter() - started)
    emit("baseline_duckdb_plain_village_groupby_seconds", round(min(times), 2))


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def extract_and_groupby(factory: sessionmaker[Session], first: Month, run: int, members: int) -> float:
    """Baseline of the issue: extract the same rows from PostgreSQL (the rebuild's own extract: ADBC binary COPY on
    two connections sharing one snapshot) and run the same group-by in DuckDB; nothing is written back."""
    window = sql.Window(first, LAST)
    con = jobs._duckdb()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jangkau-bench-") as tmp, unit_of_work(factory) as session:
        sql.extract(session, con, window, Path(tmp), jobs.EXTRACT_PARALLEL)
    extract_seconds = time.perf_counter() - started
    rows = sql.aggregate(con, window)
    seconds = time.perf_counter() - started
    con.close()
    emit("baseline_pg_extract_groupby_seconds", round(seconds, 2), extract=round(extract_seconds, 2),
         groupby=round(seconds - extract_seconds, 2), rows=rows, run=run, members=members,
         load=load_average())  # fmt: skip
    return seconds


def serve_and_time(database: str, engine: Engine, requests: int) -> None:
    with unit_of_work(sessionmaker(bind=engine)) as session:
        if session.execute(text("SELECT 1 FROM app_user WHERE username = 'bench'")).first() is None:
            create_user(session, NewUser("bench", "Bench", Role.ADMIN, PASSWORD, ("",)), OPERATOR)
        codes = pick_codes(session)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "JANGKAU_DATABASE_URL": f"{PG}/{database}"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jangkau"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "bench", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            for level, code in codes.items():
                for kind, path in (
                    ("page", f"/reports/{code}?month={LAST}"),
                    ("api", f"/api/v1/reports/coverage/{code}?month={LAST}"),
                ):
                    timings = time_requests(client, path, requests)
                    emit(
                        f"serve_{kind}_{level}_p95_ms",
                        round(timings[int(len(timings) * 0.95) - 1], 1),
                        p50_ms=round(statistics.median(timings), 1),
                        code=code,
                        requests=len(timings),
                    )
    finally:
        server.terminate()
        server.wait(timeout=20)


def pick_codes(session: Session) -> dict[str, str]:
    def biggest(level: int, prefix: str) -> str:
        row = session.execute(
            text(
                "SELECT region_code FROM report_rollup WHERE level = :lv AND dim = 'all' AND month = :m "
                "AND region_code LIKE :p ORDER BY registered DESC LIMIT 1"
            ),
            {"lv": level, "m": LAST.first_day(), "p": prefix + "%"},
        ).scalar_one()
        return str(row)

    province = biggest(1, "")
    regency = biggest(2, province + ".")
    district = biggest(3, regency + ".")
    return {
        "country": "ID",
        "province": province,
        "regency": regency,
        "district": district,
        "village": biggest(4, district + "."),
    }


def wait_for(base: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def time_requests(client: httpx.Client, path: str, count: int) -> list[float]:
    for _ in range(5):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return sorted(timings)


def timed_runs(args: argparse.Namespace, factory: sessionmaker[Session], first: Month) -> None:
    """``args.runs`` rebuilds, each with its baseline (a separate extract + group-by, or the rebuild's own phases)."""
    units: Callable[[], AbstractContextManager[Session]] = lambda: unit_of_work(factory)  # noqa: E731
    rebuilds: list[float] = []
    extracts: list[float] = []
    for run in range(1, args.runs + 1):
        if not args.phase_baseline:
            extracts.append(extract_and_groupby(factory, first, run, args.members))
        started = time.perf_counter()
        result = jobs.rebuild(units, first, LAST)
        total = time.perf_counter() - started
        rebuilds.append(total)
        if args.phase_baseline:  # the rebuild's own extract and group-by phases stand for the baseline
            extracts.append(result.seconds["extract"] + result.seconds["aggregate"])
        emit(
            "rebuild_seconds",
            round(total, 2),
            phases=result.seconds,
            source_rows=result.source_rows,
            summary_rows=result.summary_rows,
            rows_written=result.rows_written,
            months=args.months,
            run=run,
            members=args.members,
            load=load_average(),
        )
    if args.runs > 1:
        rebuild_median, baseline_median = statistics.median(rebuilds), statistics.median(extracts)
        emit("rebuild_median_seconds", round(rebuild_median, 2), runs=args.runs, members=args.members)
        emit("baseline_pg_extract_groupby_median_seconds", round(baseline_median, 2), runs=args.runs,
             members=args.members, from_rebuild_phases=args.phase_baseline)  # fmt: skip
        emit("ratio_rebuild_over_extract_groupby", round(rebuild_median / baseline_median, 2), target=2,
             members=args.members)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000_000)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", help="PostgreSQL database name (default jangkau_bench_reporting_<N>)")
    parser.add_argument("--runs", type=int, default=1, help="rebuilds (each after its own extract + group-by)")
    parser.add_argument(
        "--phase-baseline",
        action="store_true",
        help="take the rebuild's own extract + aggregate phases as the baseline instead of a separate run of them",
    )
    parser.add_argument(
        "--skip-memory-baseline", action="store_true", help="skip the group-by on rows already in DuckDB memory"
    )
    parser.add_argument("--fresh", action="store_true", help="seed again even if a seeded database exists")
    parser.add_argument("--seed-only", action="store_true", help="seed (or find the seeded database) and stop")
    parser.add_argument(
        "--serve-only", action="store_true", help="time the pages on the summaries an earlier run rebuilt, and stop"
    )
    args = parser.parse_args()
    first = LAST.plus(-(args.months - 1))
    database = args.database or f"jangkau_bench_reporting_{args.members}"
    work = OUT / "work" / f"reporting_{args.members}"
    work.mkdir(parents=True, exist_ok=True)
    key = f"members={args.members} seed={SEED} window={first}..{LAST}"
    reused = None if args.fresh else seeded_database(database, key, work)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    if args.serve_only:
        if reused is None:
            raise SystemExit(f"--serve-only needs a seeded and rebuilt {database}: run without it first")
        upgrade(reused)
        serve_and_time(database, reused, args.requests)
        return
    if reused is not None:
        engine = reused
        upgrade(engine)  # a migration added since the seed
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # the previous run's summaries and users go; the register stays
            conn.execute(text("TRUNCATE report_coverage, report_rollup, coverage_change, report_run"))
            conn.execute(text("DELETE FROM job_checkpoint WHERE job LIKE 'reporting.%'"))
        emit("seed_reused", True, key=key)
    else:
        engine = fresh_database(database)
        upgrade(engine)
        with unit_of_work(sessionmaker(bind=engine)) as session:
            load_region_tree(session)
            villages = [r.code for r in load_dataset().records if r.code.count(".") == 3]
        started = time.perf_counter()
        generate(con, villages, args.members, first, work)
        emit("generate_seconds", round(time.perf_counter() - started, 1), members=args.members, villages=len(villages))
        load(engine, con, work, first, villages[0])  # ends with VACUUM ANALYZE, as autovacuum leaves a live register
        mark_seeded(engine, key)
    if args.seed_only:
        return
    if not args.skip_memory_baseline:
        baseline(con, work, first)
    con.close()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    timed_runs(args, factory, first)
    if args.requests <= 0:
        engine.dispose()
        return
    # the rebuild leaves some GB of dirty pages for the server's checkpointer; pages timed while it writes them
    # out measure the disk, not the dashboard, so flush them first (and say how long that took)
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CHECKPOINT"))
    emit("checkpoint_after_rebuild_seconds", round(time.perf_counter() - started, 1))
    serve_and_time(database, engine, args.requests)
    engine.dispose()


if __name__ == "__main__":
    main()
