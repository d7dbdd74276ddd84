"""Tariffs of a billing month taken from the rules engine, in the shape the set-based billing SQL needs.

The rules engine stays the only place where rates, bands and rounding live: for PU the run asks it for the
rates of every risk group (basis points, kept exact as hundredths of a basis point) and the JP cap; for BPU and
sponsor packages it asks for the monthly amount of each distinct (declared income, programmes) pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import Program, bpu_contribution, jp_wage_cap, pu_contribution, tables

PU_PROGRAMS = frozenset({Program.JKK, Program.JKM, Program.JHT, Program.JP})
_PROBE_WAGE = 10_000_000


@dataclass(frozen=True)
class PuRate:
    """One programme's employer and worker rate for one JKK risk group (hundredths of a basis point)."""

    risk_group: int
    program: str
    employer_bp100: int
    worker_bp100: int
    capped: bool


@dataclass(frozen=True)
class BpuTariff:
    """What one month of a BPU package costs, ``step`` months after the billing month."""

    income: int
    programs: str
    step: int
    month: Month
    amount: int


def _bp100(value: Decimal | None) -> int:
    exact = (value or Decimal(0)) * 100
    if exact != exact.to_integral_value():
        raise ValueError(f"rate {value} bp is finer than 1/100 bp")
    return int(exact)


def pu_rates(month: Month) -> tuple[list[PuRate], int]:
    """The PU rates of every risk group in ``month`` and the JP wage cap (from the rule tables in force)."""
    return _pu_rates(month, tables.revision())


@lru_cache(maxsize=64)
def _pu_rates(month: Month, tables_revision: int) -> tuple[list[PuRate], int]:
    del tables_revision  # part of the cache key only
    rates: list[PuRate] = []
    for group in (1, 2, 3, 4, 5):
        contribution = pu_contribution(_PROBE_WAGE, group, month, PU_PROGRAMS)
        for line in contribution.lines:
            if line.program in PU_PROGRAMS:
                rates.append(
                    PuRate(
                        group,
                        line.program.value,
                        _bp100(line.employer_bp),
                        _bp100(line.worker_bp),
                        line.program is Program.JP,
                    )
                )
    return rates, jp_wage_cap(month)


def bpu_monthly_amount(income: int, programs: str, month: Month) -> int:
    """One month of a BPU package (JKK + JKM, optionally JHT) at ``income``.

    Raises:
        InvalidInput: an income or programme the rules refuse.
    """
    return _bpu_monthly_amount(income, programs, month, tables.revision())


@lru_cache(maxsize=100_000)
def _bpu_monthly_amount(income: int, programs: str, month: Month, tables_revision: int) -> int:
    del tables_revision  # part of the cache key only
    return bpu_contribution(income, month, programs, months=1).total


def bpu_tariffs(pairs: list[tuple[int, str]], month: Month, max_step: int = 12) -> tuple[list[BpuTariff], list[str]]:
    """Tariffs of ``pairs`` for ``month`` and the ``max_step - 1`` months after it; refused pairs are listed."""
    out: list[BpuTariff] = []
    refused: list[str] = []
    for income, programs in pairs:
        try:
            for step in range(max_step):
                at = month.plus(step)
                out.append(BpuTariff(income, programs, step, at, bpu_monthly_amount(income, programs, at)))
        except InvalidInput as exc:
            refused.append(f"income {income} programmes {programs}: {exc.message}")
    return out, refused
