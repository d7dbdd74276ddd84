"""The Spark engine refuses early, naming what to install or fix, when it cannot run (no Spark needed here).

That the same model on Spark decides like DuckDB is tested end to end in ``tests/e2e/test_link_spark.py``.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from jangkau.linkage.engine import spark
from jangkau.linkage.engine.link import link_list
from jangkau.linkage.engine.options import LinkOptions
from jangkau.linkage.errors import SparkUnavailable
from jangkau.linkage.lists.validate import ValidatedList


@pytest.mark.parametrize("master", ["local[x]", "local[0]", "spark://", "spark://host", "http://host:7077", "loca"])
def test_a_malformed_master_url_is_refused_with_the_forms_that_work(master: str) -> None:
    with pytest.raises(SparkUnavailable) as refused:
        spark.check_available(master)
    assert refused.value.code == "spark_master_invalid"
    assert "local[*]" in refused.value.message
    assert "spark://HOST:PORT" in refused.value.message


@pytest.mark.parametrize("master", ["local", "local[*]", "local[2]", "local[4,2]", "spark://a:7077,b:7077", "yarn"])
def test_well_formed_master_urls_pass_the_form_check(master: str) -> None:
    assert spark.MASTER_FORMS.match(master)


def test_pyspark_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = spark.importlib.util.find_spec
    monkeypatch.setattr(spark.importlib.util, "find_spec", lambda name: None if name == "pyspark" else real(name))
    with pytest.raises(SparkUnavailable) as refused:
        spark.check_available()
    assert refused.value.code == "spark_not_installed"
    assert "pip install 'jangkau[spark]'" in refused.value.message
    assert refused.value.http_status == 503


def test_java_missing_or_too_old_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(spark.importlib.util, "find_spec", lambda _name: object())
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SparkUnavailable) as refused:
        spark.check_available()
    assert refused.value.code == "java_not_found"
    assert "no java on PATH" in refused.value.message
    assert "openjdk-17" in refused.value.message

    old = tmp_path / "jdk11" / "bin"
    old.mkdir(parents=True)
    (old / "java").write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n", encoding="utf-8")
    (old / "java").chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(old.parent))
    with pytest.raises(SparkUnavailable) as refused:
        spark.check_available()
    assert "is Java 11" in refused.value.message


def test_a_standalone_master_that_does_not_answer_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark, "_check_java", lambda: None)
    monkeypatch.setattr(spark.importlib.util, "find_spec", lambda _name: object())
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SparkUnavailable) as refused:
        spark.check_available(f"spark://127.0.0.1:{port}")
    assert refused.value.code == "spark_master_unreachable"
    assert f"spark://127.0.0.1:{port} does not answer" in refused.value.message


def test_link_list_with_the_spark_engine_refuses_before_reading_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark.importlib.util, "find_spec", lambda _name: None)
    with pytest.raises(SparkUnavailable):
        link_list(ValidatedList.__new__(ValidatedList), "nowhere.parquet", LinkOptions(engine="spark"))
