"""The SQL of the summary rebuild: extract from the app database, aggregate in DuckDB, load the summaries back.

Part of the reporting repository (kept apart because it is long). The register is read set-wise (PostgreSQL:
the whole country through the ADBC driver, binary ``COPY`` straight into Arrow, on parallel connections sharing one
snapshot; a set of villages, or the session's own transaction, ``COPY (SELECT ...) TO STDOUT`` into a CSV file that
DuckDB reads; SQLite: one fetch into Arrow), expanded to
membership-months and grouped in DuckDB (SCALE-NOTES §4.1: a group-by over 50M rows takes ~1 s there against
~14 s in PostgreSQL), and the summary rows go back with ``COPY ... FROM STDIN`` (PostgreSQL) or one bulk insert
(SQLite). No loop per member anywhere.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import adbc_driver_postgresql.dbapi as adbc
import duckdb
import pyarrow as pa
from sqlalchemy import Table, bindparam, insert, text
from sqlalchemy.orm import Session

from jangkau.kit.months import Month
from jangkau.reporting.models import CoverageSummary, Rollup
from jangkau.reporting.rules.bands import MEASURES, age_band_sql

COUNTRY = "ID"
FINE_COLUMNS = ("village_code", "month", "segment", "payer", "sex", "age_band", *MEASURES)
ROLLUP_COLUMNS = ("region_code", "month", "dim", "value", "level", "parent_code", *MEASURES, "rate_bp")
ROLLUP_DIMS = ("segment", "payer", "sex", "age_band")
# Dotted code lengths: province 2, regency 5, district 8, village 13.
CODE_LENGTH = {0: 0, 1: 2, 2: 5, 3: 8, 4: 13}

_SOURCES: dict[str, tuple[str, str]] = {
    # name: (SQL, DuckDB column types); {vf} is the village filter on person p.
    "members": (
        "SELECT m.id, p.village_code, m.segment, p.sex, p.birth_date, m.start_date, m.end_date, "
        "COALESCE(mpy.kind, CASE WHEN m.segment = 'pu' THEN 'employer' ELSE 'self' END) "
        "FROM membership m JOIN person p ON p.id = m.person_id "
        "LEFT JOIN funding_membership_payer mp ON mp.membership_id = m.id "
        "LEFT JOIN funding_payer mpy ON mpy.id = mp.payer_id "
        "WHERE m.start_date < :last_end AND (m.end_date IS NULL OR m.end_date >= :first) AND {vf}",
        "id BIGINT, village_code VARCHAR, segment VARCHAR, sex VARCHAR, birth_date DATE, start_date DATE, "
        "end_date DATE, base_payer VARCHAR",
    ),
    "sponsor": (
        "SELECT s.membership_id, s.first_month, s.last_month, py.kind FROM funding_sponsorship s "
        "JOIN funding_programme g ON g.id = s.programme_id JOIN funding_payer py ON py.id = g.payer_id "
        "JOIN person p ON p.id = s.person_id "
        "WHERE s.first_month < :last_end AND s.last_month >= :first AND {vf}",
        "membership_id BIGINT, first_month DATE, last_month DATE, kind VARCHAR",
    ),
    "paid": (
        "SELECT pm.membership_id, pm.month, py.kind FROM funding_paid_month pm "
        "JOIN funding_bill b ON b.id = pm.bill_id JOIN funding_payer py ON py.id = b.payer_id {join} "
        "WHERE pm.month >= :first AND pm.month < :last_end AND {vf}",
        "membership_id BIGINT, month DATE, kind VARCHAR",
    ),
    # memberships with a paid month before the window (with the paid months inside it, this is all "lapsed"
    # needs: an earlier month paid); no GROUP BY over the whole ledger
    "paid_before": (
        "SELECT DISTINCT pm.membership_id FROM funding_paid_month pm {join} WHERE pm.month < :first AND {vf}",
        "membership_id BIGINT",
    ),
    "workforce": (
        "SELECT region_code, year, workers FROM report_region_workforce WHERE length(region_code) = 13",
        "region_code VARCHAR, year INTEGER, workers BIGINT",
    ),
}
# The whole country on PostgreSQL: plain scans of each table (no join in PostgreSQL: a hash join of 8M memberships
# with 10M people cost 19 s there against ~7 s for the two scans), joined in DuckDB into the same ``members`` and
# ``paid`` tables the queries above give (same joins, same defaults).
_WHOLE_SOURCES: dict[str, tuple[str, str]] = {
    "person": (
        "SELECT id, village_code, sex, birth_date FROM person",
        "id BIGINT, village_code VARCHAR, sex VARCHAR, birth_date DATE",
    ),
    "membership": (
        "SELECT id, person_id, segment, start_date, end_date FROM membership "
        "WHERE start_date < :last_end AND (end_date IS NULL OR end_date >= :first)",
        "id BIGINT, person_id BIGINT, segment VARCHAR, start_date DATE, end_date DATE",
    ),
    "paid_bill": (
        "SELECT membership_id, month, bill_id FROM funding_paid_month WHERE month >= :first AND month < :last_end",
        "membership_id BIGINT, month DATE, bill_id BIGINT",
    ),
    "membership_payer": (
        "SELECT mp.membership_id, py.kind FROM funding_membership_payer mp "
        "JOIN funding_payer py ON py.id = mp.payer_id",
        "membership_id BIGINT, kind VARCHAR",
    ),
    "bill_payer": (
        "SELECT b.id, py.kind FROM funding_bill b JOIN funding_payer py ON py.id = b.payer_id",
        "id BIGINT, kind VARCHAR",
    ),
    "sponsor": _SOURCES["sponsor"],
    "paid_before": _SOURCES["paid_before"],
    "workforce": _SOURCES["workforce"],
}
_WHOLE_JOINS = (
    "CREATE OR REPLACE TABLE members AS SELECT m.id, p.village_code, m.segment, p.sex, p.birth_date, m.start_date, "
    "m.end_date, COALESCE(mp.kind, CASE WHEN m.segment = 'pu' THEN 'employer' ELSE 'self' END) AS base_payer "
    "FROM membership m JOIN person p ON p.id = m.person_id LEFT JOIN membership_payer mp ON mp.membership_id = m.id",
    "CREATE OR REPLACE TABLE paid AS SELECT pb.membership_id, pb.month, bp.kind "
    "FROM paid_bill pb JOIN bill_payer bp ON bp.id = pb.bill_id",
    "DROP TABLE membership; DROP TABLE person; DROP TABLE paid_bill; DROP TABLE membership_payer; "
    "DROP TABLE bill_payer",
)
_PERSON_JOIN = "JOIN membership m ON m.id = pm.membership_id JOIN person p ON p.id = m.person_id"
_PARAM = re.compile(r":(\w+)")


@dataclass(frozen=True)
class Window:
    """Months ``first``..``last`` inclusive, optionally only some villages (``None``: every village)."""

    first: Month
    last: Month
    villages: tuple[str, ...] | None = None

    @property
    def params(self) -> dict[str, Any]:
        return {"first": self.first.first_day(), "last_end": self.last.next().first_day()}


def extract(
    session: Session, con: duckdb.DuckDBPyConnection, window: Window, workdir: Path, parallel: int = 1
) -> dict[str, int]:
    """Copy the members, sponsorships and paid months the window needs into DuckDB tables; return row counts.

    On PostgreSQL with ``parallel > 1`` and the whole country, the sources are read on that many extra connections
    at once (ADBC: binary ``COPY`` decoded into Arrow outside Python, about twice as fast as psycopg's one message
    per row), all reading the snapshot of ``session`` (``pg_export_snapshot``), so the tables are as consistent as
    one query. Otherwise they are copied on the session's own connection (which sees its uncommitted rows).
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    sources = _WHOLE_SOURCES if postgres and window.villages is None else _SOURCES
    statements = {}
    for name, (sql, _columns) in sources.items():
        vf = "1 = 1" if window.villages is None else "p.village_code IN :villages"
        join = "" if window.villages is None else _PERSON_JOIN
        statements[name] = sql.format(vf=vf, join=join)
    if postgres:
        if parallel > 1 and window.villages is None:
            snapshot = str(session.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            uri = session.get_bind().engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            with ThreadPoolExecutor(max_workers=parallel) as pool:
                jobs = [
                    pool.submit(_extract_arrow, uri, snapshot, con, name, statement, sources[name][1], window)
                    for name, statement in statements.items()
                ]
                for job in jobs:
                    job.result()
        else:
            cursor = _driver_connection(session).cursor()
            for name, statement in statements.items():
                _extract_postgres(cursor, con, name, statement, sources[name][1], window, workdir)
        if sources is _WHOLE_SOURCES:
            for statement in _WHOLE_JOINS:
                con.execute(statement)
    else:
        for name, statement in statements.items():
            _extract_generic(session, con, name, statement, _SOURCES[name][1], window)
    counts: dict[str, int] = {}
    for name in _SOURCES:
        row = con.execute(f"SELECT count(*) FROM {name}").fetchone()
        counts[name] = int(row[0]) if row else 0
    # the first paid month that matters for "lapsed": a month before the window stands in for any earlier one
    con.execute(
        "CREATE OR REPLACE TABLE first_paid AS SELECT membership_id, min(first_month) AS first_month FROM ("
        "SELECT membership_id, month AS first_month FROM paid UNION ALL "
        f"SELECT membership_id, DATE '{window.first.plus(-1).first_day()}' FROM paid_before) GROUP BY membership_id"
    )
    return counts


def _extract_arrow(
    uri: str, snapshot: str, con: duckdb.DuckDBPyConnection, name: str, statement: str, columns: str, window: Window
) -> None:
    """Read one source on a new ADBC connection inside ``snapshot``, streaming Arrow batches into DuckDB."""
    names = _PARAM.findall(statement)  # :name -> $1, $2, ... in order of appearance
    numbered = iter(range(1, len(names) + 1))
    query = _PARAM.sub(lambda _m: f"${next(numbered)}", statement)
    params = window.params
    duck = con.cursor()
    with adbc.connect(uri) as conn, conn.cursor() as cursor:  # not autocommit: one transaction
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        cursor.execute(query, parameters=[params[n] for n in names] if names else None)
        duck.register("arrow_source", cursor.fetch_record_batch())
        duck.execute(f"CREATE OR REPLACE TABLE {name} ({columns})")
        duck.execute(f"INSERT INTO {name} SELECT * FROM arrow_source")  # by position, cast to the declared types
        duck.unregister("arrow_source")
        conn.rollback()
    duck.close()


def _extract_postgres(
    cursor: Any,
    con: duckdb.DuckDBPyConnection,
    name: str,
    statement: str,
    columns: str,
    window: Window,
    workdir: Path,
) -> None:
    params = dict(window.params)
    if ":villages" in statement:
        statement = statement.replace("p.village_code IN :villages", "p.village_code = ANY(:villages)")
        params["villages"] = list(window.villages or ())
    path = workdir / f"{name}.csv"
    psycopg_sql = _PARAM.sub(r"%(\1)s", statement)
    with path.open("wb") as out, cursor.copy(f"COPY ({psycopg_sql}) TO STDOUT (FORMAT csv)", params) as copy:
        for block in copy:
            out.write(block)
    types = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in columns.split(", "))
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv(?, header = false, auto_detect = false, "
        f"delim = ',', quote = '\"', columns = {{{types}}})",
        [str(path)],
    )
    path.unlink()


def _extract_generic(
    session: Session, con: duckdb.DuckDBPyConnection, name: str, statement: str, columns: str, window: Window
) -> None:
    query = text(statement)
    params = dict(window.params)
    if ":villages" in statement:
        query = query.bindparams(bindparam("villages", expanding=True))
        params["villages"] = list(window.villages or ())
    rows = session.execute(query, params).all()
    names = [c.split()[0] for c in columns.split(", ")]
    con.execute(f"CREATE OR REPLACE TABLE {name} ({columns})")
    if rows:
        columns_data = list(zip(*rows, strict=True))
        con.register("extracted", pa.table({n: list(columns_data[i]) for i, n in enumerate(names)}))
        con.execute(f"INSERT INTO {name} SELECT * FROM extracted")
        con.unregister("extracted")


def _driver_connection(session: Session) -> Any:
    return session.connection().connection.driver_connection


_AGE = (
    "((year(mm.month) * 12 + month(mm.month)) - (year(mm.birth_date) * 12 + month(mm.birth_date))"
    " - CASE WHEN day(mm.birth_date) > 1 THEN 1 ELSE 0 END) // 12"
)


def aggregate(con: duckdb.DuckDBPyConnection, window: Window) -> int:
    """Group the membership-months of the window into the table ``fine`` (the summary rows); return its size."""
    con.execute(
        f"""
        CREATE OR REPLACE TABLE fine AS
        WITH months AS (
            SELECT CAST(m AS DATE) AS month FROM range(DATE '{window.first.first_day()}',
                DATE '{window.last.next().first_day()}', INTERVAL 1 MONTH) t(m)
        ), mm AS (
            SELECT mb.*, mo.month FROM members mb JOIN months mo
              ON mb.start_date < mo.month + INTERVAL 1 MONTH AND (mb.end_date IS NULL OR mb.end_date >= mo.month)
        ), x AS (
            SELECT mm.village_code, mm.month, mm.segment, COALESCE(pd.kind, sp.kind, mm.base_payer) AS payer,
                   mm.sex, {age_band_sql(_AGE)} AS age_band,
                   pd.membership_id IS NOT NULL AS paid,
                   COALESCE(fp.first_month < mm.month, false) AS paid_before,
                   mm.start_date >= mm.month AS started,
                   COALESCE(mm.end_date < mm.month + INTERVAL 1 MONTH, false) AS stopped
            FROM mm
            LEFT JOIN paid pd ON pd.membership_id = mm.id AND pd.month = mm.month
            LEFT JOIN sponsor sp ON sp.membership_id = mm.id AND mm.month BETWEEN sp.first_month AND sp.last_month
            LEFT JOIN first_paid fp ON fp.membership_id = mm.id
        )
        SELECT village_code, month, segment, payer, sex, age_band,
               count(*) AS registered,
               count(*) FILTER (WHERE paid) AS active,
               count(*) FILTER (WHERE NOT paid AND paid_before) AS lapsed,
               count(*) FILTER (WHERE started) AS new,
               count(*) FILTER (WHERE stopped) AS ended
        FROM x GROUP BY ALL
        """
    )
    row = con.execute("SELECT count(*) FROM fine").fetchone()
    return int(row[0]) if row else 0


def provinces_with_rows(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Province codes that have summary rows in ``fine``."""
    return {str(r[0]) for r in con.execute("SELECT DISTINCT left(village_code, 2) FROM fine").fetchall()}


def _rollup_select(level: int, dim: str, where: str) -> str:
    n = CODE_LENGTH[level]
    code = "village_code" if level == 4 else f"'{COUNTRY}'" if level == 0 else f"left(village_code, {n})"
    parent = (
        "CAST(NULL AS VARCHAR)"
        if level == 0
        else f"'{COUNTRY}'"
        if level == 1
        else f"left(village_code, {CODE_LENGTH[level - 1]})"
    )
    value = "'all'" if dim == "all" else dim
    sums = ", ".join(f"CAST(sum({m}) AS INTEGER) AS {m}" for m in MEASURES)
    select = (
        f"SELECT {code} AS region_code, month, '{dim}' AS dim, {value} AS value, {level} AS level, "
        f"{parent} AS parent_code, {sums} FROM fine WHERE {where} GROUP BY ALL"
    )
    if level < 4:
        return f"SELECT *, CAST(NULL AS INTEGER) AS rate_bp FROM ({select})"
    # villages carry their coverage rate (basis points, half up) for ranking on an index
    return (
        f"SELECT r.*, CAST((r.active * 20000 + w.workers) // (2 * w.workers) AS INTEGER) AS rate_bp FROM ({select}) r "
        "LEFT JOIN workforce w ON w.region_code = r.region_code AND w.year = year(r.month) AND w.workers > 0"
    )


def rollup_sql(where: str, levels: Sequence[int] = (1, 2, 3, 4)) -> str:
    """DuckDB SQL for the rollup rows of the villages matching ``where``: villages overall, higher levels by dim
    (level 0, the country, only when every village is in ``where``)."""
    parts = [_rollup_select(4, "all", where)] if 4 in levels else []
    for level in (lv for lv in levels if lv < 4):
        parts += [_rollup_select(level, dim, where) for dim in ("all", *ROLLUP_DIMS)]
    return " UNION ALL ".join(parts)


def load(session: Session, con: duckdb.DuckDBPyConnection, where: str, levels: Sequence[int]) -> int:
    """Insert the ``fine`` rows matching ``where`` and their rollups into the app database; return rows written."""
    fine = f"SELECT {', '.join(FINE_COLUMNS)} FROM fine WHERE {where}"
    written = _load_one(session, con, fine, CoverageSummary.__tablename__, FINE_COLUMNS)
    return written + _load_one(session, con, rollup_sql(where, levels), Rollup.__tablename__, ROLLUP_COLUMNS)


def _load_one(session: Session, con: duckdb.DuckDBPyConnection, query: str, table: str, columns: Sequence[str]) -> int:
    if session.get_bind().dialect.name == "postgresql":
        with tempfile.TemporaryDirectory(prefix="jangkau-report-") as tmp:
            path = Path(tmp) / "rows.csv"
            con.execute(f"COPY ({query}) TO '{path}' (HEADER false)")
            cursor = _driver_connection(session).cursor()
            with (
                path.open("rb") as source,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy,
            ):
                while block := source.read(1 << 20):
                    copy.write(block)
            return int(cursor.rowcount)
    rows = con.execute(query).fetchall()
    model = CoverageSummary if table == CoverageSummary.__tablename__ else Rollup
    if rows:
        session.execute(insert(model), [dict(zip(columns, row, strict=True)) for row in rows])
    return len(rows)


# --- PostgreSQL: build the summary tables aside and swap them in ----------------------------------------------

STAGED = (CoverageSummary.__tablename__, Rollup.__tablename__)
STAGE_SUFFIX = "_stage"


def create_stage(session: Session, first: Month, last: Month) -> int:
    """Fresh unindexed staging copies of the summary tables holding the live rows outside ``first``..``last``
    (a rebuild of some months keeps the others); return how many rows were kept."""
    kept = 0
    for table in STAGED:
        stage = table + STAGE_SUFFIX
        session.execute(text(f"DROP TABLE IF EXISTS {stage}"))
        session.execute(text(f"CREATE TABLE {stage} (LIKE {table} INCLUDING DEFAULTS)"))
        result = session.execute(
            text(f"INSERT INTO {stage} SELECT * FROM {table} WHERE month < :first OR month > :last"),
            {"first": first.first_day(), "last": last.first_day()},
        )
        kept += int(getattr(result, "rowcount", 0) or 0)
    return kept


def stage_exists(session: Session) -> bool:
    names = [t + STAGE_SUFFIX for t in STAGED]
    found = session.execute(text("SELECT count(*) FROM pg_tables WHERE tablename = ANY(:n)"), {"n": names})
    return int(found.scalar_one()) == len(names)


def load_stage(session: Session, con: duckdb.DuckDBPyConnection, workdir: Path, parallel: int = 2) -> int:
    """COPY every ``fine`` row and every rollup row (country included) into the staging tables; return rows
    written. With ``parallel > 1``, that many slices at once, each on its own connection and committed (nobody
    reads staging tables); with 1, on the session's connection in its transaction."""
    fine = f"SELECT {', '.join(FINE_COLUMNS)} FROM fine"
    slices = max(parallel, 1)
    parts: list[tuple[str, str, Sequence[str]]] = [
        (f"{fine} WHERE hash(village_code) % {slices} = {i}", CoverageSummary.__tablename__, FINE_COLUMNS)
        for i in range(slices)
    ]
    parts.append((rollup_sql("true", (0, 1, 2, 3, 4)), Rollup.__tablename__, ROLLUP_COLUMNS))
    files = []
    for i, (query, table, columns) in enumerate(parts):
        path = workdir / f"stage_{i}.csv"
        con.execute(f"COPY ({query}) TO '{path}' (HEADER false)")
        files.append((path, table + STAGE_SUFFIX, columns))
    if parallel <= 1:
        return sum(_copy_file(_driver_connection(session), *f) for f in files)
    engine = session.get_bind()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return sum(pool.map(lambda f: _on_new_connection(engine, _copy_file, *f), files))


def _on_new_connection(engine: Any, work: Any, *args: Any) -> Any:
    raw = engine.raw_connection()
    try:
        out = work(raw.driver_connection, *args)
        raw.commit()
        return out
    finally:
        raw.close()


def _copy_file(driver: Any, path: Path, table: str, columns: Sequence[str]) -> int:
    cursor = driver.cursor()
    with path.open("rb") as source, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy:
        while block := source.read(1 << 20):
            copy.write(block)
    path.unlink()
    return int(cursor.rowcount)


def _index_ddl(table: str, stage: str) -> list[tuple[str, str]]:
    """(statement on the staging table, its index name) for the primary key and each index of ``table``."""
    model = CoverageSummary if table == CoverageSummary.__tablename__ else Rollup
    described: Table = model.__table__  # type: ignore[assignment]
    pk = described.primary_key
    out = [
        (
            f"ALTER TABLE {stage} ADD CONSTRAINT pk_{stage} PRIMARY KEY ({', '.join(c.name for c in pk.columns)})",
            f"pk_{table}",
        )
    ]
    for index in sorted(described.indexes, key=lambda i: str(i.name)):
        columns = ", ".join(c.name for c in index.columns)
        out.append((f"CREATE INDEX {index.name}{STAGE_SUFFIX} ON {stage} ({columns})", str(index.name)))
    return out


def index_stage(session: Session, parallel: int = 2) -> None:
    """Build the primary keys and indexes of the staging tables (after the load: one sort each, not row by row),
    ``parallel`` at once on their own connections (1: in the session's transaction), then ANALYZE them."""
    statements = [ddl for table in STAGED for ddl, _ in _index_ddl(table, table + STAGE_SUFFIX)]
    statements += [f"ANALYZE {table}{STAGE_SUFFIX}" for table in STAGED]

    def run(driver: Any, statement: str) -> None:
        cursor = driver.cursor()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(statement)

    if parallel <= 1:
        for statement in statements:
            run(_driver_connection(session), statement)
        return
    engine = session.get_bind()
    indexes, analyze = statements[: -len(STAGED)], statements[-len(STAGED) :]
    # the big primary key first: one connection sorts it while the other builds the rollup's indexes
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(lambda st: _on_new_connection(engine, run, st), indexes))
        list(pool.map(lambda st: _on_new_connection(engine, run, st), analyze))


def swap_stage(session: Session) -> None:
    """Replace the live summary tables by the staging tables in the caller's (short) transaction: readers see the
    old tables until it commits, then the new ones, never a half-built country."""
    for table in STAGED:
        stage = table + STAGE_SUFFIX
        session.execute(text(f"DROP TABLE {table}"))
        session.execute(text(f"ALTER TABLE {stage} RENAME TO {table}"))
        for _ddl, name in _index_ddl(table, stage):
            current = f"pk_{stage}" if name.startswith("pk_") else name + STAGE_SUFFIX
            session.execute(text(f"ALTER INDEX {current} RENAME TO {name}"))


def drop_stage(session: Session) -> None:
    for table in STAGED:
        session.execute(text(f"DROP TABLE IF EXISTS {table}{STAGE_SUFFIX}"))
