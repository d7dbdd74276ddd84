"""Baseline: a plain Splink 5 setup as the documentation suggests, on the raw list and register.

Upper-cased names and parsed dates only (no Indonesian name handling, no pre-filter), blocking on NIK and on
birth date, library comparisons, and training at run time (prior from NIK agreement, u by random sampling,
m by expectation maximisation).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def _inputs(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    con.sql(f"""
        CREATE TABLE plain_list AS
        SELECT row_id AS unique_id, nullif(nik, '') AS nik, upper(name) AS name,
               coalesce(try_strptime(birth_date, '%Y-%m-%d'), try_strptime(birth_date, '%d-%m-%Y'))::DATE AS birth_date,
               sex, village_code
        FROM read_parquet('{folder / "list.parquet"}')
    """)
    con.sql(f"""
        CREATE TABLE plain_register AS
        SELECT CAST(person_id AS VARCHAR) AS unique_id, nik, name, birth_date, sex, village_code
        FROM read_parquet('{folder / "register.parquet"}')
    """)


def _pairs(con: duckdb.DuckDBPyConnection) -> int:
    """Upper bound of the candidate pairs of the two blocking rules."""
    count: int = con.sql("""
        SELECT (SELECT count(*) FROM plain_list l JOIN plain_register r USING (nik))
             + (SELECT coalesce(sum(a.n * b.n), 0) FROM
                  (SELECT birth_date, count(*) AS n FROM plain_list GROUP BY ALL) a JOIN
                  (SELECT birth_date, count(*) AS n FROM plain_register GROUP BY ALL) b USING (birth_date))
    """).fetchall()[0][0]
    return count


def run_plain_splink(folder: Path, max_pairs: int) -> dict[str, Any]:
    """Train and predict with a plain setup; skipped when its blocking would exceed ``max_pairs``."""
    con = duckdb.connect()
    con.sql("SET enable_progress_bar = false")
    start = time.perf_counter()
    _inputs(con, folder)
    pairs = _pairs(con)
    if pairs > max_pairs:
        return {"skipped": f"blocking on birth date alone gives {pairs:,} pairs (> {max_pairs:,})",
                "candidate_pairs": pairs}  # fmt: skip
    load_s = time.perf_counter() - start
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.LevenshteinAtThresholds("nik", [1, 2]),
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("sex"),
            cl.ExactMatch("village_code"),
        ],
        blocking_rules_to_generate_predictions=[block_on("nik"), block_on("birth_date")],
    )
    api = DuckDBAPI(connection=con)
    linker = Linker([api.register("plain_list"), api.register("plain_register")], settings, log_level=None)
    t0 = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match([block_on("nik")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    predict_s = time.perf_counter() - t0
    links = con.sql(f"""
        WITH best AS (
            SELECT unique_id_l AS row_id, unique_id_r AS person_id, match_probability,
                   row_number() OVER (PARTITION BY unique_id_l ORDER BY match_probability DESC) AS rank
            FROM {predictions.physical_name})
        SELECT l.unique_id AS row_id, b.person_id, coalesce(b.match_probability, 0) AS match_probability,
               CASE WHEN b.match_probability >= 0.9 THEN 'match' WHEN b.match_probability >= 0.5 THEN 'review'
                    ELSE 'no_match' END AS decision
        FROM plain_list l LEFT JOIN best b ON b.row_id = l.unique_id AND b.rank = 1
    """).to_arrow_table()
    timings = {"load": round(load_s, 3), "train": round(train_s, 3), "predict": round(predict_s, 3),
               "total": round(time.perf_counter() - start, 3)}  # fmt: skip
    return {"timings_s": timings, "candidate_pairs": pairs, "links": links}
