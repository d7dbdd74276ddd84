"""The headline figures of a territory and month, defined once: "registered", "active", "protected", "lapsed",
the coverage rate and the target.

Every page that shows one of these figures (home, registry, dashboard, scorecard, campaign, sponsor statement)
asks :func:`for_regions` for it and shows the definition below from :data:`DEFINITIONS`, so the same word never
means two numbers. The unit is the **membership** (a person holding two segments counts in each), counted from
the coverage summaries of reporting, which every domain keeps fresh through the outbox.

For a month M and a membership open in M:

- **registered**: the membership is open in M (started on or before its last day, not ended before its first);
- **protected**: M's contribution is paid (a paid month): the member is protected in M;
- **lapsed** (in arrears): M is not paid, but an earlier month was: protection has begun and stopped;
- **active**: protection has begun and the membership has not ended: protected + lapsed. So
  registered >= active >= protected, and registered - active have not paid a first contribution yet.

The coverage rate is protected / the workforce estimate; a target counts protected memberships.

Lower domains (registry, funding, outreach) may not import reporting (import-linter): reporting hands its
implementation to :func:`provide` when it is imported (``jangkau.reporting.figures``), and pages call the
functions here. The default month of every report is :func:`last_complete_month`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jangkau.i18n import N_
from jangkau.kit.months import Month

HEADLINE = ("registered", "active", "protected", "lapsed")


@dataclass(frozen=True)
class Definition:
    """A figure's name and what it counts (English catalog texts; the page translates them)."""

    key: str
    name: str
    text: str


DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
        Definition(
            "registered",
            N_("Registered"),
            N_(
                "Memberships open in the month: registered on or before its last day and not ended before its first "
                "day, whether or not a contribution has been paid. A person with two memberships counts twice."
            ),
        ),
        Definition(
            "active",
            N_("Active"),
            N_(
                "Registered memberships whose protection has begun (a first contribution was paid) and that have "
                "not ended: the protected ones plus those in arrears."
            ),
        ),
        Definition(
            "protected",
            N_("Protected"),
            N_(
                "Memberships whose contribution for the month is paid: the member is protected in that month. "
                "Months in arrears are not counted."
            ),
        ),
        Definition(
            "lapsed",
            N_("In arrears"),
            N_(
                "Active memberships whose contribution for the month is not paid although an earlier month was "
                "(BPU memberships end after more than 3 months in arrears)."
            ),
        ),
        Definition(
            "coverage_rate",
            N_("Coverage rate"),
            N_("Protected memberships divided by the workforce estimate of the region."),
        ),
        Definition(
            "target",
            N_("Target"),
            N_("The number of protected memberships the region aims for in the year."),
        ),
    )
}


def last_complete_month(today: dt.date) -> Month:
    """The month every report opens on: the last month that has ended (4 December 2026 -> November 2026)."""
    return Month.of(today).plus(-1)


def year_month(year: int, today: dt.date) -> Month | None:
    """The month a yearly report (scorecard) reads: December of a past year, the last complete month of the
    current year, nothing for a year that has no complete month yet."""
    month = min(Month(year, 12), last_complete_month(today))
    return month if month.year == year else None


@dataclass(frozen=True)
class Figures:
    """The headline figures of one territory in one month, with how fresh the summaries behind them are."""

    regions: tuple[str, ...]
    month: Month
    registered: int
    active: int
    protected: int
    lapsed: int
    refreshed_at: dt.datetime | None
    pending: int

    @property
    def not_started(self) -> int:
        """Registered memberships with no contribution paid yet."""
        return self.registered - self.active

    @property
    def complete(self) -> bool:
        """The summaries were made and nothing is waiting to be counted in this territory."""
        return self.refreshed_at is not None and self.pending == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "regions": list(self.regions),
            "month": str(self.month),
            "month_day": self.month.first_day(),
            **{key: getattr(self, key) for key in HEADLINE},
            "refreshed_at": self.refreshed_at,
            "pending": self.pending,
            "complete": self.complete,
        }


def from_measures(measures: Mapping[str, int]) -> dict[str, int]:
    """The headline figures from the measures of a summary row (``registered``, ``active`` = paid month,
    ``lapsed``): the one place where the summary's columns become the figures' meaning."""
    paid, lapsed = int(measures.get("active", 0)), int(measures.get("lapsed", 0))
    return {
        "registered": int(measures.get("registered", 0)),
        "active": paid + lapsed,
        "protected": paid,
        "lapsed": lapsed,
    }


Provider = Callable[[Session, Iterable[str], Month], Figures]
_provider: list[Provider] = []


def provide(provider: Provider) -> None:
    """Install the implementation (reporting's, reading the coverage summaries)."""
    _provider[:] = [provider]


def for_regions(session: Session, regions: Iterable[str], month: Month) -> Figures:
    """The headline figures of the regions (disjoint region codes or territory prefixes; ``""`` or ``ID`` for the
    country) in ``month``.

    Raises:
        RuntimeError: reporting was not imported (no implementation installed).
    """
    if not _provider:
        raise RuntimeError("no figures provider: import jangkau.reporting.figures")
    return _provider[0](session, regions, month)
