"""Batch jobs of reporting: the full rebuild (resumable) and the refresh step that drains the outbox of dirty
villages and months.

The rebuild reads the register once into DuckDB and aggregates every membership-month of the window there. On
PostgreSQL it loads the summary and rollup rows into unindexed staging tables, indexes them, and swaps them in with
one short transaction (phases checkpointed in ``job_checkpoint``: a crash leaves the live tables untouched, a rerun
after the staging was indexed only swaps). On SQLite it replaces one province per committed step, each with its
checkpoint, and sums the country at the end. Both then rebuild the outreach summary and campaign progress.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.db import outbox
from jangkau.db.base import utcnow
from jangkau.db.checkpoint import get_checkpoint, save_checkpoint
from jangkau.kit.months import Month
from jangkau.regions.models import Region
from jangkau.reporting import repository as repo
from jangkau.reporting.models import RefreshRun
from jangkau.reporting.repository import outreach as outreach_sql
from jangkau.reporting.repository import summary as sql
from jangkau.reporting.repository.summary import CODE_LENGTH, COUNTRY, Window

REBUILD_JOB = "reporting.rebuild"
DUCKDB_THREADS = 2
DUCKDB_MEMORY = "4GB"
EXTRACT_PARALLEL = 2  # PostgreSQL connections copying the sources out at once (one snapshot)
LOAD_PARALLEL = 2  # connections loading / indexing the staging tables at once

Units = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int, int], None]


@dataclass
class RunResult:
    """What a rebuild or refresh did."""

    kind: str
    first: Month
    last: Month
    steps: int = 0
    resumed_from: int = 0
    source_rows: dict[str, int] = field(default_factory=dict)
    summary_rows: int = 0
    rows_written: int = 0
    villages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "first_month": str(self.first),
            "last_month": str(self.last),
            "steps": self.steps,
            "resumed_from": self.resumed_from,
            "source_rows": self.source_rows,
            "summary_rows": self.summary_rows,
            "rows_written": self.rows_written,
            "villages": self.villages,
            "seconds": self.seconds,
        }


def _duckdb() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET threads = {DUCKDB_THREADS}")
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    return con


def _timer() -> Callable[[], float]:
    start = dt.datetime.now(dt.UTC)
    return lambda: round((dt.datetime.now(dt.UTC) - start).total_seconds(), 3)


def rebuild(
    units: Units,
    first: Month,
    last: Month,
    on_progress: Progress | None = None,
    today: dt.date | None = None,
) -> RunResult:
    """Recompute every summary and rollup row of months ``first``..``last`` from the register and the ledger, and
    the outreach summary and campaign progress of those months.

    PostgreSQL builds the new tables aside (unindexed staging tables, loaded with ``COPY``, indexed after) and
    swaps them in with one short transaction, so readers never see a half-built country; SQLite (the laptop case)
    replaces one province per committed step.

    Args:
        units: opens one transaction (``jangkau.db.session.unit``).
        first: first month of the window.
        last: last month of the window (not after the current month: the caller checks).
        on_progress: called with (steps done, steps in all) after each step.
        today: the day campaign progress is counted to (default: today).

    Returns:
        Rows read and written, steps, where a resumed run started, and the time of each phase.

    Raises:
        Conflict: another rebuild is running (PostgreSQL; it holds ``repository.REBUILD_LOCK``).
    """
    with units() as session:
        bind = session.get_bind()
    with repo.rebuild_lock(bind):
        return _rebuild(units, first, last, on_progress, today)


def _rebuild(units: Units, first: Month, last: Month, on_progress: Progress | None, today: dt.date | None) -> RunResult:
    key = f"{first}:{last}"
    result = RunResult("rebuild", first, last)
    with units() as session:
        staged = session.get_bind().dialect.name == "postgresql"
        provinces = list(session.scalars(select(Region.code).where(Region.level == 1).order_by(Region.code)))
        total = len(STAGED_PHASES) if staged else len(provinces)
        checkpoint = get_checkpoint(session, REBUILD_JOB, key)
        if checkpoint is not None and checkpoint.state == "running" and checkpoint.note:
            note = json.loads(checkpoint.note)
            result.resumed_from, run_id, started = checkpoint.units_done, int(note["run"]), note["started"]
            if note.get("staged", False) != staged or checkpoint.units_total != total:
                result.resumed_from = 0
        else:
            started = utcnow().isoformat()
            run_id = repo.start_run(session, "rebuild", first.first_day(), last.first_day()).id
        save_checkpoint(session, REBUILD_JOB, key, result.resumed_from, total)
        saved = get_checkpoint(session, REBUILD_JOB, key)
        assert saved is not None
        saved.note = json.dumps({"run": run_id, "started": started, "staged": staged})
    result.steps = total
    if staged:
        _rebuild_staged(units, key, result, on_progress)
    else:
        _rebuild_by_province(units, key, provinces, result, on_progress)
    elapsed = _timer()
    with units() as session:
        if not staged:
            repo.rebuild_rollups(session, 0, [COUNTRY], first.first_day(), last.first_day())
        result.source_rows["outreach"] = outreach_sql.rebuild_outreach(session, first, last)
        campaigns = outreach_sql.campaigns_touching(session, first, last, None)
        result.source_rows["campaign_rows"] = outreach_sql.rebuild_campaigns(
            session, campaigns, today or dt.date.today()
        )
        if staged:  # last, so the exclusive locks of the swap are held only until the commit just after
            sql.swap_stage(session)
        else:  # staging tables were analysed before the swap
            repo.analyze(session)
        outbox.clear_until(session, dt.datetime.fromisoformat(started))
        repo.finish_run(session, run_id, result.rows_written)
        save_checkpoint(session, REBUILD_JOB, key, total, total, "done")
    result.seconds["swap" if staged else "country"] = elapsed()
    return result


# PostgreSQL rebuild phases (the resumable units): 1 = staging tables loaded and indexed; 2 = swapped in
STAGED_PHASES = ("staged", "swapped")


def _rebuild_staged(units: Units, key: str, result: RunResult, on_progress: Progress | None) -> None:
    """Extract, aggregate, load and index the staging tables (one resumable unit: a crash leaves the live tables
    untouched and a rerun starts the staging over); the caller swaps them in."""
    first, last = result.first, result.last
    if result.resumed_from >= 1:
        with units() as session:
            if sql.stage_exists(session):
                return
        result.resumed_from = 0
    con = _duckdb()
    try:
        with tempfile.TemporaryDirectory(prefix="jangkau-rebuild-") as tmp:
            with units() as session:
                # a job step inside an outer transaction (tests) cannot share its rows with other connections
                parallel = 1 if session.in_nested_transaction() else EXTRACT_PARALLEL
                elapsed = _timer()
                result.source_rows = sql.extract(session, con, Window(first, last), Path(tmp), parallel)
                result.seconds["extract"] = elapsed()
            elapsed = _timer()
            result.summary_rows = sql.aggregate(con, Window(first, last))
            result.seconds["aggregate"] = elapsed()
            with units() as session:
                elapsed = _timer()
                result.source_rows["kept_outside_window"] = sql.create_stage(session, first, last)
            with units() as session:
                parallel = 1 if session.in_nested_transaction() else LOAD_PARALLEL
                result.rows_written = sql.load_stage(session, con, Path(tmp), parallel)
                result.seconds["load"] = elapsed()
    finally:
        con.close()
    with units() as session:
        elapsed = _timer()
        sql.index_stage(session, 1 if session.in_nested_transaction() else LOAD_PARALLEL)
        save_checkpoint(session, REBUILD_JOB, key, 1, len(STAGED_PHASES))
        result.seconds["index"] = elapsed()
    if on_progress:
        on_progress(1, len(STAGED_PHASES))


def _rebuild_by_province(
    units: Units, key: str, provinces: list[str], result: RunResult, on_progress: Progress | None
) -> None:
    """Replace one province per committed step with its checkpoint; a crashed rebuild resumes after the last one."""
    first, last = result.first, result.last
    con = _duckdb()
    try:
        with tempfile.TemporaryDirectory(prefix="jangkau-rebuild-") as tmp, units() as session:
            elapsed = _timer()
            result.source_rows = sql.extract(session, con, Window(first, last), Path(tmp))
            result.seconds["extract"] = elapsed()
        elapsed = _timer()
        result.summary_rows = sql.aggregate(con, Window(first, last))
        result.seconds["aggregate"] = elapsed()
        elapsed = _timer()
        with units() as session:
            busy = sql.provinces_with_rows(con) | repo.provinces_summarised(session)
        for index in range(result.resumed_from, len(provinces)):
            if provinces[index] in busy:  # a province with nothing now and nothing before needs no step
                with units() as session:
                    repo.delete_summaries(session, provinces[index], first.first_day(), last.first_day())
                    where = f"village_code LIKE '{provinces[index]}.%'"
                    result.rows_written += sql.load(session, con, where, (1, 2, 3, 4))
                    save_checkpoint(session, REBUILD_JOB, key, index + 1, len(provinces))
            if on_progress:
                on_progress(index + 1, len(provinces))
        result.seconds["load"] = elapsed()
    finally:
        con.close()


def refresh(units: Units, today: dt.date) -> RunResult | None:
    """Drain the outbox: recompute the marked villages and months and the rollups above them (one transaction).

    Marks made while the refresh runs stay for the next one. Months after the current month are ignored.

    Returns:
        What was refreshed, or ``None`` when nothing was marked.
    """
    current = Month.of(today)
    with units() as session:
        unfinished = repo.unfinished_rebuild(session) if session.get_bind().dialect.name == "postgresql" else None
        if unfinished is not None:
            if repo.rebuild_alive(session):
                # the rebuild's swap would drop what we write now; the marks stay for the refresh after it
                return None
            _abandon_stage(session, unfinished)
        # take (delete and read) every mark made so far; later marks stay for the next refresh. Months after the
        # current one are dropped: nothing to summarise yet
        marks = [(v, m) for v, m in outbox.take_changes(session) if Month.of(m) <= current]
        if not marks:
            return None
        villages = tuple(sorted({v for v, _ in marks}))
        first, last = Month.of(min(m for _, m in marks)), Month.of(max(m for _, m in marks))
        result = RunResult("refresh", first, last, steps=1, villages=len(villages))
        run = repo.start_run(session, "refresh", first.first_day(), last.first_day())
        con = _duckdb()
        try:
            with tempfile.TemporaryDirectory(prefix="jangkau-refresh-") as tmp:
                window = Window(first, last, villages)
                result.source_rows = sql.extract(session, con, window, Path(tmp))
                result.summary_rows = sql.aggregate(con, window)
                repo.delete_villages(session, list(villages), first.first_day(), last.first_day())
                result.rows_written = sql.load(session, con, "true", (4,))
        finally:
            con.close()
        _roll_up(session, villages, first.first_day(), last.first_day())
        result.source_rows["outreach"] = outreach_sql.rebuild_outreach(session, first, last, villages)
        campaigns = outreach_sql.campaigns_touching(session, first, last, villages)
        result.source_rows["campaign_rows"] = outreach_sql.rebuild_campaigns(session, campaigns, today)
        repo.finish_run(session, run.id, result.rows_written)
    return result


def _abandon_stage(session: Session, run: RefreshRun) -> None:
    """A rebuild died (nobody holds its lock) after staging: its tables would swap in figures older than what this
    refresh writes, so drop them and make the next rebuild start over. The run stays unfinished, so the pages keep
    saying that the rebuild was interrupted until one completes."""
    sql.drop_stage(session)
    key = f"{Month.of(run.first_month)}:{Month.of(run.last_month)}"
    checkpoint = get_checkpoint(session, REBUILD_JOB, key)
    if checkpoint is not None and checkpoint.units_done:
        save_checkpoint(session, REBUILD_JOB, key, 0, checkpoint.units_total)


def _roll_up(session: Session, villages: tuple[str, ...], first: dt.date, last: dt.date) -> None:
    for level in (3, 2, 1):
        codes = sorted({v[: CODE_LENGTH[level]] for v in villages})
        repo.rebuild_rollups(session, level, codes, first, last)
    repo.rebuild_rollups(session, 0, [COUNTRY], first, last)
