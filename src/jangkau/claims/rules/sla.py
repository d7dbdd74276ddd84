"""The service-level clock: pay within 7 working days of complete documents, else 1 % of the benefit per day
late (PP 44/2015 Ps 37(2)-(3)). Pure; working days from ``jangkau.kit.workdays``; figures from
``data/service_level.toml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jangkau.claims.rules.ruledata import service_level
from jangkau.kit.money import Rupiah, apply_bp
from jangkau.kit.workdays import add_working_days, count_working_days, holiday_source
from jangkau.rules import Program, Trail


def due_on(complete_on: dt.date) -> dt.date:
    """The payment deadline: the configured number of working days after the documents were complete."""
    return add_working_days(complete_on, int(service_level().data["working_days"]))


@dataclass
class LatePayment:
    """How late a payment was and the compensation owed to the recipient."""

    due_on: dt.date
    paid_on: dt.date
    days_late: int
    compensation: Rupiah
    trail: Trail = field(default_factory=Trail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_on": self.due_on.isoformat(),
            "paid_on": self.paid_on.isoformat(),
            "days_late": self.days_late,
            "compensation": self.compensation,
            **self.trail.as_dict(),
        }


def late_payment(program: Program, benefit: Rupiah, deadline: dt.date, paid_on: dt.date) -> LatePayment:
    """Days late after ``deadline`` and the compensation (basis points of ``benefit`` per day, half up).

    Args:
        program: the claim's programme (the article is cited for JKK; other programmes get a warning).
        benefit: the benefit paid.
        deadline: the service-level deadline.
        paid_on: the day the benefit was paid.

    Returns:
        Days late (0 when on time) and the compensation, with the rule used.
    """
    version = service_level()
    trail = Trail()
    version.record(trail)
    data = version.data
    if program.value not in data["programmes_cited"]:
        trail.warn(
            f"UNCONFIRMED ({version.id} {version.version}): the deadline and compensation are cited for "
            f"{', '.join(p.upper() for p in data['programmes_cited'])}; applied to {program.value.upper()} as well"
        )
    if data["late_day_kind"] == "working":
        days = count_working_days(deadline, paid_on)
        trail.warn(f"working days counted with the calendar: {holiday_source(deadline.year)}")
    else:
        days = max(0, (paid_on - deadline).days)
    compensation = apply_bp(benefit, int(data["late_bp_per_day"]) * days)
    return LatePayment(deadline, paid_on, days, compensation, trail)
