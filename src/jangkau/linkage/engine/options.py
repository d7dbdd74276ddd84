"""The options of a linkage run, the scorer's signature and the DuckDB connection they set up.

Every engine module imports this one and it imports none of them (no import circle)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from jangkau.linkage.engine.normalise import install_macros

# (connection, options, prepared list table, prepared register table, prior) -> name of the pairs table
Scorer = Callable[[duckdb.DuckDBPyConnection, "LinkOptions", str, str | None, float], str]


@dataclass
class LinkOptions:
    """Thresholds and resources of a linkage run (JSON-serialisable; the CLI exposes each one).

    Attributes:
        match_threshold: best candidate at or above this probability is a ``match``.
        review_threshold: at or above this (but below ``match_threshold``) it goes to ``review``.
        ambiguity_margin: a match becomes ``review`` when the second-best candidate is also above
            ``match_threshold`` and within this many match-weight bits (log2 Bayes factor) of the best.
        expected_in_register: share of list rows expected to be registered; sets the model's prior.
        model_path: a model JSON other than the shipped one.
        materialisation: ``table`` (in memory) or ``parquet`` (spill Splink tables to ``work_dir``).
        work_dir: where DuckDB and Splink may spill; ``None`` for in memory only.
        num_chunks: split scoring into this many chunks of the list (bounded memory).
        threads: DuckDB threads (``None``: all cores).
        memory_limit: DuckDB memory limit, e.g. ``"4GB"``.
        engine: ``duckdb`` (default) or ``spark``: where Splink scores the candidate pairs (normalising, the
            register pre-filter and the decisions run on DuckDB either way; see :mod:`jangkau.linkage.engine.spark`).
        spark_master: with ``engine="spark"``: ``local[N]`` / ``local[*]`` (default ``local[*]``) or a
            cluster URL such as ``spark://host:7077``.
        spark_driver_memory: with ``engine="spark"``: memory of the Spark driver JVM, e.g. ``"2g"``.
    """

    match_threshold: float = 0.9
    review_threshold: float = 0.5
    ambiguity_margin: float = 6.0
    expected_in_register: float = 0.8
    model_path: Path | None = None
    materialisation: str = "table"
    work_dir: Path | None = None
    num_chunks: int = 1
    threads: int | None = None
    memory_limit: str | None = None
    engine: str = "duckdb"
    spark_master: str | None = None
    spark_driver_memory: str = "2g"

    def as_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}


def connect(options: LinkOptions) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set up for linkage (threads, memory, spill directory, macros)."""
    con = duckdb.connect()
    con.sql("SET enable_progress_bar = false")
    if options.threads:
        con.sql(f"SET threads = {int(options.threads)}")
    if options.memory_limit:
        con.sql(f"SET memory_limit = '{options.memory_limit}'")
    if options.work_dir:
        con.sql(f"SET temp_directory = '{options.work_dir / 'duckdb_tmp'}'")
    install_macros(con)
    logging.getLogger("splink").setLevel(logging.WARNING)
    return con
