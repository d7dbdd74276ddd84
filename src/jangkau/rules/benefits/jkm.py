"""JKM (Jaminan Kematian): death not caused by a work accident, during active membership (REFERENCE 3.1).

PP 82/2019 (deaths from 2019-12-02): Rp20M lump sum + Rp12M periodic (24 months, paid at once) + Rp10M
funeral = Rp42M; scholarship for at most 2 children after >= 36 contribution months (the comparison is data,
UNCONFIRMED), paid yearly at the child's level, up to Rp174M. Fixed amounts: no rounding.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jangkau.rules.benefits.common import Benefit, BenefitItem, check_count
from jangkau.rules.model import Program, Trail
from jangkau.rules.tables import Version, num, rows, table, text

JKM_BENEFITS = "jkm_benefits"


def _meets(months: int, minimum: int, comparison: str) -> bool:
    return months > minimum if comparison == ">" else months >= minimum


def _scholarship(version: Version, children: int, months: int, trail: Trail) -> dict[str, Any]:
    data = version.data
    minimum, comparison = num(data, "scholarship_min_months"), text(data, "scholarship_comparison")
    if text(data, "scholarship_comparison_status", "confirmed") == "unconfirmed":
        trail.warn(
            f"UNCONFIRMED ({JKM_BENEFITS} {version.version}): scholarship needs {comparison} {minimum} contribution "
            "months; whether it is >= or > and months paid or registered is not confirmed"
        )
    eligible = _meets(months, minimum, comparison)
    levels = rows(data, "level")
    per_child = sum(num(r, "per_year") * num(r, "max_years") for r in levels) or num(data, "scholarship_total_max")
    counted = min(children, num(data, "scholarship_children")) if eligible else 0
    return {
        "eligible": eligible,
        "rule": f"{comparison} {minimum} contribution months",
        "children_counted": counted,
        "max_per_child": per_child,
        "max_total": min(per_child * counted, num(data, "scholarship_total_max")),
        "levels": [
            {
                "level": text(r, "code"),
                "name": text(r, "name"),
                "per_year": num(r, "per_year"),
                "max_years": num(r, "max_years"),
            }
            for r in levels
        ],
    }


def jkm_benefit(death_date: dt.date, contribution_months: int, children: int = 0) -> Benefit:
    """JKM cash benefits and scholarship for a death not caused by a work accident.

    Args:
        death_date: date of death; selects the rule version.
        contribution_months: months of contributions paid by the participant.
        children: children of school age who may receive the scholarship (at most 2 count).

    Returns:
        Lump sum, periodic and funeral items (the cash total), and in ``details["scholarship"]`` the eligibility,
        the maximum for the children counted, and the yearly amount per education level.

    Raises:
        InvalidInput: negative counts, or a date before the rules on file (2015-07-01).
    """
    check_count(contribution_months, "contribution_months", 0, 1200)
    check_count(children, "children", 0, 20)
    trail = Trail()
    version = table(JKM_BENEFITS).at(death_date, "death_date").record(trail)
    data = version.data
    items = [
        BenefitItem("lump_sum", "Santunan sekaligus (lump sum)", num(data, "lump_sum")),
        BenefitItem("periodic", "Santunan berkala, 24 months paid at once", num(data, "periodic")),
        BenefitItem("funeral", "Biaya pemakaman (funeral)", num(data, "funeral")),
    ]
    scholarship = _scholarship(version, children, contribution_months, trail)
    details = {"contribution_months": contribution_months, "children": children, "scholarship": scholarship}
    return Benefit(Program.JKM, death_date, items, True, [], details, [], trail)
