"""The result of a benefit calculation, shared by all programmes (JSON-ready through ``as_dict``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jangkau.kit.money import Rupiah
from jangkau.rules.errors import OutOfRange
from jangkau.rules.model import Program, Trail


@dataclass(frozen=True)
class BenefitItem:
    """One amount of a benefit (lump sum, funeral, a month of STMB, ...)."""

    code: str
    label: str
    amount: Rupiah
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "amount": self.amount, "note": self.note}


@dataclass
class Benefit:
    """What a programme pays for one event, whether it is payable, and the rules used.

    ``total`` is the sum of ``items``; ``schedule`` lists periodic amounts (per month or year) where relevant.
    ``eligible`` is False when a condition is not met (``reasons`` says which); None when it cannot be decided.
    """

    program: Program
    event_date: dt.date
    items: list[BenefitItem]
    eligible: bool | None = True
    reasons: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    schedule: list[dict[str, Any]] = field(default_factory=list)
    trail: Trail = field(default_factory=Trail)

    @property
    def total(self) -> Rupiah:
        return sum(item.amount for item in self.items)

    def item(self, code: str) -> BenefitItem:
        """The item with ``code`` (KeyError if absent)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program.value,
            "event_date": self.event_date.isoformat(),
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            **self.details,
            "items": [item.as_dict() for item in self.items],
            "total": self.total,
            "schedule": list(self.schedule),
            **self.trail.as_dict(),
        }


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_count(value: int, name: str, low: int, high: int) -> int:
    """Refuse a count (months, children) outside ``low..high``."""
    if not low <= value <= high:
        raise OutOfRange(name, low, high, value)
    return value
