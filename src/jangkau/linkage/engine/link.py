"""Link a validated list to the register with Splink 5 on DuckDB (duplicates within a list: ``dedupe.py``).

Flow of :func:`link_list`: normalise both sides once (:mod:`jangkau.linkage.engine.normalise`), keeping only the
register records that share at least one blocking key with the list (a 10-million-person register shrinks to
the fraction that can pair at all); score candidate pairs with the shipped model (no training at run
time); keep the best candidate per list row and decide ``match`` / ``review`` / ``no_match`` by thresholds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jangkau.linkage.engine import model as linkage_model
from jangkau.linkage.engine.normalise import prepare_table, shares_a_key
from jangkau.linkage.engine.options import LinkOptions, Scorer, connect
from jangkau.linkage.engine.register import RegisterSource, attach_prepared, is_prepared, load_register
from jangkau.linkage.lists.validate import ValidatedList

MATCH, REVIEW, NO_MATCH, REJECTED = "match", "review", "no_match", "rejected"
Phase = Callable[[str], None]


@dataclass
class LinkResult:
    """One row per kept list row (``row_id, person_id, match_probability, decision``) and the run's figures."""

    links: pa.Table
    summary: dict[str, Any] = field(default_factory=dict)


class Timings:
    """Wall time per phase, reported in the summary."""

    def __init__(self, on_phase: Phase | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self._on_phase = on_phase

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if self._on_phase:
            self._on_phase(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


def load_list_table(con: duckdb.DuckDBPyConnection, validated: ValidatedList, name: str = "list_raw") -> None:
    """Register a validated list as view ``name`` (columns as the register's, ``row_id`` as id)."""
    con.register(f"{name}__src", validated.table)
    con.sql(
        f"CREATE OR REPLACE VIEW {name} AS SELECT row_id, nik, name, birth_date, sex, village_code FROM {name}__src"
    )


def _db_api(con: duckdb.DuckDBPyConnection, options: LinkOptions) -> Any:
    from splink import DuckDBAPI

    if options.materialisation == "parquet":
        work = (options.work_dir or Path("var/linkage")) / "splink_parquet"
        work.mkdir(parents=True, exist_ok=True)
        return DuckDBAPI(connection=con, materialisation="parquet", materialisation_dir=str(work))
    return DuckDBAPI(connection=con)


def score_pairs(
    con: duckdb.DuckDBPyConnection, options: LinkOptions, list_table: str, register_table: str | None, prior: float
) -> str:
    """Score every candidate pair with the shipped model; return the name of the predictions table.

    Args:
        con: the linkage connection holding the prepared tables.
        options: the run's options (model, chunks, materialisation).
        list_table: the prepared list.
        register_table: the prepared (pre-filtered) register, or ``None`` to find duplicates within the list.
        prior: probability that two random records match.

    Returns:
        A table with ``list_id, person_id, match_probability`` (for a dedupe: ``id_l, id_r, ...``).
    """
    from splink import Linker

    api = _db_api(con, options)
    settings = linkage_model.trained_settings(
        options.model_path, link_type="link_only" if register_table else "dedupe_only", prior=prior
    )
    inputs = [api.register(list_table, dataset_display_name="list")]
    if register_table:
        inputs.append(api.register(register_table, dataset_display_name="register"))
    linker = Linker(inputs if register_table else inputs[0], settings, log_level=None)
    chunks = max(1, options.num_chunks)
    predictions = linker.inference.predict(
        num_chunks_left=chunks if chunks > 1 else None, num_chunks_right=1 if chunks > 1 else None,
        warning_mode="never",
    )  # fmt: skip
    if not register_table:
        con.sql(f"CREATE OR REPLACE TABLE pairs AS SELECT unique_id_l AS id_l, unique_id_r AS id_r, "
                f"match_probability FROM {predictions.physical_name}")  # fmt: skip
    else:
        con.sql(f"""
            CREATE OR REPLACE TABLE pairs AS
            SELECT CASE WHEN source_dataset_l = 'list' THEN unique_id_l ELSE unique_id_r END AS list_id,
                   CASE WHEN source_dataset_l = 'list' THEN unique_id_r ELSE unique_id_l END AS person_id,
                   match_probability, match_weight
            FROM {predictions.physical_name}
        """)
    predictions.drop_table_from_database_and_remove_from_cache()
    return "pairs"


def decide(con: duckdb.DuckDBPyConnection, options: LinkOptions, list_table: str, pairs: str) -> pa.Table:
    """One row per list row: its best candidate and the decision.

    A best candidate at or above ``match_threshold`` is a ``match`` unless the second-best is also above it
    and nearly as good (within ``ambiguity_margin`` bits): two register persons fit, so a person has to look.
    """
    return con.sql(f"""
        WITH ranked AS (
            SELECT list_id, person_id, match_probability,
                   row_number() OVER w AS rank,
                   lead(match_weight) OVER w AS second_weight,
                   lead(match_probability) OVER w AS second_probability, match_weight
            FROM {pairs}
            WINDOW w AS (PARTITION BY list_id ORDER BY match_weight DESC, person_id)
        )
        SELECT l.unique_id AS row_id, r.person_id, round(coalesce(r.match_probability, 0), 6) AS match_probability,
               CASE WHEN r.match_probability >= {options.match_threshold}
                         AND NOT coalesce(r.second_probability >= {options.match_threshold}
                                          AND r.second_weight >= r.match_weight - {options.ambiguity_margin}, false)
                    THEN '{MATCH}'
                    WHEN r.match_probability >= {options.review_threshold} THEN '{REVIEW}'
                    ELSE '{NO_MATCH}' END AS decision
        FROM {list_table} l LEFT JOIN ranked r ON r.list_id = l.unique_id AND r.rank = 1
        ORDER BY l.unique_id
    """).to_arrow_table()


def link_list(
    validated: ValidatedList,
    register: RegisterSource,
    options: LinkOptions | None = None,
    on_phase: Phase | None = None,
    scorer: Scorer | None = None,
) -> LinkResult:
    """Link a validated list to the register: the entry point for files and for the database register.

    Args:
        validated: the list as returned by :func:`jangkau.linkage.lists.validate.load_list`.
        register: the register as an Arrow table/reader, a DuckDB relation, or a Parquet/CSV path, with
            columns ``person_id, nik, name, birth_date, sex, village_code``; or a register index written by
            :func:`index_register` (then the register is not normalised again).
        options: thresholds and resources; defaults to :class:`LinkOptions`.
        on_phase: called with each phase's name as it starts (for progress bars).
        scorer: scores the candidate pairs; defaults to ``options.engine``: Splink on DuckDB
            (:func:`score_pairs`), or on a Spark session started for this run and stopped after it
            (:func:`jangkau.linkage.engine.spark.spark_scorer` scores on a session the caller keeps).

    Returns:
        The links (one per list row kept) and a summary: counts per decision, timings per phase, candidate
        pairs, register size before and after pre-filtering.

    Raises:
        InvalidInput: the register cannot be read or lacks a column.
        SparkUnavailable: ``engine="spark"`` and pyspark, Java or the Spark master is missing.
    """
    options = options or LinkOptions()
    if scorer is None and options.engine == "spark":
        from jangkau.linkage.engine.spark import own_session_scorer

        with own_session_scorer(options) as spark_scorer:
            return link_list(validated, register, options, on_phase, spark_scorer)
    timings = Timings(on_phase)
    con = connect(options)
    try:
        prepared = is_prepared(register)
        with timings.phase("load_register"):
            n_register = attach_prepared(con, register) if prepared else load_register(con, register)
            load_list_table(con, validated)
        with timings.phase("normalise_list"):
            prepare_table(con, "list_raw", "row_id", "list_prep")
        with timings.phase("normalise_prefilter_register"):
            keys = (linkage_model.BLOCKING_KEYS, "list_prep")
            if prepared:
                where = shares_a_key(*keys)
                con.sql(f"CREATE OR REPLACE TABLE register_kept AS SELECT * FROM register_prepared {where}")
            else:
                prepare_table(con, "register_raw", "person_id", "register_kept", keep_sharing=keys)
            n_kept: int = con.sql("SELECT count(*) FROM register_kept").fetchall()[0][0]
        with timings.phase("predict"):
            prior = options.expected_in_register / max(n_register, 1)
            pairs = (scorer or score_pairs)(con, options, "list_prep", "register_kept", prior)
            n_pairs: int = con.sql(f"SELECT count(*) FROM {pairs}").fetchall()[0][0]
        with timings.phase("decide"):
            links = decide(con, options, "list_prep", pairs)
    finally:
        con.close()
    links = _with_rejected(links, validated)
    counts = dict.fromkeys((MATCH, REVIEW, NO_MATCH, REJECTED), 0)
    for decision in links.column("decision").to_pylist():
        counts[decision] += 1
    summary = {
        "list_rows_read": validated.n_read,
        "list_rows_kept": validated.table.num_rows,
        "rejected_rows": validated.n_rejected,
        "warnings": validated.n_warnings,
        "decisions": counts,
        "register_rows": n_register,
        "register_index": prepared,
        "register_rows_after_prefilter": n_kept,
        "candidate_pairs": n_pairs,
        "timings_s": timings.seconds,
        "options": options.as_dict(),
    }
    return LinkResult(links, summary)


def _with_rejected(links: pa.Table, validated: ValidatedList) -> pa.Table:
    """Add one ``rejected`` row per rejected list row (its reason is in the rejected-row report)."""
    ids = [r["row_id"] for r in validated.rejected_rows]
    taken = set(links.column("row_id").to_pylist())
    ids = [i for n, i in enumerate(ids) if i not in taken and i not in ids[:n]]
    extra = pa.table(
        {"row_id": ids, "person_id": [None] * len(ids), "match_probability": [0.0] * len(ids),
         "decision": [REJECTED] * len(ids)},
        schema=links.schema,
    )  # fmt: skip
    return pa.concat_tables([links, extra])
