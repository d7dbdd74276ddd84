"""Whether the Spark engine can run here; CI (``JANGKAU_REQUIRE_SPARK=1``) fails instead of skipping."""

from __future__ import annotations

import os

import pytest

from jangkau.linkage.errors import SparkUnavailable

REQUIRE_SPARK = os.environ.get("JANGKAU_REQUIRE_SPARK") == "1"
TEST_MASTER = "local[1]"  # one core: the test data is tiny, and four other suites share this machine


def need_spark() -> None:
    """Skip (or, where Spark is required, fail) unless pyspark and Java 17 are there."""
    from jangkau.linkage.engine.spark import check_available

    try:
        check_available(TEST_MASTER)
    except SparkUnavailable as exc:
        if REQUIRE_SPARK:
            pytest.fail(f"JANGKAU_REQUIRE_SPARK=1 but the Spark engine cannot run: {exc.message}")
        pytest.skip(exc.message)
