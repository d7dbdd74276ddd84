"""The minimum-wage check of a vacancy: the offer, as a monthly wage, against the UMK of the regency/city (or the
UMP where no UMK is set), from the rules engine's ``min_wage`` with its citation.

Two cases the rules engine cannot answer directly, decided here (see README, "Decisions"):
- the current year's decree is not on file yet (UMK tables run per calendar year): the latest decree on file is
  used, with a warning that says so; minimum wages are set yearly and have not gone down in the years on file;
- the province has no minimum-wage table at all: the offer is accepted, marked "floor not checked".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jangkau.errors import InvalidInput
from jangkau.jobs.rules.errors import WageBelowMinimum
from jangkau.kit.money import format_rupiah
from jangkau.kit.months import Month
from jangkau.rules import MinWage, Trail, min_wage, monthly_wage_from_daily
from jangkau.rules.wages import check_wage

DAYS_PER_MONTH_NOTE = "daily wage x 25 [S-PROBIS15]"
YEARS_BACK = 3


@dataclass
class WageCheck:
    """The offer as a monthly wage, the floor it was checked against (if any) and the rules used."""

    offered: int
    period: str
    monthly: int
    floor: MinWage | None
    trail: Trail = field(default_factory=Trail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "offered": self.offered,
            "period": self.period,
            "monthly": self.monthly,
            "checked": self.floor is not None,
            "floor": None if self.floor is None else self.floor.amount,
            "level": None if self.floor is None else self.floor.level,
            "floor_name": None if self.floor is None else self.floor.name,
            "floor_month": None if self.floor is None else str(self.floor.month),
            **self.trail.as_dict(),
        }


def _floor(region_code: str, on: dt.date, trail: Trail) -> MinWage | None:
    month = Month.of(on)
    for back in range(YEARS_BACK + 1):
        asked = month if back == 0 else Month(month.year - back, 12)
        try:
            found = min_wage(region_code, asked)
        except InvalidInput as exc:
            if exc.fields and exc.fields[0].field == "region":
                trail.warn(f"minimum wage not checked: {exc.message}")
                return None
            continue
        if back:
            trail.warn(
                f"no minimum-wage decree on file for {month.year}; checked against {found.month.year}'s "
                f"({found.level.upper()} {format_rupiah(found.amount)}), the latest on file"
            )
        trail.merge(found.trail)
        return found
    trail.warn(f"minimum wage not checked: no decree on file for {month.year} or the {YEARS_BACK} years before")
    return None


def check_offer(district_code: str, offered: int, period: str, on: dt.date) -> WageCheck:
    """Refuse an offer under the regional minimum wage, with the reason and the rule.

    Args:
        district_code: the vacancy's kecamatan (its regency/city sets the UMK).
        offered: whole Rupiah per ``period``.
        period: ``month`` or ``day`` (a daily wage counts x 25 a month).
        on: the day the vacancy is posted (selects the decree).

    Returns:
        The check, with the floor and its citation.

    Raises:
        InvalidInput: a wage of zero or less, an absurd wage, or a monthly wage under the UMK/UMP.
    """
    check_wage(offered, "wage_offered")
    monthly = monthly_wage_from_daily(offered) if period == "day" else offered
    trail = Trail()
    if period == "day":
        trail.warn(f"monthly wage from the daily offer: {DAYS_PER_MONTH_NOTE}")
    floor = _floor(district_code, on, trail)
    if floor is not None and monthly < floor.amount:
        params: dict[str, object] = {
            "monthly": format_rupiah(monthly),
            "level": floor.level.upper(),
            "place": floor.name,
            "floor": format_rupiah(floor.amount),
            "year": floor.month.year,
            "citation": "; ".join(r.citation for r in floor.trail.rules),
        }
        raise WageBelowMinimum(
            params, {"floor": floor.amount, "level": floor.level, "monthly": monthly, **trail.as_dict()}
        )
    return WageCheck(offered, period, monthly, floor, trail)
