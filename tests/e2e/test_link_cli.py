"""`jangkau link` as a user runs it: seeded synthetic data, a subprocess, and the files it writes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

JANGKAU = Path(sys.executable).parent / "jangkau"


def jangkau(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([str(JANGKAU), *args], capture_output=True, text=True, timeout=300, check=False, env=env)


@pytest.fixture(scope="module")
def ci_tier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CI tier: 20,000 registered persons, a 2,000-row CSV list with realistic errors."""
    out = tmp_path_factory.mktemp("tier")
    result = jangkau("link", "synth", "--out", str(out), "--register-rows", "20000", "--list-rows", "2000",
                     "--seed", "11", "--csv")  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def test_link_run_writes_one_link_per_list_row_with_high_f1(ci_tier: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = jangkau("link", "run", "--list", str(ci_tier / "list.csv"), "--register",
                     str(ci_tier / "register.parquet"), "--out", str(out), "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    with (out / "links.csv").open(encoding="utf-8") as handle:
        links = list(csv.DictReader(handle))
    assert list(links[0]) == ["row_id", "person_id", "match_probability", "decision"]
    assert len(links) == 2000
    assert len({row["row_id"] for row in links}) == 2000
    assert {row["decision"] for row in links} <= {"match", "review", "no_match", "rejected"}
    assert summary["decisions"]["match"] == sum(1 for row in links if row["decision"] == "match")
    assert summary["candidate_pairs"] > 0
    assert set(summary["timings_s"]) >= {"read_list", "normalise_list", "predict", "total"}

    truth = {r["row_id"]: r["true_person_id"] for r in pq.read_table(ci_tier / "truth.parquet").to_pylist()}
    matched = {row["row_id"]: row["person_id"] for row in links if row["decision"] == "match"}
    true_pos = sum(1 for rid, pid in matched.items() if truth[rid] is not None and str(truth[rid]) == pid)
    precision = true_pos / len(matched)
    recall = true_pos / sum(1 for t in truth.values() if t is not None)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95, (precision, recall)


def test_link_dedupe_writes_clusters(ci_tier: Path, tmp_path: Path) -> None:
    out = tmp_path / "dedupe"
    result = jangkau("link", "dedupe", "--list", str(ci_tier / "list.csv"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    with (out / "clusters.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["row_id", "cluster_id"]
    truth = {r["row_id"]: r["true_entity_id"] for r in pq.read_table(ci_tier / "truth.parquet").to_pylist()}
    clusters: dict[str, set[str]] = {}
    for row in rows:
        clusters.setdefault(row["cluster_id"], set()).add(truth[row["row_id"]])
    merged = [c for c in clusters.values() if len(c) > 1]
    assert len(clusters) < len(rows), "the seeded list has duplicates; none were found"
    assert len(merged) <= 2, f"clusters mixing different persons: {merged}"


def test_bad_list_exits_2_with_a_bilingual_message(tmp_path: Path, ci_tier: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("nik,name\n3515140508680001,Budi\n", encoding="utf-8")
    result = jangkau("link", "run", "--list", str(bad), "--register", str(ci_tier / "register.parquet"),
                     "--out", str(tmp_path / "o"))  # fmt: skip
    assert result.returncode == 2
    assert "birth_date" in result.stderr
    assert "Galat" in result.stderr


def test_register_db_needs_a_list_file_or_an_imported_list(tmp_path: Path) -> None:
    result = jangkau("link", "run", "--register", "db", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "--list or --list-id" in result.stderr
