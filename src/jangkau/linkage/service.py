"""Use cases on files: link a list file to a register, find duplicates in a list, and write the results.

``DIR/links.csv`` (``row_id, person_id, match_probability, decision``: exactly one row per linkable list
row), ``DIR/rejected.csv`` (every rejected row with its reason and raw values), ``DIR/issues.csv`` (every
warning) and ``DIR/summary.json`` (counts, timings per phase, candidate pairs).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from jangkau.linkage.engine.dedupe import dedupe_list
from jangkau.linkage.engine.link import LinkResult, Phase, link_list
from jangkau.linkage.engine.options import LinkOptions
from jangkau.linkage.engine.register import RegisterSource
from jangkau.linkage.lists.columns import LIST_SCHEMA
from jangkau.linkage.lists.read import ColumnMapping, arrow_to_csv, write_csv
from jangkau.linkage.lists.validate import ValidatedList, load_list

DB_REGISTER = "db"


def resolve_register(text: str) -> Path | None:
    """Turn the ``--register`` argument into a file path, or ``None`` for the database register (``db``)."""
    if text.strip().lower() == DB_REGISTER:
        return None
    return Path(text)


def write_issues(out_dir: Path, validated: ValidatedList) -> None:
    """Write ``rejected.csv`` (every rejected row, its reason and raw values) and ``issues.csv`` (warnings)."""
    raw_cols = [c for c in LIST_SCHEMA.names if c not in ("row_id", "line")]
    write_csv(
        out_dir / "rejected.csv",
        ["line", "row_id", "reason", *raw_cols],
        [[r.get("line"), r.get("row_id"), r.get("reason"), *(r.get(c, "") for c in raw_cols)]
         for r in validated.rejected_rows],
    )  # fmt: skip
    write_csv(
        out_dir / "issues.csv",
        ["line", "row_id", "severity", "field", "reason"],
        [[i.line, i.row_id, i.severity, i.field, i.reason] for i in validated.issues],
    )


def link_files(
    list_path: Path,
    register: RegisterSource,
    out_dir: Path,
    options: LinkOptions | None = None,
    mapping: ColumnMapping | None = None,
    on_phase: Phase | None = None,
) -> dict[str, Any]:
    """Read and check a list, link it to the register and write links, rejected rows, issues and summary.

    Args:
        list_path: the list file.
        register: a register file path, or an Arrow table / DuckDB relation of the register.
        out_dir: the output directory (created).
        options: thresholds and resources.
        mapping: the list's column mapping.
        on_phase: called with each phase's name (for progress).

    Returns:
        The summary (also written to ``summary.json``).

    Raises:
        InvalidInput: the list or the register cannot be used (see the messages).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if on_phase:
        on_phase("read_list")
    validated = load_list(list_path, mapping)
    read_seconds = round(time.perf_counter() - start, 3)
    write_issues(out_dir, validated)
    result = link_list(validated, register, options, on_phase)
    arrow_to_csv(out_dir / "links.csv", result.links)
    summary = _finish(result, read_seconds, start)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def dedupe_files(
    list_path: Path, out_dir: Path, options: LinkOptions | None = None, mapping: ColumnMapping | None = None
) -> dict[str, Any]:
    """Find duplicates within a list file; write ``clusters.csv`` (row_id, cluster_id) and ``summary.json``.

    Args:
        list_path: the list file.
        out_dir: the output directory (created).
        options: thresholds and resources.
        mapping: the list's column mapping.

    Returns:
        The summary.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    validated = load_list(list_path, mapping)
    read_seconds = round(time.perf_counter() - start, 3)
    write_issues(out_dir, validated)
    result = dedupe_list(validated, options)
    arrow_to_csv(out_dir / "clusters.csv", result.links)
    summary = _finish(result, read_seconds, start)
    summary["rejected_rows"] = validated.n_rejected
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _finish(result: LinkResult, read_seconds: float, start: float) -> dict[str, Any]:
    summary = dict(result.summary)
    summary["timings_s"] = {"read_list": read_seconds, **summary.get("timings_s", {})}
    summary["timings_s"]["total"] = round(time.perf_counter() - start, 3)
    return summary
