"""BPU (informal worker) contributions: JKK 1 % and JHT 2 % of the declared income band, JKM flat Rp6,800.

Rounding (``data/bpu_rates``): JKK and JHT = nominal income of the band x rate, rounded half up to the Rupiah,
per month; a relaxation factor on the flat JKM is rounded half up too (PP 49/2020: Rp68).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jangkau.kit.money import Rupiah, apply_bp, round_rupiah
from jangkau.kit.months import Month
from jangkau.rules import relaxations
from jangkau.rules.errors import BpuBasicPackageMissing, BpuProgramsNotOpen, NoBpuIncomeBand, NotOneOf
from jangkau.rules.model import Program, Segment, Status, Trail, parse_programs
from jangkau.rules.payment import due_date
from jangkau.rules.relaxations import BpuSector
from jangkau.rules.results import Contribution, ContributionLine, MonthAmount
from jangkau.rules.tables import Version, ints, num, opt_num, rounding, row_status, rows, table, text, texts
from jangkau.rules.wages import check_wage

BPU_RATES = "bpu_rates"
BPU_INCOME_BANDS = "bpu_income_bands"
BASIC_PACKAGE = frozenset({Program.JKK, Program.JKM})


@dataclass(frozen=True)
class IncomeBand:
    """The declared income band a BPU contribution is computed from."""

    low: Rupiah
    high: Rupiah | None
    nominal: Rupiah
    status: Status
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "nominal": self.nominal, "status": self.status.value}


def _explicit_band(version: Version, income: Rupiah) -> IncomeBand | None:
    for row in rows(version.data, "band"):
        low, high = num(row, "min"), opt_num(row, "max")
        if low <= income and (high is None or income <= high):
            status = row_status(row, version.status)
            return IncomeBand(low, high, num(row, "nominal"), status, text(row, "note", ""))
    return None


def _filled_band(version: Version, income: Rupiah) -> IncomeBand | None:
    for row in rows(version.data, "fill"):
        low, high, step = num(row, "min"), num(row, "max"), num(row, "step")
        if low <= income <= high:
            nominal = income // step * step
            return IncomeBand(nominal, nominal + step - 1, nominal, row_status(row, version.status), text(row, "note"))
    return None


def bpu_band(income: Rupiah, month: Month, trail: Trail | None = None) -> IncomeBand:
    """The declared income band of ``income`` in ``month`` (warns in ``trail`` where the band is unconfirmed).

    Raises:
        InvalidInput: income not positive or absurd, or a month outside the band tables on file.
    """
    check_wage(income, "income")
    version = table(BPU_INCOME_BANDS).for_month(month, "month", trail)
    band = _explicit_band(version, income) or _filled_band(version, income)
    if band is None:  # a gap in the data file
        raise NoBpuIncomeBand(income)
    if trail is not None and band.status is not Status.CONFIRMED:
        prefix = "UNCONFIRMED" if band.status is Status.UNCONFIRMED else band.status.value.upper()
        trail.warn(f"{prefix} ({BPU_INCOME_BANDS} {version.version}): {band.note}")
    return band


def _check_programs(selected: frozenset[Program], rates: Version) -> None:
    required = frozenset(Program(p) for p in texts(rates.data, "required"))
    allowed = required | frozenset(Program(p) for p in texts(rates.data, "optional"))
    extra = selected - allowed
    if extra:
        names = ", ".join(sorted(p.value for p in extra))
        raise BpuProgramsNotOpen(names)
    missing = required - selected
    if missing:
        names = ", ".join(sorted(p.value for p in missing))
        raise BpuBasicPackageMissing(names)


def _month_amounts(
    income: Rupiah, month: Month, selected: frozenset[Program], sector: BpuSector | None, trail: Trail
) -> MonthAmount:
    rates = table(BPU_RATES).for_month(month, "month", trail)
    _check_programs(selected, rates)
    nominal = bpu_band(income, month, trail).nominal
    factors = relaxations.bpu_factors(month, sector, trail)
    mode = rounding(rates.data)
    amounts: dict[Program, Rupiah] = {}
    for program in (Program.JKK, Program.JKM, Program.JHT):
        if program not in selected:
            continue
        if program is Program.JKM:
            amounts[program] = round_rupiah(Decimal(num(rates.data, "jkm_flat")) * factors[program], mode)
        else:
            bp = Decimal(num(rates.data, f"{program.value}_bp")) * factors[program]
            amounts[program] = apply_bp(nominal, bp, mode)
    return MonthAmount(month, amounts)


def bpu_monthly(
    income: Rupiah, month: Month, programs: Iterable[Program] | str, sector: BpuSector | None = None
) -> tuple[MonthAmount, Trail]:
    """What one BPU worker pays for one month, per programme (used by the budget planner)."""
    trail = Trail()
    selected = parse_programs(programs if isinstance(programs, str) else frozenset(programs))
    return _month_amounts(income, month, selected, sector, trail), trail


def bpu_contribution(
    income: Rupiah,
    month: Month,
    programs: Iterable[Program] | str = BASIC_PACKAGE,
    months: int = 1,
    *,
    sector: BpuSector | None = None,
) -> Contribution:
    """Contribution of a BPU worker for ``months`` months paid in advance from ``month``.

    Args:
        income: declared monthly income (penghasilan); the band's nominal income is the base.
        month: first contribution month.
        programs: JKK + JKM (the basic package), optionally JHT.
        months: months paid at once: 1, 3, 6 or 12.
        sector: BPU sector, to apply PP 50/2025 (UNCONFIRMED) where it covers the month.

    Returns:
        Per-programme totals over the period (paid by the worker or the sponsor; no employer share), the
        amounts of each month, the band, the due date (15th of ``month``) and the rules used.

    Raises:
        InvalidInput: bad income, programmes or number of months, or a month outside the rules on file.
    """
    trail = Trail()
    selected = parse_programs(programs if isinstance(programs, str) else frozenset(programs))
    rates = table(BPU_RATES).for_month(month, "month", trail)
    allowed = ints(rates.data, "prepay_months")
    if months not in allowed:
        raise NotOneOf("months", allowed, months)
    per_month = [_month_amounts(income, month.plus(i), selected, sector, trail) for i in range(months)]
    band = bpu_band(income, month)
    lines = []
    for program in (Program.JKK, Program.JKM, Program.JHT):
        if program in selected:
            total = sum(m.by_program[program] for m in per_month)
            bp = None if program is Program.JKM else Decimal(num(rates.data, f"{program.value}_bp"))
            lines.append(ContributionLine(program, band.nominal, 0, total, None, bp))
    due = due_date(Segment.BPU, month)
    trail.merge(due.trail)
    details = {"income": income, "band": band.as_dict(), "sector": sector.value if sector else None}
    return Contribution(
        Segment.BPU, month, lines, months, details, per_month if months > 1 else [], [], due.due_on, trail
    )
