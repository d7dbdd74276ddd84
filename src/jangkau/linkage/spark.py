"""Score candidate pairs on Spark with the same Splink model (national scale).

Normalisation, the register pre-filter and the decisions stay in DuckDB (they are linear passes); only the
pairwise scoring, which grows with the register, moves to Spark.  :func:`spark_scorer` plugs into
:func:`jangkau.linkage.engine.link_list`.  Needs the ``spark`` extra (``pip install 'jangkau[spark]'``) and Java 17.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from jangkau.linkage import model as linkage_model
from jangkau.linkage.engine import LinkOptions, Scorer


def spark_session(master: str = "local[2]", driver_memory: str = "2g") -> Any:
    """A Spark session with Splink's string-similarity UDF jar (local mode by default).

    Args:
        master: the Spark master, e.g. ``local[2]`` or a cluster URL.
        driver_memory: memory of the driver JVM.

    Returns:
        The ``SparkSession``.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(master)
        .appName("jangkau-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def score_pairs_spark(
    spark: Any,
    con: duckdb.DuckDBPyConnection,
    options: LinkOptions,
    list_table: str,
    register_table: str | None,
    prior: float,
) -> str:
    """Like :func:`jangkau.linkage.engine.score_pairs`, but Splink runs on ``spark``.

    The prepared tables travel as Parquet; the scored pairs come back as Arrow into table ``pairs``.
    """
    from splink import Linker
    from splink.backends.spark import SparkAPI

    if register_table is None:
        raise ValueError("score_pairs_spark links a list to a register; dedupe runs on DuckDB")
    with tempfile.TemporaryDirectory(dir=options.work_dir) as tmp:
        frames = {}
        for name, table in (("list", list_table), ("register", register_table)):
            path = Path(tmp) / f"{name}.parquet"
            con.sql(f"COPY {table} TO '{path}' (FORMAT parquet)")
            frames[name] = spark.read.parquet(str(path))
        api = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
        settings = linkage_model.trained_settings(options.model_path, prior=prior)
        linker = Linker(
            [api.register(frames["list"], dataset_display_name="list"),
             api.register(frames["register"], dataset_display_name="register")],
            settings,
            log_level=None,
        )  # fmt: skip
        predictions = linker.inference.predict(warning_mode="never").as_pyarrow_table()  # type: ignore[no-untyped-call]
    con.register("spark_pairs", predictions)
    con.sql("""
        CREATE OR REPLACE TABLE pairs AS
        SELECT CASE WHEN source_dataset_l = 'list' THEN unique_id_l ELSE unique_id_r END AS list_id,
               CASE WHEN source_dataset_l = 'list' THEN unique_id_r ELSE unique_id_l END AS person_id,
               match_probability, match_weight
        FROM spark_pairs
    """)
    con.unregister("spark_pairs")
    return "pairs"


def spark_scorer(spark: Any) -> Scorer:
    """A scorer for :func:`jangkau.linkage.engine.link_list` that runs Splink on ``spark``."""
    return partial(score_pairs_spark, spark)
