"""Coverage and lapse: protected months, arrears, membership status, and whether an event is covered.

- Protection starts with the first paid contribution month (PP 45/2015 Ps 3) and runs to the end of the last
  paid month (``protected_until``).
- A month is in arrears when it is unpaid and its due date (``payment.due_date``) has passed.
- BPU: more than 3 consecutive months in arrears end the membership: "berakhir", or "nonaktif" if the JHT was
  already claimed (Perdir 22/PERDIR.02/072022 [S-PROBIS59]). PU arrears do not end a membership.
- An event in an unpaid month inside the arrears window: whether it is covered is UNCONFIRMED (REFERENCE 2.3,
  7.2); the answer comes from ``arrears_window_cover`` in the data and is reported as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from jangkau.kit.months import Month
from jangkau.rules.errors import NoLapseRule
from jangkau.rules.model import Segment, Trail
from jangkau.rules.payment import due_date
from jangkau.rules.tables import Version, num, table, text

COVERAGE_RULES = {Segment.PU: "coverage_pu", Segment.BPU: "coverage_bpu"}


class MembershipStatus(StrEnum):
    """Membership status on a date."""

    BELUM_AKTIF = "belum_aktif"  # registered, no contribution paid yet
    AKTIF = "aktif"  # paid up
    MENUNGGAK = "menunggak"  # in arrears, membership still running
    BERAKHIR = "berakhir"  # ended (BPU: > 3 consecutive months unpaid)
    NONAKTIF = "nonaktif"  # ended after a JHT claim


class Cover(StrEnum):
    """Whether an event is covered."""

    COVERED = "covered"
    NOT_COVERED = "not_covered"
    UNCONFIRMED = "unconfirmed"


@dataclass
class CoverageStatus:
    """The state of one membership on ``as_of``, and the cover of an event if one was asked about."""

    segment: Segment
    start: Month
    as_of: dt.date
    status: MembershipStatus
    paid: list[Month]
    arrears: list[Month]
    protected_until: dt.date | None
    ended_on: dt.date | None = None  # the due date after which the membership ended (BPU lapse)
    event_date: dt.date | None = None
    event_cover: Cover | None = None
    event_note: str = ""
    trail: Trail = field(default_factory=Trail)

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment.value,
            "start": str(self.start),
            "as_of": self.as_of.isoformat(),
            "status": self.status.value,
            "protected_months": len(self.paid),
            "protected_ranges": _ranges(self.paid),
            "protected_until": self.protected_until.isoformat() if self.protected_until else None,
            "arrears_months": [str(m) for m in self.arrears],
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "event_cover": self.event_cover.value if self.event_cover else None,
            "event_note": self.event_note,
            **self.trail.as_dict(),
        }


def _ranges(months: list[Month]) -> list[str]:
    out: list[str] = []
    for month in months:
        if out and month.plus(-1) in months:
            out[-1] = out[-1].split("..")[0] + f"..{month}"
        else:
            out.append(str(month))
    return out


@dataclass
class _Walk:
    paid: list[Month] = field(default_factory=list)
    arrears: list[Month] = field(default_factory=list)
    run: int = 0
    ended_after: Month | None = None  # the month whose unpaid due date ended the membership


def _walk(segment: Segment, start: Month, paid: set[Month], as_of: dt.date, lapse_after: int) -> _Walk:
    walk = _Walk()
    month, last = start, max(Month.of(as_of), max(paid, default=start))
    while month <= last:
        if month in paid:
            walk.paid.append(month)
            walk.run = 0
        elif walk.paid and due_date(segment, month).due_on < as_of:
            walk.arrears.append(month)
            walk.run += 1
            if lapse_after and walk.run > lapse_after:
                walk.ended_after = month
                break
        month = month.next()
    return walk


def _status(walk: _Walk, version: Version, jht_claimed: bool) -> MembershipStatus:
    if walk.ended_after is not None:
        lapsed = "status_lapsed_jht_claimed" if jht_claimed else "status_lapsed"
        return MembershipStatus(text(version.data, lapsed))
    if not walk.paid:
        return MembershipStatus.BELUM_AKTIF
    return MembershipStatus.MENUNGGAK if walk.run else MembershipStatus.AKTIF


def _event_cover(walk: _Walk, version: Version, event: dt.date, ended_on: dt.date | None) -> tuple[Cover, str]:
    month = Month.of(event)
    if ended_on is not None and event > ended_on:
        return Cover.NOT_COVERED, f"membership ended after {ended_on.isoformat()}"
    if month in walk.paid:
        return Cover.COVERED, f"contribution for {month} is paid"
    if not walk.paid or month < walk.paid[0]:
        return Cover.NOT_COVERED, "before the first paid contribution month: protection had not started"
    grace = num(version.data, "grace_months")
    last_paid = max(m for m in walk.paid if m < month)
    if grace and month.minus(last_paid) > grace:
        return Cover.NOT_COVERED, f"more than {grace} months after the last paid month {last_paid}"
    answer = text(version.data, "arrears_window_cover")
    note = f"event in unpaid month {month} (arrears window after {last_paid}); cover in arrears is {answer}"
    return {"covered": Cover.COVERED, "not_covered": Cover.NOT_COVERED}.get(answer, Cover.UNCONFIRMED), note


def coverage_status(
    segment: Segment,
    start: Month,
    paid_months: Iterable[Month],
    as_of: dt.date,
    *,
    jht_claimed: bool = False,
    event_date: dt.date | None = None,
) -> CoverageStatus:
    """Protected months, arrears and status of a membership on ``as_of``; optionally, whether an event is covered.

    Args:
        segment: ``Segment.PU`` or ``Segment.BPU``.
        start: month of registration.
        paid_months: contribution months paid (in any order; months before ``start`` are ignored).
        as_of: the date the status is asked for (arrears are months whose due date is before it).
        jht_claimed: the JHT was claimed (a lapsed BPU membership is then "nonaktif").
        event_date: date of an accident or death to check cover for.

    Returns:
        Status, paid months, arrears, protected_until, ended_on and the event's cover with its reason. An
        event in the arrears window answers UNCONFIRMED (with a warning) while the data says "unknown".

    Raises:
        InvalidInput: Jakon or PMI (no lapse rule on file), or a date outside the rules on file.
    """
    rule_id = COVERAGE_RULES.get(segment)
    if rule_id is None:
        raise NoLapseRule(segment.value)
    trail = Trail()
    version = table(rule_id).at(as_of, "as_of").record(trail)
    paid = {m for m in paid_months if m >= start}
    walk = _walk(segment, start, paid, as_of, num(version.data, "lapse_after_unpaid"))
    protected_until = walk.paid[-1].last_day() if walk.paid else None
    # The membership ends once the due date of the first month beyond the allowed arrears has passed.
    ended_on = None if walk.ended_after is None else due_date(segment, walk.ended_after).due_on
    if walk.ended_after is not None and max(paid) > walk.ended_after:
        trail.warn("payments after the membership ended are not counted: they need a new registration")
    status = _status(walk, version, jht_claimed)
    result = CoverageStatus(
        segment, start, as_of, status, walk.paid, walk.arrears, protected_until, ended_on, trail=trail
    )
    if event_date is not None:
        cover, note = _event_cover(walk, version, event_date, ended_on)
        result.event_date, result.event_cover, result.event_note = event_date, cover, note
        if cover is Cover.UNCONFIRMED:
            trail.warn(
                f"UNCONFIRMED ({rule_id} {version.version}): whether an event during the arrears window is covered"
            )
    return result
