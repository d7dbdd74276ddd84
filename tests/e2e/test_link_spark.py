"""`jangkau link run --engine spark` decides like `--engine duckdb`: the same list against the same register gives
the same decision for every record, the same outcome and the same prospect list (Spark in local mode)."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import run_cli
from tests.spark_support import TEST_MASTER, need_spark

pytestmark = pytest.mark.slow


def _list_csv(db: Path, path: Path) -> Path:
    """40 registered persons written as lists write them (mistyped or missing NIKs, other spellings), 6 strangers
    in known villages and one empty row."""
    with sqlite3.connect(db) as con:
        persons = con.execute(
            "SELECT nik, full_name, birth_date, sex, village_code FROM person WHERE village_code LIKE '12.71.%' "
            "ORDER BY id LIMIT 40"
        ).fetchall()
        villages = [v for (v,) in con.execute("SELECT DISTINCT village_code FROM person ORDER BY 1 LIMIT 6")]
    rows = ["row_id,nik,name,birth_date,sex,village_code"]
    for i, (nik, name, born, sex, village) in enumerate(persons):
        if i % 4 == 1:
            nik = nik[:-1] + ("1" if nik[-1] != "1" else "2")  # one digit off
        elif i % 4 == 2:
            nik = ""
        if i % 3 == 0:
            name = name.title()
        rows.append(f"r{i},{nik},{name},{born},{sex},{village}")
    strangers = ["Rina Marlina Sitorus", "Bonar Tua Simanjuntak", "Siti Aminah Lubis", "Darwin Saragih",
                 "Nur Hasanah Batubara", "Joko Susilo"]  # fmt: skip
    for i, (name, village) in enumerate(zip(strangers, villages, strict=True)):
        rows.append(f"s{i},,{name},199{i}-0{i + 1}-1{i},{'P' if i % 2 else 'L'},{village}")
    rows.append("e1,,,,,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _run(env: dict[str, str], listed: Path, out: Path, *engine: str) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    result = run_cli("link", "run", "--list", str(listed), "--register", "db", "--source", "Kepling spark",
                     "--out", str(out), *engine, "--json", env=env)  # fmt: skip
    return json.loads(result.stdout), time.perf_counter() - start


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _prospects(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT person_id, nik, full_name, village_code, source, source_ref, status FROM outreach_prospect "
            "WHERE source_ref LIKE 'linkage:%' ORDER BY source_ref"
        ).fetchall()


def test_spark_engine_decides_like_duckdb_per_record_with_the_same_prospects(
    city_env: dict[str, str], tmp_path: Path
) -> None:
    need_spark()
    envs = {}
    for engine in ("duckdb", "spark"):  # one copy of the city each: the same register, the same list ids
        (tmp_path / engine).mkdir()
        shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", tmp_path / engine / "jangkau.db")
        envs[engine] = {**city_env, "JANGKAU_VAR_DIR": str(tmp_path / engine)}
    listed = _list_csv(tmp_path / "duckdb" / "jangkau.db", tmp_path / "kepling.csv")

    on_duckdb, _ = _run(envs["duckdb"], listed, tmp_path / "duckdb" / "out")
    spark_flags = ("--engine", "spark", "--spark-master", TEST_MASTER, "--spark-driver-memory", "1g")
    on_spark, spark_s = _run(envs["spark"], listed, tmp_path / "spark" / "out", *spark_flags)

    assert on_spark["options"]["engine"] == "spark"
    assert on_duckdb["options"]["engine"] == "duckdb"
    assert on_spark["decisions"] == on_duckdb["decisions"]
    assert on_duckdb["decisions"]["match"] >= 30
    assert on_duckdb["decisions"]["no_match"] >= 5
    assert on_spark["candidate_pairs"] == on_duckdb["candidate_pairs"]
    duck_links, spark_links = (_rows(tmp_path / e / "out" / "links.csv") for e in ("duckdb", "spark"))
    assert len(duck_links) == 47
    assert [(r["row_id"], r["person_id"], r["decision"]) for r in spark_links] == [
        (r["row_id"], r["person_id"], r["decision"]) for r in duck_links
    ]
    for a, b in zip(spark_links, duck_links, strict=True):
        assert float(a["match_probability"]) == pytest.approx(float(b["match_probability"]), abs=1e-6)

    list_id = str(on_duckdb["list_id"])
    assert str(on_spark["list_id"]) == list_id
    outcomes = {}
    for engine, env in envs.items():
        out = str(tmp_path / engine / "o.csv")
        answer = run_cli("link", "outcome", "--list-id", list_id, "--prospects", "--out", out, "--json", env=env)
        outcomes[engine] = json.loads(answer.stdout)
    assert outcomes["spark"] == outcomes["duckdb"]
    assert outcomes["duckdb"]["outcome not_registered"] >= 6
    assert (tmp_path / "spark" / "o.csv").read_text("utf-8") == (tmp_path / "duckdb" / "o.csv").read_text("utf-8")
    assert _prospects(tmp_path / "spark" / "jangkau.db") == _prospects(tmp_path / "duckdb" / "jangkau.db") != []
    print(f"spark CLI run: {spark_s:.1f} s")  # noqa: T201  (the time is measured, not asserted)


def test_spark_engine_with_a_master_that_does_not_answer_exits_2_and_stores_nothing(
    city_env: dict[str, str], tmp_path: Path
) -> None:
    need_spark()
    listed = tmp_path / "one.csv"
    listed.write_text("row_id,nik,name,birth_date,sex,village_code\nr1,,Rina,2001-02-03,P,12.71.01.1001\n", "utf-8")
    flags = ("--engine", "spark", "--spark-master", "spark://127.0.0.1:9")
    result = run_cli("link", "run", "--list", str(listed), "--register", "db", "--source", "Never stored", *flags,
                     env=city_env, check=False)  # fmt: skip
    assert result.returncode == 2
    assert "does not answer" in result.stderr
    assert "7077" in result.stderr
    with sqlite3.connect(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db") as con:
        assert con.execute("SELECT count(*) FROM linkage_source WHERE name = 'Never stored'").fetchone() == (0,)
