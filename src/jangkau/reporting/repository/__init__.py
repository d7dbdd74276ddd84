"""All SQL of the reporting domain on the app database (the rebuild's extract/aggregate/load SQL is in
``summary_sql``). Reads return summaries only, never people; callers check the region against the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from jangkau.db import outbox
from jangkau.db.base import utcnow
from jangkau.db.outbox import CoverageChange
from jangkau.db.scope import scope_filter
from jangkau.kit.months import Month
from jangkau.regions.models import Region
from jangkau.reporting.errors import RebuildRunning
from jangkau.reporting.models import (
    CampaignProgress,
    CoverageSummary,
    CoverageTarget,
    OutreachSummary,
    RefreshRun,
    RegionWorkforce,
    Rollup,
    WorkforceEstimate,
)
from jangkau.reporting.repository.summary import CODE_LENGTH, COUNTRY, ROLLUP_DIMS
from jangkau.reporting.rules.bands import MEASURES


def inside(column: Any, code: str) -> ColumnElement[bool]:
    """``column`` (a region code) is ``code`` or lies inside it; the country holds everything."""
    if code == COUNTRY:
        return literal(True)
    return or_(column == code, column.like(code + ".%"))


# --- outbox and runs ---------------------------------------------------------------------------------------


def mark(session: Session, pairs: Sequence[tuple[str, dt.date]]) -> None:
    """Mark (village, month) pairs changed: the outbox in ``db/`` (append-only)."""
    outbox.mark_changed_many(session, pairs)


def mark_from_select(session: Session, pairs: Select[Any]) -> int:
    """Mark every (village code, month date) a select returns (set-based, for jobs)."""
    found = [(str(v), m) for v, m in session.execute(pairs.distinct()).all()]
    mark(session, found)
    return len(found)


def pending_count(session: Session, code: str) -> int:
    """Marks waiting for a refresh inside region ``code`` (de-duplicated)."""
    marks = select(CoverageChange.village_code, CoverageChange.month).where(inside(CoverageChange.village_code, code))
    return int(session.scalar(select(func.count()).select_from(marks.distinct().subquery())) or 0)


def start_run(session: Session, kind: str, first: dt.date, last: dt.date) -> RefreshRun:
    run = RefreshRun(kind=kind, first_month=first, last_month=last, rows=0)
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, rows: int) -> None:
    session.execute(update(RefreshRun).where(RefreshRun.id == run_id).values(rows=rows, finished_at=utcnow()))


def last_run(session: Session) -> RefreshRun | None:
    return session.scalars(
        select(RefreshRun).where(RefreshRun.finished_at.is_not(None)).order_by(RefreshRun.finished_at.desc()).limit(1)
    ).first()


def unfinished_rebuild(session: Session) -> RefreshRun | None:
    return session.scalars(
        select(RefreshRun)
        .where(RefreshRun.kind == "rebuild", RefreshRun.finished_at.is_(None))
        .order_by(RefreshRun.id.desc())
        .limit(1)
    ).first()


# A full rebuild on PostgreSQL holds this advisory lock (session level, on a connection of its own) from start to
# end. A second rebuild is refused while it is held. If a rebuild is left unfinished and nobody holds the lock, that
# rebuild has died. The server drops the lock with the connection, so a killed process releases it too.
REBUILD_LOCK = 0x4A6E_5250


@contextmanager
def rebuild_lock(bind: Engine | Connection) -> Iterator[None]:
    """Hold the rebuild lock for the ``with`` block (PostgreSQL; SQLite has one writer at a time anyway).

    Raises:
        Conflict: another rebuild of this database holds the lock.
    """
    if bind.dialect.name != "postgresql":
        yield
        return
    with bind.engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": REBUILD_LOCK}).scalar_one()
        conn.commit()
        if not got:
            raise RebuildRunning
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": REBUILD_LOCK})
            conn.commit()


def rebuild_alive(session: Session) -> bool | None:
    """Whether some connection holds the rebuild lock (PostgreSQL); ``None`` where that cannot be known."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    held = session.execute(
        text(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 "
            "AND objid = :k AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
        ),
        {"k": REBUILD_LOCK},
    ).scalar_one()
    return bool(held)


def provinces_summarised(session: Session) -> set[str]:
    """Provinces holding rollup rows (a rebuild must clear them even if they have no members now)."""
    return set(session.scalars(select(Rollup.region_code).where(Rollup.level == 1).distinct()).all())


def analyze(session: Session) -> None:
    """Fresh planner statistics after a rebuild (PostgreSQL), so dashboard queries pick the right index."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE report_rollup, report_coverage, report_region_workforce"))


def month_span(session: Session) -> tuple[dt.date | None, dt.date | None]:
    """First and last month held in the rollups."""
    row = session.execute(select(func.min(Rollup.month), func.max(Rollup.month)).where(Rollup.level == 0)).one()
    return row[0], row[1]


# --- writing summaries -------------------------------------------------------------------------------------


def _below(column: Any, code: str) -> ColumnElement[bool]:
    """Codes strictly inside ``code``: a key range the primary-key index can use (byte-order collation: SQLite,
    PostgreSQL ``C``/``C.UTF-8``; '/' follows '.') plus the prefix test that keeps it exact."""
    return and_(column > code + ".", column < code + "/", column.like(code + ".%"))


def delete_summaries(session: Session, code: str, first: dt.date, last: dt.date) -> None:
    """Remove the summary and rollup rows of region ``code`` (and everything inside it) for ``first``..``last``."""
    months = and_(CoverageSummary.month >= first, CoverageSummary.month <= last)
    session.execute(delete(CoverageSummary).where(_below(CoverageSummary.village_code, code), months))
    rollup_months = and_(Rollup.month >= first, Rollup.month <= last)
    scope = or_(Rollup.region_code == code, _below(Rollup.region_code, code))
    session.execute(delete(Rollup).where(scope, rollup_months))


def delete_villages(session: Session, villages: Sequence[str], first: dt.date, last: dt.date) -> None:
    for start in range(0, len(villages), 500):
        part = villages[start : start + 500]
        session.execute(
            delete(CoverageSummary).where(
                CoverageSummary.village_code.in_(part), CoverageSummary.month.between(first, last)
            )
        )
        session.execute(delete(Rollup).where(Rollup.region_code.in_(part), Rollup.month.between(first, last)))


def _sums() -> list[Any]:
    return [func.sum(getattr(Rollup, m)) for m in MEASURES]


def rebuild_rollups(session: Session, level: int, codes: Sequence[str], first: dt.date, last: dt.date) -> None:
    """Recompute the rollups of regions ``codes`` at ``level`` (0 country ... 3 district) from the level below.

    Districts sum the summary rows of their villages; higher levels sum their children's rollup rows.
    """
    for start in range(0, len(codes), 200):
        part = list(codes[start : start + 200])
        session.execute(delete(Rollup).where(Rollup.region_code.in_(part), Rollup.month.between(first, last)))
        if level == 3:
            _districts_from_summary(session, part, first, last)
        else:
            _from_children(session, level, part, first, last)


def _parent_expr(column: Any, level: int) -> Any:
    if level == 0:
        return literal(None)
    if level == 1:
        return literal(COUNTRY)
    return func.substr(column, 1, CODE_LENGTH[level - 1])


def _from_children(session: Session, level: int, codes: list[str], first: dt.date, last: dt.date) -> None:
    parent = Rollup.parent_code
    query = (
        select(
            parent,
            Rollup.month,
            Rollup.dim,
            Rollup.value,
            literal(level),
            _parent_expr(parent, level),
            *_sums(),
        )
        .where(parent.in_(codes), Rollup.level == level + 1, Rollup.month.between(first, last))
        .group_by(parent, Rollup.month, Rollup.dim, Rollup.value)
    )
    columns = ["region_code", "month", "dim", "value", "level", "parent_code", *MEASURES]
    session.execute(insert(Rollup).from_select(columns, query))


def _districts_from_summary(session: Session, codes: list[str], first: dt.date, last: dt.date) -> None:
    district = func.substr(CoverageSummary.village_code, 1, CODE_LENGTH[3])
    sums = [func.sum(getattr(CoverageSummary, m)) for m in MEASURES]
    columns = ["region_code", "month", "dim", "value", "level", "parent_code", *MEASURES]
    # the districts' villages from the region tree, so the summary's primary key finds their rows: the substr
    # filter alone scans the whole summary table (1.4 s a statement at 10M members, five per refresh)
    villages = select(Region.code).where(Region.parent_code.in_(codes))
    for dim in ("all", *ROLLUP_DIMS):
        value = literal("all") if dim == "all" else getattr(CoverageSummary, dim)
        query = (
            select(district, CoverageSummary.month, literal(dim), value, literal(3), _parent_expr(district, 3), *sums)
            .where(
                CoverageSummary.village_code.in_(villages),
                district.in_(codes),
                CoverageSummary.month.between(first, last),
            )
            .group_by(district, CoverageSummary.month, value)
        )
        session.execute(insert(Rollup).from_select(columns, query))


def village_totals_from_summary(session: Session, villages: Sequence[str], first: dt.date, last: dt.date) -> None:
    """The ``all`` rollup rows of villages, from their summary rows."""
    parent = func.substr(CoverageSummary.village_code, 1, CODE_LENGTH[3])
    sums = [func.sum(getattr(CoverageSummary, m)) for m in MEASURES]
    columns = ["region_code", "month", "dim", "value", "level", "parent_code", *MEASURES]
    for start in range(0, len(villages), 500):
        part = villages[start : start + 500]
        query = (
            select(CoverageSummary.village_code, CoverageSummary.month, literal("all"), literal("all"), literal(4))
            .add_columns(parent, *sums)
            .where(CoverageSummary.village_code.in_(part), CoverageSummary.month.between(first, last))
            .group_by(CoverageSummary.village_code, CoverageSummary.month)
        )
        session.execute(insert(Rollup).from_select(columns, query))


# --- reading -----------------------------------------------------------------------------------------------


def rollup_rows(session: Session, code: str, month: dt.date) -> Sequence[Rollup]:
    """Every rollup row of one region and month (overall and by each dimension)."""
    return session.scalars(select(Rollup).where(Rollup.region_code == code, Rollup.month == month)).all()


def trend(session: Session, code: str, first: dt.date, last: dt.date) -> Sequence[Rollup]:
    return session.scalars(
        select(Rollup)
        .where(Rollup.region_code == code, Rollup.dim == "all", Rollup.month.between(first, last))
        .order_by(Rollup.month)
    ).all()


def children_totals(session: Session, code: str, month: dt.date) -> Sequence[Rollup]:
    """The overall rollup rows of the regions directly inside ``code`` in ``month``."""
    return session.scalars(
        select(Rollup)
        .where(Rollup.parent_code == code, Rollup.month == month, Rollup.dim == "all")
        .order_by(Rollup.region_code)
    ).all()


def village_rows(session: Session, village: str, month: dt.date) -> Sequence[CoverageSummary]:
    return session.scalars(
        select(CoverageSummary).where(CoverageSummary.village_code == village, CoverageSummary.month == month)
    ).all()


def summary_rows(session: Session, code: str, first: dt.date, last: dt.date, limit: int) -> Sequence[CoverageSummary]:
    """Summary rows inside ``code`` (for exports), ordered, at most ``limit``."""
    return session.scalars(
        select(CoverageSummary)
        .where(inside(CoverageSummary.village_code, code), CoverageSummary.month.between(first, last))
        .order_by(CoverageSummary.village_code, CoverageSummary.month, CoverageSummary.segment, CoverageSummary.payer)
        .limit(limit)
    ).all()


def ranked_villages(
    session: Session, code: str, month: dt.date, scope: Iterable[str], order: str, limit: int
) -> list[dict[str, Any]]:
    """Villages inside ``code`` and ``scope`` in ``month``, ranked on an index: ``top``/``bottom`` by coverage rate
    (villages with a workforce estimate only) or ``lapsed`` (most in arrears first)."""
    query = select(Rollup.region_code, *[getattr(Rollup, m) for m in MEASURES], Rollup.rate_bp).where(
        Rollup.level == 4, Rollup.month == month, Rollup.dim == "all", scope_filter(Rollup.region_code, scope)
    )
    if code.count(".") == 2:  # a district: its villages by parent
        query = query.where(Rollup.parent_code == code)
    elif code != COUNTRY:
        # a key range on the primary key: a regency's ~500 villages are read directly, where the ranking index
        # alone walked all 83,000 villages of the month (33 ms against 1.3 ms at 10M members)
        query = query.where(_below(Rollup.region_code, code))
    # orders that the indexes (level, month, dim, rate_bp | lapsed, region_code) hold, read forwards or backwards
    if order == "lapsed":
        query = query.where(Rollup.lapsed > 0).order_by(Rollup.lapsed.desc(), Rollup.region_code.desc())
    elif order == "top":
        query = query.where(Rollup.rate_bp.is_not(None)).order_by(Rollup.rate_bp.desc(), Rollup.region_code.desc())
    else:
        query = query.where(Rollup.rate_bp.is_not(None)).order_by(Rollup.rate_bp.asc(), Rollup.region_code.asc())
    columns = ["code", *MEASURES, "rate_bp"]
    return [dict(zip(columns, row, strict=True)) for row in session.execute(query.limit(limit)).all()]


# --- outreach progress (built by ``outreach_sql``) -------------------------------------------------------------


def campaigns_for(session: Session, code: str, day: dt.date) -> list[CampaignProgress]:
    """Campaigns running in the month of ``day`` with a target in region ``code`` (its targets summed) or, when
    none is inside it, the targets of the regions around it (a district target seen from one of its villages)."""
    month = Month.of(day)
    running = and_(CampaignProgress.starts_on < month.next().first_day(), CampaignProgress.ends_on >= day)
    around = [code[: CODE_LENGTH[n]] for n in range(1, code.count(".") + 1)] if code != COUNTRY else []
    where = CampaignProgress.region_code == code
    if around:
        where = or_(where, and_(CampaignProgress.region_code.in_(around), CampaignProgress.is_target.is_(True)))
    rows = session.scalars(
        select(CampaignProgress).where(running, where).order_by(CampaignProgress.campaign_id, CampaignProgress.level)
    ).all()
    own = [r for r in rows if r.region_code == code]
    own_ids = {r.campaign_id for r in own}
    return own + [r for r in rows if r.region_code != code and r.campaign_id not in own_ids]


def outreach_month(session: Session, code: str, day: dt.date) -> OutreachSummary | None:
    return session.get(OutreachSummary, (code, day))


def outreach_trend(session: Session, code: str, first: dt.date, last: dt.date) -> Sequence[OutreachSummary]:
    return session.scalars(
        select(OutreachSummary)
        .where(OutreachSummary.region_code == code, OutreachSummary.month.between(first, last))
        .order_by(OutreachSummary.month)
    ).all()


def outreach_rows(session: Session, code: str, first: dt.date, last: dt.date, limit: int) -> Sequence[OutreachSummary]:
    """Outreach rows of the villages inside ``code`` (for exports), ordered, at most ``limit``."""
    return session.scalars(
        select(OutreachSummary)
        .where(
            OutreachSummary.level == 4,
            inside(OutreachSummary.region_code, code),
            OutreachSummary.month.between(first, last),
        )
        .order_by(OutreachSummary.region_code, OutreachSummary.month)
        .limit(limit)
    ).all()


# --- estimates and targets ---------------------------------------------------------------------------------


def workforce_inside(session: Session, code: str, year: int) -> tuple[int, int, bool]:
    """Workforce inside (or of) ``code`` for ``year``: (workers, estimate rows, any demo estimate)."""
    row = session.get(RegionWorkforce, (code, year))
    return (row.workers, row.estimates, row.demo_estimates > 0) if row else (0, 0, False)


def workforce_by_code(session: Session, codes: Iterable[str], year: int) -> dict[str, int]:
    """Workforce per region (estimates inside each, summed)."""
    wanted = list(set(codes))
    if not wanted:
        return {}
    rows = session.execute(
        select(RegionWorkforce.region_code, RegionWorkforce.workers).where(
            RegionWorkforce.year == year, RegionWorkforce.region_code.in_(wanted)
        )
    ).all()
    return {str(code): int(workers) for code, workers in rows}


def refresh_workforce(session: Session, years: Iterable[int]) -> None:
    """Sum the estimates of each year up to every level (country included) and set the villages' ranking rate.

    Runs after an estimates import and after each rebuild or refresh (set-based: one statement per level).
    """
    w = WorkforceEstimate
    columns = ["region_code", "year", "workers", "estimates", "demo_estimates"]
    demo = func.sum(case((w.is_demo, 1), else_=0))
    for year in sorted(set(years)):
        session.execute(delete(RegionWorkforce).where(RegionWorkforce.year == year))
        for length in (2, 5, 8, 13):
            code = func.substr(w.region_code, 1, length)
            query = (
                select(code, literal(year), func.sum(w.workers), func.count(), demo)
                .where(w.year == year, func.length(w.region_code) >= length)
                .group_by(code)
            )
            session.execute(insert(RegionWorkforce).from_select(columns, query))
        country = select(literal(COUNTRY), literal(year), func.sum(w.workers), func.count(), demo).where(w.year == year)
        session.execute(insert(RegionWorkforce).from_select(columns, country.having(func.count() > 0)))
        workers = (
            select(RegionWorkforce.workers)
            .where(RegionWorkforce.region_code == Rollup.region_code, RegionWorkforce.year == year)
            .where(RegionWorkforce.workers > 0)
            .scalar_subquery()
        )
        session.execute(
            update(Rollup)
            .where(Rollup.level == 4, Rollup.dim == "all")
            .where(Rollup.month.between(dt.date(year, 1, 1), dt.date(year, 12, 1)))
            .values(rate_bp=(Rollup.active * 20_000 + workers) / (workers * 2))
            .execution_options(synchronize_session=False)
        )


def estimate_codes(session: Session, year: int) -> set[str]:
    return set(session.scalars(select(WorkforceEstimate.region_code).where(WorkforceEstimate.year == year)).all())


def replace_estimates(session: Session, year: int, rows: list[dict[str, Any]]) -> None:
    """Replace the estimates of the given regions for ``year`` by ``rows``."""
    codes = [r["region_code"] for r in rows]
    for start in range(0, len(codes), 500):
        session.execute(
            delete(WorkforceEstimate).where(
                WorkforceEstimate.year == year, WorkforceEstimate.region_code.in_(codes[start : start + 500])
            )
        )
    if rows:
        session.execute(insert(WorkforceEstimate), rows)


def target(session: Session, code: str, year: int) -> CoverageTarget | None:
    return session.get(CoverageTarget, (code, year))


def put_target(session: Session, row: CoverageTarget) -> CoverageTarget:
    return session.merge(row)
