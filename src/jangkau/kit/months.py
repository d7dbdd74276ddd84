"""Calendar months as values: contribution months, billing months, coverage months."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Self

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2200


class MonthOutOfRange(ValueError):
    """A month (or a date read as one) outside the years Jangkau's rules cover: bad input, never a bug."""


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. ``Month(2025, 3)``; written ``2025-03``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, got {self.month}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise MonthOutOfRange(f"year out of range: {self.year} (expected {FIRST_YEAR}-{LAST_YEAR})")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read ``YYYY-MM``. Raises ValueError with the expected format otherwise."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Self:
        return cls(day.year, day.month)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def last_day(self) -> dt.date:
        return self.next().first_day() - dt.timedelta(days=1)

    def day(self, day: int) -> dt.date:
        """A day of this month (clamped to the month's last day)."""
        return dt.date(self.year, self.month, min(day, self.last_day().day))

    def plus(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def next(self) -> Month:
        return self.plus(1)

    def minus(self, other: Month) -> int:
        """Number of months from ``other`` to ``self`` (``self - other``)."""
        return (self.year - other.year) * 12 + (self.month - other.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
