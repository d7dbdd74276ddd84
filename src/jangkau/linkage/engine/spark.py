"""Score candidate pairs on Spark with the same Splink model (national scale): ``jangkau link run --engine spark``.

Normalisation, the register pre-filter and the decisions stay in DuckDB (they are linear passes); only the
pairwise scoring, which grows with the register, moves to Spark.  :func:`spark_scorer` plugs into
:func:`jangkau.linkage.engine.link.link_list`; ``LinkOptions(engine="spark")`` starts a session for one run
(:func:`own_session_scorer`).  Needs the ``spark`` extra (``pip install 'jangkau[spark]'``: pyspark 3.5 or 4.x)
and Java 17 or newer; :func:`check_available` says which is missing before anything starts.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from jangkau.linkage.engine import model as linkage_model
from jangkau.linkage.engine.options import LinkOptions, Scorer
from jangkau.linkage.errors import (
    java_not_found,
    spark_master_invalid,
    spark_master_unreachable,
    spark_not_installed,
    spark_start_failed,
)

DEFAULT_MASTER = "local[*]"
# local, local[4], local[*], local[4,2] (2 task retries); spark://host:port[,host:port]; yarn; k8s://https://...
MASTER_FORMS = re.compile(
    r"^(local(\[(\*|[1-9][0-9]*)(,[1-9][0-9]*)?\])?|spark://[^\s/:,]+:[0-9]{1,5}(,[^\s/:,]+:[0-9]{1,5})*"
    r"|yarn|k8s://https?://\S+)$"
)
INSTALL_PYSPARK = "pip install 'jangkau[spark]' (pyspark>=3.5)"
MIN_JAVA = 17
logger = logging.getLogger(__name__)


def check_available(master: str | None = None) -> str:
    """Refuse early, with what to install or fix, when the Spark engine cannot run; return the master to use.

    Args:
        master: the Spark master (default ``local[*]``).

    Returns:
        The master URL.

    Raises:
        SparkUnavailable: pyspark is not installed, no Java 17+ is found, the master URL is malformed, or a
            ``spark://`` master does not accept connections.
    """
    master = (master or DEFAULT_MASTER).strip()
    if not MASTER_FORMS.match(master):
        raise spark_master_invalid(master)
    if importlib.util.find_spec("pyspark") is None:
        raise spark_not_installed(INSTALL_PYSPARK)
    _check_java()
    if master.startswith("spark://"):
        _check_reachable(master)
    return master


def _java_binary() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def java_major(java: str) -> int | None:
    """The major version of ``java`` (``17`` for ``openjdk version "17.0.15"``), or ``None`` when unreadable."""
    try:
        answer = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(?:1\.)?([0-9]+)', answer.stderr + answer.stdout)
    return int(found.group(1)) if found else None


def _check_java() -> None:
    java = _java_binary()
    major = java_major(java) if java else None
    if major is None or major < MIN_JAVA:
        seen = "no java on PATH and no JAVA_HOME" if java is None else f"{java} is Java {major or 'unknown'}"
        raise java_not_found(MIN_JAVA, seen)


def _check_reachable(master: str) -> None:
    """A standalone master that does not accept a connection would make Spark retry for a minute, then hang."""
    for address in master.removeprefix("spark://").split(","):
        host, _, port = address.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=5):
                return
        except OSError as exc:
            reason = type(exc).__name__
    raise spark_master_unreachable(master, reason)


def spark_session(
    master: str = DEFAULT_MASTER, driver_memory: str = "2g", shuffle_partitions: int | None = None
) -> Any:
    """A Spark session with Splink's string-similarity UDF jar (local mode by default).

    Args:
        master: the Spark master, e.g. ``local[2]`` or a cluster URL.
        driver_memory: memory of the driver JVM.
        shuffle_partitions: ``spark.sql.shuffle.partitions`` (default: two per local core, at least 2; 8 on a
            cluster).

    Returns:
        The ``SparkSession``.

    Raises:
        SparkUnavailable: the JVM or the session did not start (the reason is in the message).
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    partitions = shuffle_partitions or _partitions(master)
    builder = SparkSession.builder
    if master.startswith("local"):  # the executors' Python is this one (a cluster sets its own PYSPARK_PYTHON)
        builder = builder.config("spark.pyspark.python", sys.executable)
    try:
        session = (
            builder.master(master)
            .appName("jangkau-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.default.parallelism", str(partitions))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
    except Exception as exc:  # py4j / pyspark raise their own classes; what failed is in the text
        raise spark_start_failed(master, f"{type(exc).__name__}: {str(exc)[:300]}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def _partitions(master: str) -> int:
    found = re.match(r"local\[([0-9]+)", master)
    if found:
        return max(2, 2 * int(found.group(1)))
    if master.startswith("local"):
        return max(2, 2 * (os.cpu_count() or 1))
    return 8


@contextmanager
def own_session_scorer(options: LinkOptions) -> Iterator[Scorer]:
    """A Spark session for one run (``options.spark_master``), stopped afterwards, as a scorer.

    Raises:
        SparkUnavailable: see :func:`check_available`.
    """
    master = check_available(options.spark_master)
    session = spark_session(master, options.spark_driver_memory)
    logger.info("linkage scoring on Spark %s (master %s)", session.version, master)
    try:
        yield spark_scorer(session)
    finally:
        session.stop()


def score_pairs_spark(
    spark: Any,
    con: duckdb.DuckDBPyConnection,
    options: LinkOptions,
    list_table: str,
    register_table: str | None,
    prior: float,
) -> str:
    """Like :func:`jangkau.linkage.engine.link.score_pairs`, but Splink runs on ``spark``.

    The prepared tables travel as Parquet; the scored pairs come back as Arrow into table ``pairs``.
    """
    from splink import Linker
    from splink.backends.spark import SparkAPI

    if register_table is None:
        raise ValueError("score_pairs_spark links a list to a register; dedupe runs on DuckDB")
    if options.work_dir is not None:
        options.work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=options.work_dir) as tmp:
        frames = {}
        for name, table in (("list", list_table), ("register", register_table)):
            path = Path(tmp) / f"{name}.parquet"
            con.sql(f"COPY {table} TO '{path}' (FORMAT parquet)")
            frames[name] = spark.read.parquet(str(path))
        api = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
        use_duckdb_similarity(spark)  # replaces the Scala jaro_winkler that SparkAPI just registered
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


def use_duckdb_similarity(spark: Any) -> None:
    """Register :func:`jangkau.linkage.engine.similarity.jaro_winkler` on ``spark`` under the name Splink's SQL calls
    (after Splink's own UDFs, which it replaces). It travels to the executors by value: they need Python, not
    Jangkau."""
    from pyspark import cloudpickle
    from pyspark.sql.types import DoubleType

    from jangkau.linkage.engine import similarity

    cloudpickle.register_pickle_by_value(similarity)  # type: ignore[no-untyped-call]
    spark.udf.register("jaro_winkler", similarity.jaro_winkler, DoubleType())


def spark_scorer(spark: Any) -> Scorer:
    """A scorer for :func:`jangkau.linkage.engine.link.link_list` that runs Splink on ``spark``."""
    return partial(score_pairs_spark, spark)
