"""Jaro-Winkler as the Spark engine computes it equals DuckDB's ``jaro_winkler_similarity`` on every string."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.linkage.engine.similarity import jaro_winkler

NAMES = st.text(alphabet="AIUEO MNRSTHWYDKL", max_size=24)
CON = duckdb.connect()


def _duckdb(left: str, right: str) -> float:
    return float(CON.execute("SELECT jaro_winkler_similarity(?, ?)", [left, right]).fetchall()[0][0])


def test_the_strings_where_splinks_spark_udf_differs_from_duckdb() -> None:
    # Splink's Scala UDF gives 0.8739 and 0.8797: below the model's 0.88 level, where DuckDB is above it
    assert jaro_winkler("ANI WAHYUNI", "ANI SITI WAHYUNI") == _duckdb("ANI WAHYUNI", "ANI SITI WAHYUNI") > 0.88
    assert jaro_winkler("MUHAMAA MITRA", "MUHAMMAD MITRA JAILANI") == _duckdb("MUHAMAA MITRA", "MUHAMMAD MITRA JAILANI")
    assert jaro_winkler(None, "A") is None
    assert jaro_winkler("", "") == _duckdb("", "") == 0.0


@settings(max_examples=400, deadline=None)
@given(NAMES, NAMES)
def test_equal_to_duckdb(left: str, right: str) -> None:
    assert jaro_winkler(left, right) == _duckdb(left, right)
