"""The headline figures (``jangkau.kit.figures``) computed from the coverage summaries: one query per territory
and month, used by every page that shows "registered", "active", "protected" or "lapsed".

The summaries are kept in step with the register by the outbox (``report refresh``); the figures carry when they
were last refreshed and how many changes are still waiting in the territory, and pages show both.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.kit import figures as kit
from jangkau.kit.months import Month
from jangkau.reporting import repository as repo
from jangkau.reporting.models import Rollup
from jangkau.reporting.repository.summary import COUNTRY


def _codes(regions: Iterable[str]) -> tuple[str, ...]:
    """Region codes from territory prefixes: ``""`` is the country; a region inside another listed is dropped
    (the territory is counted once)."""
    codes = sorted({COUNTRY if r in ("", COUNTRY) else r for r in regions})
    if COUNTRY in codes:
        return (COUNTRY,)
    return tuple(c for c in codes if not any(c.startswith(o + ".") for o in codes if o != c))


def headline(session: Session, regions: Iterable[str], month: Month) -> kit.Figures:
    """Registered, active, protected and lapsed memberships of the regions in ``month``, from the overall rollup
    rows (one row per region and month), with the freshness of the summaries.

    Args:
        session: the unit of work's session.
        regions: region codes or territory prefixes (``""`` or ``ID``: the country).
        month: the month counted.
    """
    codes = _codes(regions)
    sums = {"registered": 0, "active": 0, "lapsed": 0}
    if codes:
        row = session.execute(
            select(func.sum(Rollup.registered), func.sum(Rollup.active), func.sum(Rollup.lapsed)).where(
                Rollup.region_code.in_(codes), Rollup.month == month.first_day(), Rollup.dim == "all"
            )
        ).one()
        sums = {"registered": int(row[0] or 0), "active": int(row[1] or 0), "lapsed": int(row[2] or 0)}
    run = repo.last_run(session)
    pending = sum(repo.pending_count(session, code) for code in codes)
    figures = kit.from_measures(sums)
    return kit.Figures(
        regions=codes,
        month=month,
        registered=figures["registered"],
        active=figures["active"],
        protected=figures["protected"],
        lapsed=figures["lapsed"],
        refreshed_at=run.finished_at if run else None,
        pending=pending,
    )


kit.provide(headline)
