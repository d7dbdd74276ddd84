"""What an assessment is computed from: the ledger of one membership and the facts of the claim. Pure values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jangkau.claims.rules.heirs import Heir
from jangkau.claims.rules.kinds import ClaimBenefit, kind_key
from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules import JhtTrigger, Program


@dataclass(frozen=True)
class Ledger:
    """One membership as the ledger knows it: segment, programmes, wage, and the contribution months paid."""

    membership_id: int
    segment: str
    programs: frozenset[Program]
    start_date: dt.date
    wage: Rupiah | None  # PU reported wage, or BPU declared income
    paid_months: tuple[Month, ...]
    birth_date: dt.date
    jht_paid: tuple[tuple[Month, Rupiah], ...] = ()  # the JHT part of each paid month (``funding.jht``)
    jht_withdrawals: tuple[tuple[Month, Rupiah], ...] = ()  # JHT claims paid out, by month
    jht_notes: tuple[str, ...] = ()

    def paid_until(self, event: dt.date) -> list[Month]:
        """Contribution months paid up to and including the month of ``event``."""
        last = Month.of(event)
        return sorted(m for m in self.paid_months if m <= last)


@dataclass(frozen=True)
class ClaimFacts:
    """The claim as reported, plus the inputs some benefits need (wage, months unable to work, balance...)."""

    program: Program
    benefit: ClaimBenefit
    event_date: dt.date
    filed_on: dt.date
    heirs: tuple[Heir, ...] = ()
    wage: Rupiah | None = None  # overrides the membership's wage (e.g. the last wage before a PHK)
    months_unable: int = 0
    disability_percent: Decimal | None = None
    medical_cost: Rupiah | None = None
    children: int | None = None
    jht_amount: Rupiah | None = None  # JHT partial claim: the amount asked (the balance comes from the account)
    jht_trigger: JhtTrigger | None = None
    previous_partial_claims: int = 0
    accumulated: Rupiah | None = None  # JP: contributions plus returns, paid as a lump sum under 15 years

    @property
    def kind(self) -> str:
        return kind_key(self.program, self.benefit)

    def inputs(self) -> dict[str, Any]:
        """The benefit inputs, for storing with the claim (JSON-ready)."""
        return {
            "wage": self.wage,
            "months_unable": self.months_unable,
            "disability_percent": None if self.disability_percent is None else str(self.disability_percent),
            "medical_cost": self.medical_cost,
            "children": self.children,
            "jht_amount": self.jht_amount,
            "jht_trigger": None if self.jht_trigger is None else self.jht_trigger.value,
            "previous_partial_claims": self.previous_partial_claims,
            "accumulated": self.accumulated,
        }
