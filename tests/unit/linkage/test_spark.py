"""The same model on Splink's Spark backend (local mode) gives the same links as on DuckDB.

Skipped when pyspark (the ``spark`` extra) is not installed; CI installs only ``[test]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("pyspark")

from jangkau.linkage.engine import LinkOptions, link_list
from jangkau.linkage.listfile import load_list
from jangkau.linkage.spark import spark_scorer, spark_session
from jangkau.linkage.synth import ErrorRates, make_list, make_register

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]", "1g")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_backend_links_like_duckdb(spark: Any, tmp_path: Path) -> None:
    con = duckdb.connect()
    make_register(con, 1000, 3)
    make_list(con, 120, 1000, 3, ErrorRates())
    con.sql(f"COPY synth_register TO '{tmp_path / 'register.parquet'}' (FORMAT parquet)")
    con.sql(f"COPY (SELECT row_id, nik, name, birth_date, sex, village_code FROM synth_list) "
            f"TO '{tmp_path / 'list.parquet'}' (FORMAT parquet)")  # fmt: skip
    validated = load_list(tmp_path / "list.parquet")
    options = LinkOptions(work_dir=tmp_path)

    on_duckdb = link_list(validated, tmp_path / "register.parquet", options).links.to_pylist()
    on_spark = link_list(validated, tmp_path / "register.parquet", options, scorer=spark_scorer(spark))
    spark_rows = on_spark.links.to_pylist()

    assert [(r["row_id"], r["person_id"], r["decision"]) for r in spark_rows] == [
        (r["row_id"], r["person_id"], r["decision"]) for r in on_duckdb
    ]
    assert sum(r["decision"] == "match" for r in spark_rows) > 80
    for a, b in zip(spark_rows, on_duckdb, strict=True):
        assert a["match_probability"] == pytest.approx(b["match_probability"], abs=1e-6)
