"""Due dates and late-payment fines (REFERENCE 1.6, 1.7, 2.3).

- PU: by the 15th of the month after the contribution month; BPU: by the 15th of the contribution month itself.
  A due date on a holiday moves to the next working day (``jangkau.kit.workdays``).
- PP 49/2020 (contribution months 2020-08 to 2021-01, PU): the 30th of the following month, moved to the
  *previous* working day; late fine 0.5 % instead of 2 % per month.
- Late fine: PU 2 % of the contribution due per month of lateness, paid by the employer; BPU none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jangkau.kit import workdays
from jangkau.kit.money import Rupiah, apply_bp
from jangkau.kit.months import Month
from jangkau.rules import relaxations
from jangkau.rules.errors import AmountDueNegative, NoPaymentRule, PaidTooLate
from jangkau.rules.model import Segment, Trail
from jangkau.rules.tables import Version, num, rounding, sub, table, text

RULE_ID = "payment"
_MAX_MONTHS_LATE = 1200


@dataclass(frozen=True)
class DueDate:
    """When the contribution of ``month`` is due."""

    segment: Segment
    month: Month
    due_on: dt.date
    nominal: dt.date  # before moving off a holiday
    holiday_calendar: str
    trail: Trail = field(default_factory=Trail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment.value,
            "month": str(self.month),
            "due_on": self.due_on.isoformat(),
            "nominal": self.nominal.isoformat(),
            "holiday_calendar": self.holiday_calendar,
            **self.trail.as_dict(),
        }


@dataclass(frozen=True)
class LateFine:
    """The fine on a late contribution."""

    segment: Segment
    month: Month
    amount_due: Rupiah
    due_on: dt.date
    paid_on: dt.date
    months_late: int
    rate_bp_per_month: int
    fine: Rupiah
    trail: Trail = field(default_factory=Trail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment.value,
            "month": str(self.month),
            "amount_due": self.amount_due,
            "due_on": self.due_on.isoformat(),
            "paid_on": self.paid_on.isoformat(),
            "months_late": self.months_late,
            "rate_bp_per_month": self.rate_bp_per_month,
            "fine": self.fine,
            **self.trail.as_dict(),
        }


def _segment_rule(version: Version, segment: Segment) -> dict[str, Any]:
    if segment not in (Segment.PU, Segment.BPU):
        raise NoPaymentRule(segment.value)
    return dict(sub(version.data, segment.value))


def due_date(segment: Segment, month: Month) -> DueDate:
    """The due date of the contribution for ``month``.

    Args:
        segment: ``Segment.PU`` or ``Segment.BPU``.
        month: the contribution month.

    Returns:
        The due date, moved off weekends and holidays, with the calendar used.

    Raises:
        InvalidInput: another segment, or a month before the rules on file.
    """
    trail = Trail()
    version = table(RULE_ID).for_month(month, "month", trail)
    rule = _segment_rule(version, segment)
    target = month.plus(num(rule, "due_month_offset"))
    nominal = target.day(num(rule, "due_day"))
    shift = text(rule, "shift")
    pp49 = relaxations.pp49(month, trail) if segment is Segment.PU else None
    if pp49 is not None:
        nominal = target.day(num(pp49.data, "due_day"))
        shift = text(pp49.data, "due_shift")
    moved = workdays.next_working_day(nominal) if shift == "next" else workdays.previous_working_day(nominal)
    calendar = workdays.holiday_source(nominal.year)
    if "none" in calendar:
        trail.warn(f"no holiday calendar for {nominal.year}: the due date counts weekends only")
    return DueDate(segment, month, moved, nominal, calendar, trail)


def months_late(due_on: dt.date, paid_on: dt.date) -> int:
    """Months of lateness: each started month after the due date counts as a whole month (0 if on time)."""
    if paid_on <= due_on:
        return 0
    start = Month.of(due_on)
    for k in range(1, _MAX_MONTHS_LATE + 1):
        if paid_on <= start.plus(k).day(due_on.day):
            return k
    raise PaidTooLate()


def late_fine(segment: Segment, month: Month, amount_due: Rupiah, paid_on: dt.date) -> LateFine:
    """The late-payment fine on ``amount_due`` for contribution ``month`` paid on ``paid_on``.

    PU: 2 % per month of lateness (0.5 % for contribution months under PP 49/2020), simple, rounded half up to
    the Rupiah, borne by the employer alone. BPU: no fine.

    Raises:
        InvalidInput: a negative amount, another segment, or a month outside the rules on file.
    """
    if amount_due < 0:
        raise AmountDueNegative(amount_due)
    due = due_date(segment, month)
    trail = due.trail
    version = table(RULE_ID).for_month(month, "month", trail)
    rule = _segment_rule(version, segment)
    rate = num(rule, "fine_bp_per_month")
    pp49 = relaxations.pp49(month, trail) if segment is Segment.PU else None
    if pp49 is not None:
        rate = num(pp49.data, "fine_bp_per_month")
    late = months_late(due.due_on, paid_on)
    if late and rate:
        trail.warn(f"UNCONFIRMED ({RULE_ID} {version.version}): {text(version.data, 'fine_month_note')}")
    fine = apply_bp(amount_due, Decimal(rate) * late, rounding(version.data))
    return LateFine(segment, month, amount_due, due.due_on, paid_on, late, rate, fine, trail)
