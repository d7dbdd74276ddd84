"""Use cases of reporting: mark what changed, check the region and month asked for, and the coverage report of
a region (country, province, city, district, village) read from the summaries only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.kit.figures import last_complete_month
from jangkau.kit.months import Month
from jangkau.regions import repository as regions
from jangkau.regions.codes import parse_region_code
from jangkau.registry.models import Membership, Person
from jangkau.reporting import repository as repo
from jangkau.reporting.errors import MonthInFuture, MonthMalformed, RegionNotFound
from jangkau.reporting.figures import headline
from jangkau.reporting.models import CoverageSummary, Rollup
from jangkau.reporting.repository.summary import COUNTRY
from jangkau.reporting.rules.bands import DIMENSIONS, MEASURES, format_rate, rate_bp

LEVEL_NAMES = {0: "country", 1: "province", 2: "regency", 3: "district", 4: "village"}
TREND_MONTHS = 12
TOP_N = 5


def detect_changes(session: Session, since: dt.datetime, today: dt.date) -> int:
    """Mark villages and months touched since ``since`` by memberships (created or changed) and paid months.

    A safety net for changes no domain marked in the outbox (``jangkau report refresh --detect-since``):
    set-based, one pass per source.

    Returns:
        How many (village, month) marks were made.
    """
    from jangkau.funding.models import PaidMonth

    current = Month.of(today)
    changed = (
        select(Person.village_code, Membership.start_date)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.updated_at >= since)
    )
    span_first, _ = repo.month_span(session)
    floor = Month.of(span_first) if span_first else current
    pairs: set[tuple[str, dt.date]] = set()
    for village, start in session.execute(changed.distinct()).all():
        month = max(Month.of(start), floor)
        while month <= current:
            pairs.add((village, month.first_day()))
            month = month.next()
    paid = (
        select(Person.village_code, PaidMonth.month)
        .join(Membership, Membership.id == PaidMonth.membership_id)
        .join(Person, Person.id == Membership.person_id)
        .where(PaidMonth.paid_on >= since.date())
    )
    pairs.update((v, m) for v, m in session.execute(paid.distinct()).all())
    repo.mark(session, sorted(pairs))
    return len(pairs)


def parse_month(text: str | None, today: dt.date, default: Month | None = None, field: str = "month") -> Month:
    """A report month: ``YYYY-MM``, not after the current month.

    Raises:
        InvalidInput: malformed, or in the future.
    """
    if not text:
        return default or Month.of(today)
    try:
        month = Month.parse(text)
    except ValueError as exc:
        raise MonthMalformed(field, text) from exc
    if month > Month.of(today):
        raise MonthInFuture(field, month, Month.of(today))
    return month


def resolve_region(session: Session, principal: Principal, text: str | None) -> dict[str, Any]:
    """The region asked for (``ID`` or empty = the country), if it exists and lies inside the caller's territory.

    Raises:
        InvalidInput: the code is malformed.
        NotFound: no such region, or outside the caller's territory (404: never the figures).
    """
    raw = (text or "").strip()
    if raw.upper() in ("", COUNTRY):
        if "" not in principal.scope:
            raise RegionNotFound(COUNTRY)
        return {"code": COUNTRY, "name": "Indonesia", "level": 0, "kind": "negara", "ancestors": []}
    code = parse_region_code(raw, "region").code
    region = regions.get(session, code)
    if region is None or not principal.sees(code):
        raise RegionNotFound(code)
    ancestors = ([COUNTRY] if "" in principal.scope else []) + [c for c in _ancestor_codes(code) if principal.sees(c)]
    names = regions.names(session, ancestors)
    crumbs = [{"code": c, "name": "Indonesia" if c == COUNTRY else names.get(c, c)} for c in ancestors]
    return {
        "code": code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "ancestors": crumbs,
    }


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def default_region(principal: Principal) -> str:
    """The region a user's dashboard opens on: the country for national users, else their first territory."""
    first = principal.scope[0] if principal.scope else ""
    return first or COUNTRY


def _measures(row: Rollup | CoverageSummary | None) -> dict[str, int]:
    return {m: int(getattr(row, m)) if row is not None else 0 for m in MEASURES}


def _with_rate(figures: dict[str, int], workforce: int | None) -> dict[str, Any]:
    bp = rate_bp(figures["active"], workforce)
    return {**figures, "workforce": workforce, "rate_bp": bp, "rate": format_rate(bp)}


def freshness(session: Session, code: str) -> dict[str, Any]:
    """When the summaries were last refreshed, whether a refresh is pending here, and whether a rebuild is running
    or was interrupted (PostgreSQL knows which from the rebuild's lock; on SQLite an unfinished one counts as
    running)."""
    run = repo.last_run(session)
    unfinished = repo.unfinished_rebuild(session)
    alive = repo.rebuild_alive(session) if unfinished is not None else None
    pending = repo.pending_count(session, code)
    return {
        "refreshed_at": run.finished_at if run else None,
        "pending_marks": pending,
        "refresh_pending": pending > 0,
        "rebuild_running": unfinished is not None and alive is not False,
        "rebuild_interrupted": unfinished is not None and alive is False,
        "rebuild_started_at": unfinished.started_at if unfinished is not None else None,
        "complete": run is not None and pending == 0 and unfinished is None,
    }


def coverage_report(
    session: Session, principal: Principal, region: str | None, month_text: str | None, today: dt.date
) -> dict[str, Any]:
    """The coverage of a region in a month against its workforce and target, from the summaries only.

    Args:
        session: the unit of work's session.
        principal: the caller; the region must lie inside their territory.
        region: a region code (``ID`` or empty: the country).
        month_text: ``YYYY-MM``; default the last complete month (``kit.figures.last_complete_month``: the
            current month's contributions are mostly not due yet, so it would show paying members as unpaid).
        today: today's date (a month after it is refused).

    Returns:
        Totals with rate and target, breakdowns by segment, payer, sex and age band, the monthly trend, the regions
        directly inside with their rates, the top and bottom villages, lapses, freshness and definitions.

    Raises:
        InvalidInput: a malformed code or month, or a month in the future.
        NotFound: no such region, or outside the caller's territory.
    """
    place = resolve_region(session, principal, region)
    month = parse_month(month_text, today, last_complete_month(today))
    code, level = str(place["code"]), int(place["level"])
    day = month.first_day()
    rows = _region_rows(session, code, level, day)
    overall = _measures(next((r for r in rows if r.dim == "all"), None)) if level < 4 else _sum_rows(rows)
    workforce, estimate_rows, demo = repo.workforce_inside(session, code, month.year)
    first = month.plus(-(TREND_MONTHS - 1)).first_day()
    trend = [
        {"month": str(Month.of(r.month)), **_with_rate(_measures(r), workforce or None)}
        for r in repo.trend(session, code, first, day)
    ]
    target = repo.target(session, code, month.year)
    return {
        "region": place,
        "month": str(month),
        "level_name": LEVEL_NAMES[level],
        "totals": _with_rate(overall, workforce or None),
        "estimate": {"workers": workforce, "rows": estimate_rows, "is_demo": demo, "year": month.year},
        "target": _target(target.target_active if target else None, overall["active"], "report_target"),
        "breakdowns": _breakdowns(rows, level),
        "trend": trend,
        "children": _children(session, principal, code, level, day, month.year),
        "villages": _top_bottom(session, principal, code, level, day, month.year),
        "freshness": freshness(session, code),
        "figures": headline(session, [code], month).as_dict(),
        "has_data": bool(rows),
        "outreach": outreach_progress(session, code, month),
        "definitions": {
            "unit": "memberships (a person holding two segments counts in each)",
            "active": "the contribution month is paid (funding_paid_month)",
            "lapsed": "registered in the month, that month unpaid, an earlier month paid",
            "rate": "active / workforce estimate",
            "figures": "the headline figures every page shows (jangkau.kit.figures): protected = totals.active, "
            "active = protected + lapsed (protection begun, not ended), registered, lapsed",
        },
    }


def outreach_progress(session: Session, code: str, month: Month) -> dict[str, Any]:
    """Outreach of a region in a month from the outreach summary: the funnel (prospects added, prospects visited,
    registered by agents, of which paid) and each running campaign's target against paid registrations so far."""
    day = month.first_day()
    row = repo.outreach_month(session, code, day)
    funnel = {m: int(getattr(row, m)) if row is not None else 0 for m in ("prospects", "visited", "registered", "paid")}
    campaigns = []
    for c in repo.campaigns_for(session, code, day):
        bp = rate_bp(c.paid, c.target)
        campaigns.append(
            {
                "id": c.campaign_id,
                "name": c.name,
                "region_code": c.region_code,
                "own": c.region_code == code,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
                "as_of": c.as_of.isoformat(),
                "target": c.target,
                "registered": c.registered,
                "paid": c.paid,
                "progress_bp": bp,
                "progress": format_rate(bp),
                "bar_percent": min(100, (bp or 0) // 100),
            }
        )
    return {
        "available": True,
        "month": str(month),
        "funnel": funnel,
        "campaigns": campaigns,
        "has_campaign": bool(campaigns),
        "definitions": {
            "prospects": "prospects added in the month (outreach_prospect)",
            "visited": "distinct prospects visited in the month",
            "registered": "memberships registered by an agent that started in the month",
            "paid": "of those, the first contribution month is paid",
            "campaign": "outreach campaign_progress: memberships in the target region started in the campaign "
            "period, paid = first month paid",
        },
    }


def _region_rows(session: Session, code: str, level: int, day: dt.date) -> list[Any]:
    if level == 4:
        return list(repo.village_rows(session, code, day))
    return list(repo.rollup_rows(session, code, day))


def _sum_rows(rows: Iterable[CoverageSummary]) -> dict[str, int]:
    out = dict.fromkeys(MEASURES, 0)
    for row in rows:
        for m in MEASURES:
            out[m] += int(getattr(row, m))
    return out


def _breakdowns(rows: list[Any], level: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, int]]] = {dim: {} for dim in DIMENSIONS}
    for row in rows:
        if level == 4:
            for dim in DIMENSIONS:
                bucket = out[dim].setdefault(str(getattr(row, dim)), dict.fromkeys(MEASURES, 0))
                for m in MEASURES:
                    bucket[m] += int(getattr(row, m))
        elif row.dim in out:
            out[row.dim][row.value] = _measures(row)
    return {dim: [{"value": k, **v} for k, v in sorted(values.items())] for dim, values in out.items()}


def _target(target_active: int | None, active: int, source: str) -> dict[str, Any]:
    if not target_active:
        return {"target_active": None, "progress_bp": None, "source": None}
    return {
        "target_active": target_active,
        "progress_bp": rate_bp(active, target_active),
        "progress": format_rate(rate_bp(active, target_active)),
        "source": source,
    }


def _children(
    session: Session, principal: Principal, code: str, level: int, day: dt.date, year: int
) -> list[dict[str, Any]]:
    if level >= 4:
        return []
    rows = [r for r in repo.children_totals(session, code, day) if principal.sees(r.region_code)]
    names = regions.names(session, [r.region_code for r in rows])
    workforce = repo.workforce_by_code(session, [r.region_code for r in rows], year)
    return [
        {"code": r.region_code, "name": names.get(r.region_code, r.region_code)}
        | _with_rate(_measures(r), workforce.get(r.region_code))
        for r in rows
    ]


def _top_bottom(
    session: Session, principal: Principal, code: str, level: int, day: dt.date, year: int
) -> dict[str, list[dict[str, Any]]]:
    if level >= 4:
        return {"top": [], "bottom": [], "lapsed": []}
    ranked = {
        order: repo.ranked_villages(session, code, day, principal.scope, order, TOP_N)
        for order in ("top", "bottom", "lapsed")
    }
    workforce = repo.workforce_by_code(session, {row["code"] for rows in ranked.values() for row in rows}, year)
    names = regions.names(session, {row["code"] for rows in ranked.values() for row in rows})
    return {
        order: [
            {"code": row["code"], "name": names.get(row["code"], row["code"])}
            | _with_rate({m: int(row[m]) for m in MEASURES}, workforce.get(row["code"]))
            for row in rows
        ]
        for order, rows in ranked.items()
    }
