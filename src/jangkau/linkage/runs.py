"""Link a stored list to the database register and keep one decision per list row (and duplicate clusters).

The register is read from the database in the caller's scope (the CLI operator sees everything) as Arrow
record batches from a streamed core select, then linked by the same engine as files (:func:`link_list`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import update
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.db.base import utcnow
from jangkau.errors import JangkauError
from jangkau.linkage import repository as repo
from jangkau.linkage.engine.dedupe import dedupe_list
from jangkau.linkage.engine.link import MATCH, NO_MATCH, LinkResult, Phase, link_list
from jangkau.linkage.engine.options import LinkOptions
from jangkau.linkage.errors import RunFailed
from jangkau.linkage.imports import import_list, stored_validated, visible_list
from jangkau.linkage.lists.read import ColumnMapping, arrow_to_csv
from jangkau.linkage.lists.validate import ValidatedList
from jangkau.linkage.models import LinkageList, LinkageRun

Units = Callable[[], AbstractContextManager[Session]]
VERDICT_DECISION = {"accepted": MATCH, "rejected": NO_MATCH}
logger = logging.getLogger(__name__)


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
    from jangkau.linkage.engine.link import _with_rejected

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


RUN_INTERRUPTED = "interrupted: the process stopped before the run finished (it can be run again)"
RUN_PHASES = ("read_list", "load_register", "normalise_list", "normalise_prefilter_register", "predict", "decide",
              "dedupe", "store")  # fmt: skip


def run_view(run: LinkageRun | None) -> dict[str, Any] | None:
    """The state of a run as the list page and the API show it."""
    if run is None:
        return None
    return {"run_id": run.id, "state": run.state, "phase": run.phase, "started_by": run.started_by,
            "started_at": run.started_at, "finished_at": run.finished_at, "error": run.error}  # fmt: skip


def run_failed(run: dict[str, Any]) -> JangkauError:
    """The error that reports a failed run (HTTP 500: the engine or the store broke, not the caller's input)."""
    return RunFailed(run["phase"], run["error"])


def _start_run(session: Session, list_id: int, username: str) -> LinkageRun:
    """Record a new run; a run left ``running`` by a process that stopped midway is marked failed first."""
    now = utcnow()
    for stale in repo.unfinished_runs(session, list_id):
        stale.state, stale.finished_at, stale.error = "failed", now, RUN_INTERRUPTED
    run = LinkageRun(list_id=list_id, state="running", phase="", started_by=username, started_at=now)
    repo.add(session, run)
    return run


def run_list(
    session: Session,
    principal: Principal,
    list_id: int,
    options: LinkOptions | None = None,
    out_dir: Path | None = None,
    on_phase: Phase | None = None,
) -> dict[str, Any]:
    """Link a stored list to the persons in the caller's scope and store one decision per row.

    The run is recorded (``linkage_run``: running, then done or failed, with the phase reached).  A rerun
    replaces the engine's decisions in the caller's transaction; a reviewer's verdict is kept when the rerun
    proposes the same person for the row.  When the engine or the store fails, everything the run wrote is
    rolled back to a savepoint (the list keeps its previous decisions, or none) and the run is marked
    ``failed`` with the reason; the summary then has only ``list_id`` and ``run``, so that the caller can
    commit the failed state and report it.

    Args:
        session: the caller's transaction.
        principal: whose scope bounds the register.
        list_id: the imported list.
        options: thresholds and resources.
        out_dir: also write ``links.csv``, ``rejected.csv``, ``issues.csv`` and ``summary.json`` there.
        on_phase: progress callback (phase names in ``RUN_PHASES``).

    Returns:
        The run summary: counts per decision, duplicate clusters, register size, timings, and ``run`` (the
        run's state; ``failed`` with ``error`` when it did not finish).

    Raises:
        NotFound: no such list in the caller's area.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    listing, source = visible_list(session, principal, list_id)
    run = _start_run(session, list_id, principal.username)
    reached = [""]

    def phase(name: str) -> None:
        reached[0] = name
        if on_phase:
            on_phase(name)

    try:
        with session.begin_nested():
            summary = _link_and_store(session, principal, listing, source.name, options or LinkOptions(), phase)
    except Exception as exc:  # any failure of the engine or the store: nothing of this run is kept
        logger.exception("linkage run %s of list %s failed in phase %s", run.id, list_id, reached[0])
        run.state, run.phase, run.finished_at = "failed", reached[0], utcnow()
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        session.flush()
        return {"list_id": list_id, "run": run_view(run)}
    run.state, run.phase, run.finished_at = "done", reached[0], utcnow()
    session.flush()
    summary["run"] = run_view(run)
    validated, result = summary.pop("_validated"), summary.pop("_result")
    if out_dir is not None:
        _write(out_dir, validated, result, summary)
    return summary


def _link_and_store(
    session: Session, principal: Principal, listing: LinkageList, source_name: str, options: LinkOptions,
    phase: Phase,
) -> dict[str, Any]:  # fmt: skip
    phase("read_list")
    validated = stored_validated(session, listing)
    register = register_table(session, principal.scope)
    linked = _compute(validated, register, options, phase)
    return _store(session, principal, listing, source_name, linked, phase)


def _compute(validated: ValidatedList, register: pa.Table, options: LinkOptions, phase: Phase) -> Linked:
    """The engine's part of a run (no database): links and within-list duplicate clusters."""
    result = link_list(validated, register, options, phase) if register.num_rows else _no_register(validated)
    phase("dedupe")
    return Linked(validated, result, _clusters(validated, options))


def _store(
    session: Session, principal: Principal, listing: LinkageList, source_name: str, linked: Linked, phase: Phase
) -> dict[str, Any]:
    list_id, result, clusters = listing.id, linked.result, linked.clusters
    phase("store")
    repo.replace_decisions(session, list_id, _decision_rows(session, list_id, result.links, clusters))
    sizes: dict[str, int] = {}
    for cluster in clusters.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    summary = {"list_id": list_id, "source": source_name, "version": listing.version, **result.summary,
               "duplicate_clusters": sum(1 for n in sizes.values() if n > 1),
               "rows_in_duplicate_clusters": sum(n for n in sizes.values() if n > 1)}  # fmt: skip
    listing.status, listing.linked_at, listing.linked_by = "linked", utcnow(), principal.username
    listing.summary_json = json.dumps(summary, default=str)
    session.flush()
    counts = {"decisions": summary.get("decisions"), "register_rows": summary.get("register_rows")}
    audit.record(session, principal, "link", "linkage_list", list_id, region_code=listing.scope_code or None,
                 after=counts)  # fmt: skip
    return {**summary, "_validated": linked.validated, "_result": result}


@dataclass(frozen=True)
class Linked:
    """What the engine made of a list, before it is stored."""

    validated: ValidatedList
    result: LinkResult
    clusters: dict[str, str]


def run_in_steps(
    units: Units, principal: Principal, list_id: int, on_phase: Phase | None = None, options: LinkOptions | None = None
) -> dict[str, Any]:
    """:func:`run_list` for a worker: short transactions around the engine instead of one long one.

    The run is recorded ``running`` at once (the list page shows it and its phase), the list and the register are
    read in one transaction, the engine runs outside any transaction, and the decisions are stored in a last one.
    So a long run holds no lock while it computes (on SQLite a transaction holds the write lock: pages would wait),
    and a worker killed mid-way leaves a ``running`` run that the next run marks interrupted; no decision of a
    killed run is kept.

    Raises:
        NotFound: no such list in the caller's area.
    """
    principal.require(Permission.LINKAGE_IMPORT)
    with units() as session:
        visible_list(session, principal, list_id)
        run_id = _start_run(session, list_id, principal.username).id
    reached = [""]

    def phase(name: str) -> None:
        reached[0] = name
        with units() as session:
            session.execute(update(LinkageRun).where(LinkageRun.id == run_id).values(phase=name))
        if on_phase:
            on_phase(name)

    try:
        phase("read_list")  # each phase is its own short transaction: never inside another one (SQLite would wait)
        with units() as session:
            listing, source = visible_list(session, principal, list_id)
            validated = stored_validated(session, listing)
            register = register_table(session, principal.scope)
        linked = _compute(validated, register, options or LinkOptions(), phase)
        phase("store")
        with units() as session:
            listing, source = visible_list(session, principal, list_id)
            summary = _store(session, principal, listing, source.name, linked, lambda _name: None)
            run = session.get_one(LinkageRun, run_id)
            run.state, run.phase, run.finished_at = "done", reached[0], utcnow()
            session.flush()
            summary["run"] = run_view(run)
    except Exception as exc:  # the engine or the store broke: nothing of this run is kept, the run says why
        logger.error("linkage run %s of list %s failed in phase %s: %s", run_id, list_id, reached[0],
                     type(exc).__name__)  # fmt: skip
        with units() as session:
            run = session.get_one(LinkageRun, run_id)
            run.state, run.phase, run.finished_at = "failed", reached[0], utcnow()
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            session.flush()
            return {"list_id": list_id, "run": run_view(run)}
    summary.pop("_validated"), summary.pop("_result")
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
