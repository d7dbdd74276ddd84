"""What a version changes, before anyone activates it: for a minimum-wage year, per regency/city, how far the floor
rises and how many PU workers (of how many employers) it concerns, and how many reported wages fall below it."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from jangkau.i18n import N_, bilingual
from jangkau.kit.money import format_rupiah
from jangkau.ruleadmin import repository as repo
from jangkau.ruleadmin import tablefile
from jangkau.ruleadmin.models import RuleVersion
from jangkau.ruleadmin.service import JP_WAGE_CAP, floor_before, previous_jp_cap
from jangkau.rules.tables import RuleDataError


@dataclass(frozen=True)
class RegionChange:
    code: str
    name: str
    old: int | None
    new: int
    workers: int
    employers: int
    below_new: int  # reported wages under the new floor
    newly_below: int  # of those, wages that met the old floor


@dataclass(frozen=True)
class Preview:
    version_id: int
    rule_id: str
    valid_from: dt.date
    changes: list[RegionChange]
    summary: str
    summary_id: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "valid_from": self.valid_from.isoformat()}


def _region(session: Session, code: str, name: str, old: int | None, new: int, on: dt.date) -> RegionChange:
    groups = repo.pu_wages_in(session, code, on)
    workers = sum(n for _, _, n in groups)
    employers = len({e for e, _, _ in groups})
    below = sum(n for _, w, n in groups if w < new)
    newly = sum(n for _, w, n in groups if w < new and (old is None or w >= old))
    return RegionChange(code, name, old, new, workers, employers, below, newly)


def preview(session: Session, row: RuleVersion) -> Preview:
    """The effect of ``row`` against the tables in force the day before its ``valid_from``."""
    data = tablefile.loads(row.data)
    changes: list[RegionChange] = []
    if row.rule_id.startswith("min_wage."):
        before = floor_before(row.rule_id, row.valid_from - dt.timedelta(days=1))
        for umk in data.get("umk", []):
            code = str(umk["code"])
            old = before.get(code, before.get(code[:2]))
            changes.append(_region(session, code, str(umk["name"]), old, int(umk["amount"]), row.valid_from))
    rising = [c for c in changes if c.old is None or c.new > c.old]
    workers = sum(c.workers for c in rising)
    employers = sum(c.employers for c in rising)
    below = sum(c.below_new for c in rising)
    if row.rule_id.startswith("min_wage."):
        summary, summary_id = bilingual(
            N_(
                "from %(date)s: the wage floor rises in %(regions)s regencies/cities for %(workers)s workers of "
                "%(employers)s employers; %(below)s reported wages fall below it"
            ),
            date=row.valid_from,
            regions=len(rising),
            workers=f"{workers:,}",
            employers=f"{employers:,}",
            below=f"{below:,}",
        )
    elif row.rule_id == JP_WAGE_CAP and "cap" in data:
        try:
            before_cap = format_rupiah(previous_jp_cap(row.valid_from))
        except RuleDataError:  # no cap in force the day before (a later year activated first)
            before_cap = "—"
        summary, summary_id = bilingual(
            N_("from %(date)s: the JP wage cap becomes %(cap)s (before: %(old)s)"),
            date=row.valid_from,
            cap=format_rupiah(int(data["cap"])),
            old=before_cap,
        )
    else:
        summary, summary_id = bilingual(
            N_("from %(date)s: %(rule)s becomes %(data)s"), date=row.valid_from, rule=row.rule_id, data=data
        )
    return Preview(row.id, row.rule_id, row.valid_from, changes, summary, summary_id)
