"""Link a stored list to the database register and keep one decision per list row (and duplicate clusters).

The register is read from the database in the caller's scope (the CLI operator sees everything) as Arrow
record batches from a streamed core select, then linked by the same engine as files (:func:`link_list`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.db.base import utcnow
from jangkau.linkage import repository as repo
from jangkau.linkage.dedupe import dedupe_list
from jangkau.linkage.engine import MATCH, NO_MATCH, LinkOptions, LinkResult, Phase, link_list
from jangkau.linkage.imports import import_list, stored_validated, visible_list
from jangkau.linkage.listfile import ColumnMapping, arrow_to_csv
from jangkau.linkage.validate import ValidatedList

VERDICT_DECISION = {"accepted": MATCH, "rejected": NO_MATCH}


def register_table(session: Session, scope: tuple[str, ...]) -> pa.Table:
    """The persons in ``scope`` as an Arrow table (person_id, nik, name, birth_date, sex, village_code)."""
    batches = list(repo.register_batches(session, scope))
    return pa.Table.from_batches(batches, schema=repo.REGISTER_SCHEMA)


def _clusters(validated: ValidatedList, options: LinkOptions) -> dict[str, str]:
    if validated.table.num_rows < 2:
        return {}
    result = dedupe_list(validated, options)
    return dict(zip(result.links.column("row_id").to_pylist(), result.links.column("cluster_id").to_pylist(),
                    strict=True))  # fmt: skip


def _no_register(validated: ValidatedList) -> LinkResult:
    """Every row is ``no_match`` when no person is in scope (the engine needs a non-empty register)."""
    from jangkau.linkage.engine import _with_rejected

    ids = validated.table.column("row_id").to_pylist()
    links = pa.table({"row_id": pa.array(ids, pa.string()), "person_id": pa.array([None] * len(ids), pa.string()),
                      "match_probability": pa.array([0.0] * len(ids)), "decision": [NO_MATCH] * len(ids)})  # fmt: skip
    links = _with_rejected(links, validated)
    counts = {d: links.column("decision").to_pylist().count(d) for d in (MATCH, "review", NO_MATCH, "rejected")}
    return LinkResult(links, {"register_rows": 0, "decisions": counts, "list_rows_kept": len(ids)})


def _decision_rows(session: Session, list_id: int, links: pa.Table, clusters: dict[str, str]) -> list[dict[str, Any]]:
    pks = repo.row_ids(session, list_id)
    reviewed = repo.reviewed_decisions(session, list_id)
    rows: list[dict[str, Any]] = []
    for link in links.to_pylist():
        pk = pks[link["row_id"]]
        person = int(link["person_id"]) if link["person_id"] is not None else None
        row = {"list_id": list_id, "row_pk": pk, "person_id": person, "match_probability": link["match_probability"],
               "engine_decision": link["decision"], "decision": link["decision"],
               "cluster_id": clusters.get(link["row_id"]), "verdict": None, "reviewed_by": None,
               "reviewed_at": None}  # fmt: skip
        kept = reviewed.get(pk)
        if kept is not None and kept[0] == person:  # a person already looked at this same pair: keep the verdict
            verdict, by, at = str(kept[1]), kept[2], kept[3]
            row.update(decision=VERDICT_DECISION[verdict], verdict=verdict, reviewed_by=by, reviewed_at=at)
        rows.append(row)
    return rows


def run_list(
    session: Session,
    principal: Principal,
    list_id: int,
    options: LinkOptions | None = None,
    out_dir: Path | None = None,
    on_phase: Phase | None = None,
) -> dict[str, Any]:
    """Link a stored list to the persons in the caller's scope and store one decision per row.

    A rerun replaces the engine's decisions; a reviewer's verdict is kept when the rerun proposes the same
    person for the row.

    Args:
        session: the caller's transaction.
        principal: whose scope bounds the register.
        list_id: the imported list.
        options: thresholds and resources.
        out_dir: also write ``links.csv``, ``rejected.csv``, ``issues.csv`` and ``summary.json`` there.
        on_phase: progress callback.

    Returns:
        The run summary: counts per decision, duplicate clusters, register size, timings.

    Raises:
        NotFound: no such list in the caller's area.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    listing, source = visible_list(session, principal, list_id)
    options = options or LinkOptions()
    validated = stored_validated(session, listing)
    register = register_table(session, principal.scope)
    result = link_list(validated, register, options, on_phase) if register.num_rows else _no_register(validated)
    clusters = _clusters(validated, options)
    repo.replace_decisions(session, list_id, _decision_rows(session, list_id, result.links, clusters))
    sizes: dict[str, int] = {}
    for cluster in clusters.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    summary = {"list_id": list_id, "source": source.name, "version": listing.version, **result.summary,
               "duplicate_clusters": sum(1 for n in sizes.values() if n > 1),
               "rows_in_duplicate_clusters": sum(n for n in sizes.values() if n > 1)}  # fmt: skip
    listing.status, listing.linked_at, listing.linked_by = "linked", utcnow(), principal.username
    listing.summary_json = json.dumps(summary, default=str)
    session.flush()
    counts = {"decisions": summary.get("decisions"), "register_rows": summary.get("register_rows")}
    audit.record(session, principal, "link", "linkage_list", list_id, region_code=listing.scope_code or None,
                 after=counts)  # fmt: skip
    if out_dir is not None:
        _write(out_dir, validated, result, summary)
    return summary


def _write(out_dir: Path, validated: ValidatedList, result: LinkResult, summary: dict[str, Any]) -> None:
    from jangkau.linkage.service import write_issues

    out_dir.mkdir(parents=True, exist_ok=True)
    write_issues(out_dir, validated)
    arrow_to_csv(out_dir / "links.csv", result.links)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")


def import_and_run(
    session: Session,
    principal: Principal,
    path: Path,
    source_name: str,
    mapping: ColumnMapping | None = None,
    options: LinkOptions | None = None,
    out_dir: Path | None = None,
    on_phase: Phase | None = None,
) -> dict[str, Any]:
    """Import a list file as a new version of ``source_name`` and link it to the database register.

    Returns:
        The run summary with the new ``list_id``.

    Raises:
        InvalidInput: the file cannot be used (nothing is stored).
    """
    imported = import_list(session, principal, path, source_name, mapping)
    return run_list(session, principal, int(imported["list_id"]), options, out_dir, on_phase)
