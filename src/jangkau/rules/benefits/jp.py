"""JP (Jaminan Pensiun): monthly pension formula, bounds, the 15-year rule and the pension age (REFERENCE 3.4).

First-year monthly benefit = 1 % x masa_iur/12 x average (inflation-indexed) monthly wage (PP 45/2015 Ps 17),
clamped to the year's minimum and maximum (Ps 18). Under 180 months of contributions: a lump sum of contributions
plus returns (UU SJSN Ps 41); on death (or disability) before that, computed as if 15 years when membership is at
least 1 year and contribution density at least 80 % (Permenaker 29/2015 Ps 26). Rounding: half up to the Rupiah
(UNCONFIRMED, flagged).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from jangkau.kit.money import Rupiah, round_rupiah
from jangkau.rules.benefits.common import Benefit, BenefitItem, check_count
from jangkau.rules.errors import NoPensionAge
from jangkau.rules.model import Program, Status, Trail
from jangkau.rules.tables import Version, day, num, rounding, row_status, rows, table, text
from jangkau.rules.wages import check_wage

JP_RULES = "jp_rules"
JP_BENEFIT_BOUNDS = "jp_benefit_bounds"
JP_PENSION_AGE = "jp_pension_age"


class JpReason(StrEnum):
    """Why the pension becomes payable."""

    OLD_AGE = "old_age"
    DEATH = "death"
    DISABILITY = "disability"


def pension_age(on: dt.date, trail: Trail | None = None) -> int:
    """The JP pension age in force on ``on``: 56, 57 from 2019, then +1 every 3 years up to 65 in 2043.

    Raises:
        InvalidInput: a date before JP started (2015-07-01).
    """
    version = table(JP_PENSION_AGE).at(on, "date")
    if trail is not None:
        version.record(trail)
    current = None
    for row in sorted(rows(version.data, "rows"), key=lambda r: day(r, "from")):
        if day(row, "from") <= on:
            current = row
    if current is None:
        raise NoPensionAge(version.valid_from)
    if trail is not None and row_status(current, version.status) is not Status.CONFIRMED:
        trail.warn(f"pension age {num(current, 'age')} from {day(current, 'from')} is DERIVED (+1 every 3 years)")
    return num(current, "age")


def _monthly(
    version: Version, months: int, average_wage: Rupiah, on: dt.date, trail: Trail
) -> tuple[Rupiah, Rupiah, str]:
    data = version.data
    trail.warn(f"UNCONFIRMED ({JP_RULES} {version.version}): {text(data, 'rounding_note')}")
    raw = round_rupiah(Decimal(num(data, "benefit_bp")) / 10_000 * months / 12 * average_wage, rounding(data))
    bounds = table(JP_BENEFIT_BOUNDS).at(on, "date").record(trail).data
    low, high = num(bounds, "min"), num(bounds, "max")
    clamped = min(max(raw, low), high)
    note = "" if clamped == raw else f"formula gives Rp{raw:,}; clamped to Rp{low:,}-Rp{high:,}"
    return raw, clamped, note


def _as_if_15(version: Version, membership: int | None, density_bp: int | None) -> bool:
    if membership is None or density_bp is None:
        return False
    data = version.data
    return membership >= num(data, "death_min_membership_months") and density_bp >= num(data, "death_min_density_bp")


def jp_benefit(
    masa_iur_months: int,
    average_wage: Rupiah,
    on: dt.date,
    *,
    reason: JpReason = JpReason.OLD_AGE,
    membership_months: int | None = None,
    density_bp: int | None = None,
    accumulated: Rupiah | None = None,
) -> Benefit:
    """JP benefit: the first-year monthly pension, or the lump sum under 15 years.

    Args:
        masa_iur_months: months of contributions.
        average_wage: average monthly wage over the contribution period, already indexed for inflation (and
            capped at each month's JP cap, as contributions were).
        on: the date the pension starts; selects the year's minimum and maximum.
        reason: old age, death or disability.
        membership_months: months of membership (death/disability: as if 15 years needs >= 12).
        density_bp: contribution density in basis points (death/disability: >= 8000 = 80 %).
        accumulated: contributions plus returns, paid as the lump sum under 15 years.

    Returns:
        Item ``monthly`` (clamped to the year's bounds) or ``lump_sum``; the pension age on ``on``.

    Raises:
        InvalidInput: bad counts or wage, or a date with no bounds on file (2016-2019 are missing).
    """
    check_count(masa_iur_months, "masa_iur_months", 0, 720)
    check_wage(average_wage, "average_wage")
    trail = Trail()
    version = table(JP_RULES).at(on, "date").record(trail)
    age = pension_age(on, trail)
    minimum = num(version.data, "min_months_monthly")
    details: dict[str, object] = {"reason": reason.value, "masa_iur_months": masa_iur_months, "pension_age": age}
    counted = masa_iur_months
    if (
        masa_iur_months < minimum
        and reason is not JpReason.OLD_AGE
        and _as_if_15(version, membership_months, density_bp)
    ):
        counted = minimum
        if reason is JpReason.DISABILITY:
            trail.warn("UNCONFIRMED: the 'as if 15 years' rule is sourced for death; applied to disability by analogy")
    if counted < minimum:
        note = "contributions plus returns (UU SJSN Ps 41)"
        if accumulated is None:
            trail.warn("lump sum: give the accumulated contributions plus returns to compute the amount")
        item = BenefitItem("lump_sum", f"Lump sum (under {minimum} months of contributions)", accumulated or 0, note)
        return Benefit(Program.JP, on, [item], True, [], details, [], trail)
    raw, monthly, note = _monthly(version, counted, average_wage, on, trail)
    details.update({"months_counted": counted, "formula_amount": raw})
    item = BenefitItem("monthly", "Monthly pension, first year", monthly, note)
    return Benefit(Program.JP, on, [item], True, [], details, [], trail)
