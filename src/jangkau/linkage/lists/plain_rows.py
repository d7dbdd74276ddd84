"""The common case of list validation done on whole columns: rows that need no word of explanation.

Checking 500,000 rows one by one in Python (``check_nik``, ``strptime``) took 5-14 s.  Most rows of a list are
plain: a well-formed NIK whose birth date and sex agree with the stated ones, a birth date in ISO or
``dd-mm-yyyy`` form, a known sex code, a valid village code, a name and a unique row id.  Such a row produces
no issue, so its clean values can be computed in one DuckDB query.  Every other row goes through the per-row
checks of :mod:`jangkau.linkage.lists.validate` unchanged, so every reason and warning is exactly what they say.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from jangkau.linkage.lists.columns import _SEX, LIST_SCHEMA, _village
from jangkau.linkage.lists.read import LIST_COLUMNS, RawList
from jangkau.registry.nik import PROVINCE_CODES


def _sql_list(values: frozenset[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def clean_rows(raw: RawList, today: dt.date) -> tuple[pa.Table, list[int]]:
    """Split a list into the plain rows (checked here, on whole columns) and the rest.

    Args:
        raw: the list as read.
        today: the reference date (century of the NIK year, nothing in the future).

    Returns:
        The plain rows as a table in ``LIST_SCHEMA`` (each with no issue at all), and the 0-based positions
        of the other rows, in order, for the per-row checks.
    """
    n = raw.n_rows
    blank = [""] * n
    columns = {name: pa.array(raw.columns.get(name, blank), pa.string()) for name in LIST_COLUMNS}
    villages = sorted({v for v in raw.columns.get("village_code", blank) if v})
    codes = [_village(v) for v in villages]
    con = duckdb.connect()
    try:
        con.sql("SET enable_progress_bar = false")
        con.register("rows_src", pa.table({"i": pa.array(range(n), pa.int64()), **columns}))
        con.register("villages", pa.table({"village_text": pa.array(villages, pa.string()),
                                           "code": pa.array(codes, pa.string())}))  # fmt: skip
        con.register("sexes", pa.table({"sex_text": list(_SEX), "value": [v.value for v in _SEX.values()]}))
        con.sql(f"CREATE TEMP TABLE plain AS {_plain_sql(today)}")
        plain = con.sql("SELECT * FROM plain ORDER BY i").to_arrow_table()
        others = con.sql("SELECT i FROM rows_src ANTI JOIN plain USING (i) ORDER BY i").fetchall()
    finally:
        con.close()
    table = pa.table(
        {
            "row_id": plain.column("row_id"),
            "line": pc.add(plain.column("i"), 2),
            "nik": plain.column("nik"),
            "name": plain.column("name"),
            "birth_date": plain.column("birth_date").cast(pa.date32()),
            "sex": plain.column("sex_value"),
            "village_code": plain.column("code"),
        },
        schema=LIST_SCHEMA,
    )
    return table, [r[0] for r in others]


def _date(year: str, month: str, day: str) -> str:
    """SQL: the date, or NULL when the parts do not make one (never an error, whatever the row)."""
    month_ok = f"{month} BETWEEN 1 AND 12"
    last = f"CASE WHEN {month_ok} THEN day(last_day(make_date({year}, {month}, 1))) END"
    return (f"CASE WHEN {year} BETWEEN 1 AND 9999 AND {month_ok} AND {day} >= 1 AND {day} <= {last} "
            f"THEN make_date({year}, {month}, {day}) END")  # fmt: skip


def _plain_sql(today: dt.date) -> str:
    """The rows on which the per-row checks would keep the row with no issue, and their clean values."""
    return f"""
        WITH ids AS (
            SELECT *, CASE WHEN row_id = '' THEN CAST(i + 2 AS VARCHAR) ELSE row_id END AS rid FROM rows_src
        ), unique_ids AS (
            SELECT *, count(*) OVER (PARTITION BY rid) AS n_rid FROM ids
        ), stated AS (
            SELECT u.*, s.value AS sex_value, v.code,
                   CASE WHEN regexp_full_match(birth_date, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')
                        THEN [TRY_CAST(substr(birth_date, 1, 4) AS INT), TRY_CAST(substr(birth_date, 6, 2) AS INT),
                              TRY_CAST(substr(birth_date, 9, 2) AS INT)]
                        WHEN regexp_full_match(birth_date, '[0-9]{{2}}-[0-9]{{2}}-[0-9]{{4}}')
                        THEN [TRY_CAST(substr(birth_date, 7, 4) AS INT), TRY_CAST(substr(birth_date, 4, 2) AS INT),
                              TRY_CAST(substr(birth_date, 1, 2) AS INT)] END AS ymd
            FROM unique_ids u
            LEFT JOIN sexes s ON s.sex_text = upper(u.sex)
            LEFT JOIN villages v ON v.village_text = u.village_code
            WHERE n_rid = 1 AND name <> '' AND (sex = '' OR s.value IS NOT NULL)
              AND (village_code = '' OR v.code IS NOT NULL)
        ), parts AS (
            SELECT *, TRY_CAST(substr(nik, 7, 2) AS INT) AS dd, TRY_CAST(substr(nik, 9, 2) AS INT) AS mm,
                   TRY_CAST(substr(nik, 11, 2) AS INT) AS yy
            FROM stated
            WHERE regexp_full_match(nik, '[0-9]{{16}}') AND substr(nik, 1, 2) IN {_sql_list(PROVINCE_CODES)}
              AND substr(nik, 3, 2) NOT IN ('00', '70') AND substr(nik, 5, 2) <> '00' AND substr(nik, 13) <> '0000'
        ), decoded AS (
            SELECT *, CASE WHEN dd > 40 THEN dd - 40 ELSE dd END AS nik_day,
                   CASE WHEN yy + 2000 <= {today.year} THEN 2000 + yy ELSE 1900 + yy END AS nik_year,
                   CASE WHEN dd > 40 THEN 'P' ELSE 'L' END AS nik_sex
            FROM parts
        ), with_nik AS (
            -- a valid NIK that agrees with the stated birth date and sex (or none is stated)
            SELECT i, rid, nik, name, CASE WHEN birth_date <> '' THEN nik_date END AS born, sex_value, code
            FROM (SELECT *, {_date("nik_year", "mm", "nik_day")} AS nik_date FROM decoded)
            WHERE nik_date <= DATE '{today.isoformat()}'
              AND (birth_date = '' OR ymd = [nik_year, mm, nik_day]) AND (sex = '' OR sex_value = nik_sex)
        ), without_nik AS (
            -- no NIK, and a well-formed birth date between 1900 and today
            SELECT i, rid, NULL AS nik, name, born, sex_value, code
            FROM (SELECT *, {_date("ymd[1]", "ymd[2]", "ymd[3]")} AS born FROM stated WHERE nik = '')
            WHERE born BETWEEN DATE '1900-01-01' AND DATE '{today.isoformat()}'
        )
        SELECT i, rid AS row_id, nik, name, born AS birth_date, sex_value, code FROM with_nik
        UNION ALL
        SELECT i, rid, nik, name, born, sex_value, code FROM without_nik
    """
