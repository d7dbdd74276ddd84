"""The JHT account of one member: balance month by month from the contributions paid, returns and withdrawals.

PP 46/2015 Ps 22(2): the balance is the contributions paid plus their development returns, in the member's
individual account; Ps 22(7): a statement once a year (REFERENCE 3.3). The yearly return rate is data (rule
``jht_return``, one version per year as BPJS declares it; UNCONFIRMED where not on file). Returns are credited
monthly: rate / 12 on the opening balance of the month, rounded half up to the Rupiah (UNCONFIRMED method, the
same as ``jht_projection``); then the month's withdrawals are taken and its contributions added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jangkau.kit.money import Rounding, Rupiah, round_rupiah
from jangkau.kit.months import Month
from jangkau.rules.errors import NegativeAmountInMonth, WithdrawalAboveBalance
from jangkau.rules.model import Trail
from jangkau.rules.tables import num, rounding, table

JHT_RETURN = "jht_return"
MONTHS_BP = Decimal(12 * 10_000)  # a yearly rate in basis points, credited a twelfth a month


@dataclass(frozen=True)
class JhtYear:
    """One calendar year of the account: what came in, what it earned, what was taken out."""

    year: int
    opening: Rupiah
    contributions: Rupiah
    returns: Rupiah
    withdrawals: Rupiah
    closing: Rupiah
    annual_return_bp: int
    rate_rule: str
    rate_status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "opening": self.opening,
            "contributions": self.contributions,
            "returns": self.returns,
            "withdrawals": self.withdrawals,
            "closing": self.closing,
            "annual_return_bp": self.annual_return_bp,
            "rate_rule": self.rate_rule,
            "rate_status": self.rate_status,
        }


@dataclass
class JhtAccount:
    """Balance at the end of each month from the first contribution to ``until``, and the years' statements."""

    until: Month
    monthly: list[tuple[Month, Rupiah]]
    years: list[JhtYear]
    trail: Trail = field(default_factory=Trail)

    @property
    def balance(self) -> Rupiah:
        return self.monthly[-1][1] if self.monthly else 0

    @property
    def contributions(self) -> Rupiah:
        return sum(y.contributions for y in self.years)

    def balance_at(self, month: Month) -> Rupiah:
        """The balance at the end of ``month`` (0 before the first contribution)."""
        found = [b for m, b in self.monthly if m <= month]
        return found[-1] if found else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "until": str(self.until),
            "balance": self.balance,
            "contributions": self.contributions,
            "returns": sum(y.returns for y in self.years),
            "withdrawals": sum(y.withdrawals for y in self.years),
            "years": [y.as_dict() for y in self.years],
            "monthly": [{"month": str(m), "balance": b} for m, b in self.monthly],
            **self.trail.as_dict(),
        }


@dataclass(frozen=True)
class MonthlyReturn:
    """The return credited in one month: ``annual_return_bp`` / 12 on the opening balance, rounded by ``rounding``."""

    month: Month
    annual_return_bp: int
    rounding: Rounding
    rule_version: str
    rule_status: str

    def on(self, balance: Rupiah) -> Rupiah:
        """The return on ``balance`` (exact: balance x bp / 120,000, then rounded)."""
        return round_rupiah(Decimal(balance * self.annual_return_bp) / MONTHS_BP, self.rounding)


def monthly_returns(first: Month, until: Month, trail: Trail | None = None) -> list[MonthlyReturn]:
    """The return rule of every month from ``first`` to ``until`` (rule ``jht_return``, the version of each month).

    Raises:
        InvalidInput: a month without a rate on file.
    """
    out = []
    month = first
    while month <= until:
        version = table(JHT_RETURN).for_month(month, "month", trail)
        out.append(
            MonthlyReturn(
                month, num(version.data, "annual_return_bp"), rounding(version.data), version.version,
                version.status.value,
            )
        )  # fmt: skip
        month = month.next()
    return out


def _sum_by_month(entries: Iterable[tuple[Month, Rupiah]], name: str) -> dict[Month, Rupiah]:
    out: dict[Month, Rupiah] = {}
    for month, amount in entries:
        if amount < 0:
            raise NegativeAmountInMonth(name, month)
        out[month] = out.get(month, 0) + amount
    return out


def jht_account(
    contributions: Iterable[tuple[Month, Rupiah]],
    until: Month,
    withdrawals: Iterable[tuple[Month, Rupiah]] = (),
) -> JhtAccount:
    """The JHT account from the contributions paid (employer + worker for PU, the worker's for BPU).

    Args:
        contributions: (contribution month, JHT amount paid for it); months after ``until`` are left out.
        until: the last month of the account (e.g. the claim's month).
        withdrawals: (month, amount) taken out (partial or full claims paid); more than the balance is refused.

    Returns:
        The balance per month, per year (opening, contributions, returns, withdrawals, closing, rate and its
        rule), with the rules used and their UNCONFIRMED warnings. Empty when nothing was paid up to ``until``.

    Raises:
        InvalidInput: a negative amount, or a withdrawal above the balance.
    """
    paid = {m: a for m, a in _sum_by_month(contributions, "contributions").items() if m <= until}
    taken = {m: a for m, a in _sum_by_month(withdrawals, "withdrawals").items() if m <= until}
    trail = Trail()
    if not paid:
        return JhtAccount(until, [], [], trail)
    balance, monthly, years = 0, [], []
    year = {"opening": 0, "contributions": 0, "returns": 0, "withdrawals": 0}
    for rule in monthly_returns(min(paid), until, trail):
        month = rule.month
        returns = rule.on(balance)
        out = taken.get(month, 0)
        if out > balance + returns:
            raise WithdrawalAboveBalance(out, month, balance + returns)
        balance += returns - out + paid.get(month, 0)
        monthly.append((month, balance))
        year["returns"] += returns
        year["withdrawals"] += out
        year["contributions"] += paid.get(month, 0)
        if month.month == 12 or month == until:
            years.append(JhtYear(month.year, **year, closing=balance, annual_return_bp=rule.annual_return_bp,
                                 rate_rule=rule.rule_version, rate_status=rule.rule_status))  # fmt: skip
            year = {"opening": balance, "contributions": 0, "returns": 0, "withdrawals": 0}
    return JhtAccount(until, monthly, years, trail)
