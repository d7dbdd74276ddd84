"""What a finding implies is unpaid each month, computed with the rules engine's ``pu_contribution``.

Pure: no database. The reported workforce of an employer-month is a list of :class:`WageGroup` (workers with the
same wage and programmes); each detector returns a :class:`Draft` with its evidence, the unpaid contribution per
month (employer + worker shares, whole Rupiah as the rules engine rounds them) and the rules trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jangkau.compliance.rules import obligations
from jangkau.errors import InvalidInput
from jangkau.i18n import N_, bilingual, gettext, pgettext
from jangkau.kit.money import apply_bp, format_rupiah
from jangkau.kit.months import Month
from jangkau.rules import Contribution, MinWage, Program, Status, Trail, min_wage, pu_contribution, tables

BILLED = frozenset({Program.JKK, Program.JKM, Program.JHT, Program.JP})
# Evidence of wages counts only when it is clearly above what is reported (10 %): registers round and lag.
WAGE_TOLERANCE_BP = 1_000
POINTS = {"pds_tk": 25, "pds_upah": 15, "pds_program": 20}
POINTS_PER_RUPIAH = 500_000  # one more point per Rp500,000 unpaid a month ...
MAX_AMOUNT_POINTS = 15  # ... up to 15


@dataclass(frozen=True)
class WageGroup:
    """``workers`` reported with the same monthly ``wage`` and ``programs``."""

    wage: int
    programs: frozenset[Program]
    workers: int


@dataclass(frozen=True)
class EmployerMonth:
    """What the detectors need to know about an employer in a month."""

    employer_id: int
    size_class: str
    risk_group: int
    region: str
    month: Month
    groups: tuple[WageGroup, ...]
    source: str

    @property
    def workers(self) -> int:
        return sum(g.workers for g in self.groups)

    @property
    def average_wage(self) -> int:
        workers = self.workers
        return sum(g.wage * g.workers for g in self.groups) // workers if workers else 0


@dataclass
class Draft:
    """A finding before it is stored."""

    kind: str
    subject: str
    summary: str
    summary_id: str
    unpaid_per_month: int
    evidence: dict[str, Any] = field(default_factory=dict)
    trail: Trail = field(default_factory=Trail)

    @property
    def points(self) -> int:
        return points(self.kind, self.unpaid_per_month)


def points(kind: str, unpaid_per_month: int) -> int:
    """Risk points of one open finding: a weight per kind plus one per Rp500,000 unpaid a month (at most 15)."""
    return POINTS.get(kind, 10) + min(MAX_AMOUNT_POINTS, unpaid_per_month // POINTS_PER_RUPIAH)


@lru_cache(maxsize=4096)
def _contribution(
    wage: int, risk_group: int, month: Month, programs: frozenset[Program], tables_revision: int
) -> Contribution:
    del tables_revision  # part of the cache key only: new rule versions in force give new figures
    return pu_contribution(wage, risk_group, month, programs)


def monthly(wage: int, risk_group: int, month: Month, programs: Iterable[Program], trail: Trail) -> int:
    """Employer + worker contribution of one worker for one month (0 for no wage or no billed programme)."""
    billed = frozenset(programs) & BILLED
    if wage <= 0 or not billed:
        return 0
    result = _contribution(wage, risk_group, month, billed, tables.revision())
    trail.merge(result.trail)
    return result.total


def floor_of(region: str, month: Month, trail: Trail) -> MinWage | None:
    """The UMK/UMP of the employer's region, or None (with a warning) where none is on file."""
    try:
        floor = min_wage(region, month)
    except InvalidInput as exc:
        trail.warn(f"wage floor not checked: {exc.message}")
        return None
    trail.merge(floor.trail)
    return floor


def _floor_doubt(floor: MinWage) -> tuple[str, str]:
    """A note for the finding's text when the floor is UNCONFIRMED (e.g. last year's carried forward)."""
    if not any(ref.status is Status.UNCONFIRMED for ref in floor.trail.rules):
        return "", ""
    return bilingual(
        N_("; UNCONFIRMED: no confirmed minimum wage on file for %(month)s, the latest known is used"),
        month=floor.month,
    )


def pds_program(em: EmployerMonth) -> Draft | None:
    """Registered workers missing programmes their employer's size class requires (Perpres 109/2013)."""
    trail = Trail()
    required = obligations.required_programs(em.size_class, trail)
    missing_by_group = [(g, required - g.programs) for g in em.groups]
    affected = [(g, m) for g, m in missing_by_group if m & BILLED]
    if not affected:
        return None
    unpaid = sum(monthly(g.wage, em.risk_group, em.month, m, trail) * g.workers for g, m in affected)
    missing = sorted({p.value.upper() for _, m in affected for p in m & BILLED})
    workers = sum(g.workers for g, _ in affected)
    names = ", ".join(missing)
    return Draft(
        "pds_program",
        "programs",
        *_lacking(workers, em, names),
        unpaid,
        {
            "size_class": em.size_class,
            "required": sorted(p.value for p in required),
            "missing": [p.lower() for p in missing],
            "workers_affected": workers,
            "workers_reported": em.workers,
            "source": em.source,
        },
        trail,
    )


def pds_upah_floor(em: EmployerMonth) -> Draft | None:
    """Workers reported below the UMK/UMP of the employer's region (the rules engine's ``min_wage``)."""
    trail = Trail()
    floor = floor_of(em.region, em.month, trail)
    if floor is None:
        return None
    below = [g for g in em.groups if g.wage < floor.amount]
    if not below:
        return None
    unpaid = sum(
        (
            monthly(floor.amount, em.risk_group, em.month, g.programs, trail)
            - monthly(g.wage, em.risk_group, em.month, g.programs, trail)
        )
        * g.workers
        for g in below
    )
    workers = sum(g.workers for g in below)
    lowest = min(g.wage for g in below)
    level = floor.level.upper()
    unsure, unsure_id = _floor_doubt(floor)
    decree = floor.decree[:100]  # the summary column holds 400 characters
    summary, summary_id = bilingual(
        N_("%(workers)s workers reported below the %(level)s %(floor)s (lowest %(lowest)s; %(decree)s)"),
        workers=workers,
        level=level,
        floor=format_rupiah(floor.amount),
        lowest=format_rupiah(lowest),
        decree=decree,
    )
    return Draft(
        "pds_upah",
        "floor",
        summary + unsure,
        summary_id + unsure_id,
        unpaid,
        {
            "floor": {
                "level": floor.level,
                "code": floor.code,
                "name": floor.name,
                "amount": floor.amount,
                "decree": floor.decree,
                "unconfirmed": bool(unsure),
            },
            "workers_below": workers,
            "lowest_wage": lowest,
            "wage_gap_total": sum((floor.amount - g.wage) * g.workers for g in below),
            "source": em.source,
        },
        trail,
    )


@dataclass(frozen=True)
class OutsideFigure:
    """The strongest outside evidence for an employer: the most workers and the highest average wage seen."""

    workers: int | None
    average_wage: int | None
    sources: tuple[dict[str, Any], ...]


def pds_upah_evidence(em: EmployerMonth, outside: OutsideFigure) -> Draft | None:
    """Reported average wage clearly below the average wage another register shows."""
    if not outside.average_wage or not em.workers:
        return None
    reported = em.average_wage
    if outside.average_wage * 10_000 <= reported * (10_000 + WAGE_TOLERANCE_BP):
        return None
    trail = Trail()
    programs = frozenset().union(*(g.programs for g in em.groups))
    per_worker = monthly(outside.average_wage, em.risk_group, em.month, programs, trail) - monthly(
        reported, em.risk_group, em.month, programs, trail
    )
    return Draft(
        "pds_upah",
        "evidence",
        f"Average reported wage {format_rupiah(reported)} is below {format_rupiah(outside.average_wage)} "
        "shown by other registers",
        f"Rata-rata upah dilaporkan {format_rupiah(reported)} di bawah {format_rupiah(outside.average_wage)} "
        "menurut data lain",
        per_worker * em.workers,
        {"reported_average": reported, "outside_average": outside.average_wage, "sources": list(outside.sources)},
        trail,
    )


def pds_tk(em: EmployerMonth, outside: OutsideFigure) -> Draft | None:
    """More workers in other registers than reported: each missing worker at the required programmes.

    The missing workers' wage is taken as the reported average, else the outside average, never below the floor.
    """
    if outside.workers is None or outside.workers <= em.workers:
        return None
    trail = Trail()
    required = obligations.required_programs(em.size_class, trail)
    floor = floor_of(em.region, em.month, trail)
    wage = max(em.average_wage or outside.average_wage or 0, floor.amount if floor else 0)
    missing = outside.workers - em.workers
    per_worker = monthly(wage, em.risk_group, em.month, required, trail)
    return Draft(
        "pds_tk",
        "evidence",
        *bilingual(
            N_("%(outside)s workers in other registers, %(reported)s reported: %(missing)s missing"),
            outside=outside.workers,
            reported=em.workers,
            missing=missing,
        ),
        per_worker * missing,
        {
            "workers_reported": em.workers,
            "workers_outside": outside.workers,
            "workers_missing": missing,
            "wage_assumed": wage,
            "sources": list(outside.sources),
            "source": em.source,
        },
        trail,
    )


def detect(em: EmployerMonth, outside: OutsideFigure) -> list[Draft]:
    """Every finding for one employer-month."""
    drafts = [pds_tk(em, outside), pds_upah_floor(em), pds_upah_evidence(em, outside), pds_program(em)]
    return [d for d in drafts if d is not None]


def fine(owed: Iterable[tuple[Month, int]], on: Month, trail: Trail) -> int:
    """PP 86/2013 fine: for each month's unpaid contribution, 0.1 % for every month from it to ``on`` (at least 1).

    Rounded half up to the Rupiah per month of arrears.
    """
    rule = obligations.sanctions(trail)
    return sum(apply_bp(amount, rule.fine_bp * max(1, on.minus(month) + 1)) for month, amount in owed)


def _size_name(size_class: str, lang: str) -> str:
    """A business size class in ``lang``; English keeps the class code as it is."""
    names = {
        "micro": pgettext("business size", "micro", lang),
        "small": pgettext("business size", "small", lang),
        "medium": pgettext("business size", "medium", lang),
        "large": pgettext("business size", "large", lang),
    }
    return names.get(size_class, size_class)


def _lacking(workers: int, em: EmployerMonth, names: str) -> tuple[str, str]:
    """The pds_program summary in English and Bahasa Indonesia."""
    text = N_("%(workers)s of %(reported)s workers lack %(names)s, required for a %(size)s business")
    english, indonesian = (
        gettext(text, lang, workers=workers, reported=em.workers, names=names, size=_size_name(em.size_class, lang))
        for lang in ("en", "id")
    )
    return english, indonesian
