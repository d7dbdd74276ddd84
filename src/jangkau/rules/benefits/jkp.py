"""JKP (Jaminan Kehilangan Pekerjaan): cash benefit after a dismissal (PHK), by the rule in force on that date.

- PP 37/2021 (dismissals to 2025-02-06): 45 % x 3 months + 25 % x 3 months; >= 12 months of contributions in 24
  and >= 6 consecutive; claim within 3 months.
- PP 6/2025 (from 2025-02-07): 60 % x 6 months; >= 12 months in 24; claim within 6 months.
Both on the last reported wage capped at Rp5,000,000. Rounding: each month half up to the Rupiah.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jangkau.kit.money import Rupiah, apply_bp
from jangkau.kit.months import Month
from jangkau.rules.benefits.common import Benefit, BenefitItem, add_months
from jangkau.rules.model import Program, Trail
from jangkau.rules.tables import Version, num, rounding, rows, table, text
from jangkau.rules.wages import check_wage

JKP_BENEFITS = "jkp_benefits"


def _longest_run(months: set[Month]) -> int:
    best = 0
    for month in months:
        if month.plus(-1) in months:
            continue
        length = 1
        while month.plus(length) in months:
            length += 1
        best = max(best, length)
    return best


def _eligibility(
    version: Version, dismissal: Month, paid: set[Month], trail: Trail
) -> tuple[list[str], dict[str, int]]:
    data = version.data
    window = num(data, "eligibility_window")
    trail.warn(f"UNCONFIRMED ({JKP_BENEFITS} {version.version}): {text(data, 'window_note')}")
    in_window = {m for m in paid if dismissal.plus(1 - window) <= m <= dismissal}
    reasons = []
    needed = num(data, "eligibility_months")
    if len(in_window) < needed:
        reasons.append(f"{len(in_window)} contribution months in the last {window}; {needed} needed")
    consecutive = num(data, "eligibility_consecutive")
    run = _longest_run(in_window)
    if consecutive and run < consecutive:
        reasons.append(f"longest run of consecutive paid months is {run}; {consecutive} needed")
    return reasons, {"months_in_window": len(in_window), "longest_run": run}


def jkp_benefit(
    dismissal_date: dt.date, last_wage: Rupiah, paid_months: Iterable[Month], claim_date: dt.date | None = None
) -> Benefit:
    """JKP cash benefit for a dismissal, under the regulation in force on ``dismissal_date``.

    Args:
        dismissal_date: date of the PHK; selects PP 37/2021 or PP 6/2025.
        last_wage: last wage reported by the employer (capped at Rp5,000,000 for the benefit).
        paid_months: contribution months paid.
        claim_date: when the claim is filed (3 or 6 months limit).

    Returns:
        The monthly schedule, total cash benefit, training benefit (information), eligibility and reasons.

    Raises:
        InvalidInput: bad wage, or a dismissal before JKP existed (2021-02-02).
    """
    check_wage(last_wage, "last_wage")
    trail = Trail()
    version = table(JKP_BENEFITS).at(dismissal_date, "dismissal_date").record(trail)
    data, mode = version.data, rounding(version.data)
    base = min(last_wage, num(data, "wage_cap"))
    schedule: list[dict[str, object]] = []
    items = []
    for tier in rows(data, "tiers"):
        bp, months = num(tier, "bp"), num(tier, "months")
        amount = apply_bp(base, bp, mode)
        first = len(schedule) + 1
        schedule.extend({"month": first + i, "bp": bp, "amount": amount} for i in range(months))
        label = f"{bp / 100:g} % x Rp{base:,}, months {first}-{first + months - 1}"
        items.append(BenefitItem(f"cash_{first}", label, amount * months))
    reasons, counts = _eligibility(version, Month.of(dismissal_date), set(paid_months), trail)
    deadline = add_months(dismissal_date, num(data, "claim_window_months"))
    if claim_date is not None and claim_date > deadline:
        reasons.append(
            f"claim filed after {deadline.isoformat()} ({num(data, 'claim_window_months')} months after the PHK)"
        )
    details = {
        "base": base,
        "wage": last_wage,
        "claim_deadline": deadline.isoformat(),
        "training_benefit": num(data, "training"),
        **counts,
    }
    return Benefit(Program.JKP, dismissal_date, items, not reasons, reasons, details, schedule, trail)
