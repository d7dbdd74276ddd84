"""Result types of the contribution calculators (JSON-ready through ``as_dict``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules.model import Finding, Program, Segment, Trail


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class ContributionLine:
    """One programme's contribution: base, rates (basis points) and each party's share.

    ``postponed`` is an amount deferred by a relaxation (PP 49/2020 JP), not part of ``total``.
    """

    program: Program
    base: Rupiah
    employer: Rupiah
    worker: Rupiah
    employer_bp: Decimal | None = None
    worker_bp: Decimal | None = None
    postponed: Rupiah = 0
    note: str = ""

    @property
    def total(self) -> Rupiah:
        return self.employer + self.worker

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program.value,
            "base": self.base,
            "employer_bp": _rate(self.employer_bp),
            "worker_bp": _rate(self.worker_bp),
            "employer": self.employer,
            "worker": self.worker,
            "total": self.total,
            "postponed": self.postponed,
            "note": self.note,
        }


@dataclass(frozen=True)
class MonthAmount:
    """What one month costs, per programme (used for BPU advance payments and budgets)."""

    month: Month
    by_program: dict[Program, Rupiah]

    @property
    def total(self) -> Rupiah:
        return sum(self.by_program.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": str(self.month),
            "by_program": {p.value: a for p, a in self.by_program.items()},
            "total": self.total,
        }


@dataclass
class Contribution:
    """The contribution of one worker (or one project, for Jakon) with the rules it used.

    ``lines`` are per programme over the whole period; ``per_month`` is filled when more than one month is paid.
    """

    segment: Segment
    month: Month
    lines: list[ContributionLine]
    months: int = 1
    details: dict[str, Any] = field(default_factory=dict)
    per_month: list[MonthAmount] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    due_on: dt.date | None = None
    trail: Trail = field(default_factory=Trail)

    @property
    def employer_total(self) -> Rupiah:
        return sum(line.employer for line in self.lines)

    @property
    def worker_total(self) -> Rupiah:
        return sum(line.worker for line in self.lines)

    @property
    def total(self) -> Rupiah:
        return sum(line.total for line in self.lines)

    @property
    def postponed_total(self) -> Rupiah:
        return sum(line.postponed for line in self.lines)

    def line(self, program: Program) -> ContributionLine:
        """The line of ``program`` (KeyError if it was not computed)."""
        for line in self.lines:
            if line.program is program:
                return line
        raise KeyError(program)

    def as_dict(self) -> dict[str, Any]:
        return {
            "segment": self.segment.value,
            "month": str(self.month),
            "months": self.months,
            **self.details,
            "lines": [line.as_dict() for line in self.lines],
            "employer_total": self.employer_total,
            "worker_total": self.worker_total,
            "total": self.total,
            "postponed_total": self.postponed_total,
            "per_month": [m.as_dict() for m in self.per_month],
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "findings": [f.as_dict() for f in self.findings],
            **self.trail.as_dict(),
        }
