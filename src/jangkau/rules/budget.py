"""Budget planner: what covering N BPU workers costs for M months, and how many workers a budget covers.

The rates of each month are applied (a relaxation or a new rule inside the period changes that month only). Every
amount is a whole Rupiah: the cost of one worker in one month (``bpu`` rounding), times months and workers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules.bpu import BASIC_PACKAGE, bpu_band, bpu_monthly
from jangkau.rules.errors import BudgetBpuOnly, OutOfRange
from jangkau.rules.model import Program, Segment, Trail, parse_programs
from jangkau.rules.relaxations import BpuSector
from jangkau.rules.results import MonthAmount

MAX_WORKERS = 10_000_000  # more than every BPU participant in a province: a typing error
MAX_MONTHS = 120
MAX_BUDGET: Rupiah = 10_000_000_000_000  # Rp10 trillion


@dataclass
class BudgetCost:
    """Itemised cost of covering ``workers`` workers on one package for ``months`` months from ``start``."""

    segment: Segment
    workers: int
    months: int
    start: Month
    income: Rupiah
    band_nominal: Rupiah
    programs: list[Program]
    per_worker_month: list[MonthAmount]  # one worker, each month
    trail: Trail = field(default_factory=Trail)

    @property
    def per_worker_total(self) -> Rupiah:
        return sum(m.total for m in self.per_worker_month)

    @property
    def per_program(self) -> dict[Program, Rupiah]:
        return {p: self.workers * sum(m.by_program.get(p, 0) for m in self.per_worker_month) for p in self.programs}

    @property
    def total(self) -> Rupiah:
        return self.workers * self.per_worker_total

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment.value,
            "workers": self.workers,
            "months": self.months,
            "start": str(self.start),
            "end": str(self.start.plus(self.months - 1)),
            "income": self.income,
            "band_nominal": self.band_nominal,
            "programs": [p.value for p in self.programs],
            "per_month": [
                {**m.as_dict(), "per_worker": m.total, "all_workers": m.total * self.workers}
                for m in self.per_worker_month
            ],
            "per_program": {p.value: a for p, a in self.per_program.items()},
            "per_worker_total": self.per_worker_total,
            "total": self.total,
            **self.trail.as_dict(),
        }


@dataclass
class BudgetCapacity:
    """How many workers a budget covers for ``months`` months, the cost of those workers and what is left."""

    budget: Rupiah
    workers: int
    remainder: Rupiah
    cost: BudgetCost

    def as_dict(self) -> dict[str, Any]:
        return {
            "budget": self.budget,
            "workers": self.workers,
            "remainder": self.remainder,
            "cost": self.cost.as_dict(),
        }


def _check(value: int, name: str, high: int) -> int:
    if not 1 <= value <= high:
        raise OutOfRange(name, 1, f"{high:,}", f"{value:,}")
    return value


def budget_cost(
    workers: int,
    months: int,
    start: Month,
    income: Rupiah,
    programs: Iterable[Program] | str = BASIC_PACKAGE,
    *,
    segment: Segment = Segment.BPU,
    sector: BpuSector | None = None,
) -> BudgetCost:
    """Cost of covering ``workers`` BPU workers for ``months`` months from ``start``.

    Args:
        workers: number of workers (1 to 10 million).
        months: months of cover (1 to 120).
        start: first contribution month.
        income: declared income of each worker (selects the band; Rp1,000,000 = the minimum package).
        programs: JKK + JKM, optionally JHT.
        segment: only ``Segment.BPU`` is supported.
        sector: BPU sector, to apply PP 50/2025 (UNCONFIRMED) where it covers a month.

    Returns:
        Per month, per programme, per worker and total amounts, with the rules used.

    Raises:
        InvalidInput: counts out of range, another segment, or a month outside the rules on file.
    """
    if segment is not Segment.BPU:
        raise BudgetBpuOnly()
    _check(workers, "workers", MAX_WORKERS)
    _check(months, "months", MAX_MONTHS)
    selected = parse_programs(programs if isinstance(programs, str) else frozenset(programs))
    trail = Trail()
    per_month = []
    for i in range(months):
        amount, month_trail = bpu_monthly(income, start.plus(i), selected, sector)
        trail.merge(month_trail)
        per_month.append(amount)
    nominal = bpu_band(income, start).nominal
    ordered = [p for p in Program if p in selected]
    return BudgetCost(segment, workers, months, start, income, nominal, ordered, per_month, trail)


def budget_capacity(
    budget: Rupiah,
    months: int,
    start: Month,
    income: Rupiah,
    programs: Iterable[Program] | str = BASIC_PACKAGE,
    *,
    segment: Segment = Segment.BPU,
    sector: BpuSector | None = None,
) -> BudgetCapacity:
    """How many BPU workers ``budget`` covers for ``months`` months from ``start``, and the remainder.

    Example: Rp2,300,000,000 for 12 months on the minimum package (Rp16,800 a month, Rp201,600 a year) covers
    11,408 workers with Rp147,200 left.

    Raises:
        InvalidInput: a budget that is not positive or absurd, or any error of :func:`budget_cost`.
    """
    _check(budget, "budget", MAX_BUDGET)
    one = budget_cost(1, months, start, income, programs, segment=segment, sector=sector)
    workers = budget // one.per_worker_total
    if workers == 0:
        one.trail.warn(f"the budget does not cover one worker (Rp{one.per_worker_total:,} needed)")
    cost = BudgetCost(
        one.segment, workers, months, start, income, one.band_nominal, one.programs, one.per_worker_month, one.trail
    )
    return BudgetCapacity(budget, workers, budget - cost.total, cost)
