"""JHT (Jaminan Hari Tua): balance projection and claims (REFERENCE 3.3).

Claims (PP 46/2015 Ps 22; Permenaker 4/2022 Ps 5-6): the full balance at age 56, death, total permanent
disability, resignation or PHK (after a 1-month wait), leaving Indonesia for good, the end of a PKWT, a BPU who
stops working. Partial claim: >= 10 years of membership, at most 30 % for housing or 10 % for other needs, once.
The partial maximum is rounded down to the Rupiah (it is a ceiling).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from jangkau.kit.money import Rounding, Rupiah, apply_bp, round_rupiah
from jangkau.kit.months import Month
from jangkau.rules.benefits.common import Benefit, BenefitItem, add_months, add_years, check_count
from jangkau.rules.errors import (
    AnnualReturnOutOfRange,
    BirthDateNeeded,
    Negative,
    NegativeAmountInMonth,
    NoContributions,
    StartAfterEvent,
    UntilBeforeFirstMonth,
)
from jangkau.rules.model import Program, Trail
from jangkau.rules.tables import Version, num, rounding, table, text, texts

JHT_RULES = "jht_rules"
MAX_RETURN_BP = 3000  # a yearly return above 30 % is a typing error


class JhtTrigger(StrEnum):
    """Why the JHT is claimed."""

    AGE = "age"
    DEATH = "death"
    TOTAL_PERMANENT_DISABILITY = "total_permanent_disability"
    RESIGNATION = "resignation"
    PHK = "phk"
    LEFT_INDONESIA = "left_indonesia"
    PKWT_END = "pkwt_end"
    BPU_STOPPED = "bpu_stopped"
    PARTIAL_HOUSING = "partial_housing"
    PARTIAL_OTHER = "partial_other"


def jht_projection(
    contributions: Iterable[tuple[Month, Rupiah]],
    annual_return_bp: int,
    until: Month | None = None,
    opening_balance: Rupiah = 0,
) -> Benefit:
    """Project a JHT balance from a contribution history and a yearly return rate.

    Method (DERIVED, flagged): each month the opening balance earns ``annual_return_bp / 12``, rounded half up to
    the Rupiah, then that month's contribution is added.

    Args:
        contributions: (contribution month, JHT amount paid: employer 3.7 % + worker 2 % for PU).
        annual_return_bp: yearly development return in basis points (550 = 5.5 %).
        until: last month of the projection (default: the last contribution month).
        opening_balance: balance before the first month.

    Returns:
        The balance (item ``balance``), and a schedule per calendar year: contributions, returns, closing balance.

    Raises:
        InvalidInput: no contributions, a negative amount, a rate outside 0-30 %, or ``until`` before the history.
    """
    paid: dict[Month, Rupiah] = {}
    for month, amount in contributions:
        if amount < 0:
            raise NegativeAmountInMonth("contributions", month)
        paid[month] = paid.get(month, 0) + amount
    if not paid:
        raise NoContributions()
    if not 0 <= annual_return_bp <= MAX_RETURN_BP:
        raise AnnualReturnOutOfRange()
    first, last = min(paid), until or max(paid)
    if last < first:
        raise UntilBeforeFirstMonth(first)
    trail = Trail()
    version = table(JHT_RULES).for_month(first, "month", trail)
    trail.warn(f"UNCONFIRMED ({JHT_RULES} {version.version}): {text(version.data, 'projection_note')}")
    mode = rounding(version.data)
    monthly_rate = Decimal(annual_return_bp) / 12
    balance, schedule = opening_balance, []
    year_paid = year_returns = 0
    month = first
    while month <= last:
        returns = apply_bp(balance, monthly_rate, mode)
        balance += returns + paid.get(month, 0)
        year_paid += paid.get(month, 0)
        year_returns += returns
        if month.month == 12 or month == last:
            schedule.append(
                {"year": month.year, "contributions": year_paid, "returns": year_returns, "balance": balance}
            )
            year_paid = year_returns = 0
        month = month.next()
    total_paid = sum(v for m, v in paid.items() if m <= last)
    items = [BenefitItem("balance", f"Projected JHT balance at the end of {last}", balance)]
    details = {
        "from": str(first),
        "until": str(last),
        "contributions": total_paid,
        "annual_return_bp": annual_return_bp,
    }
    return Benefit(Program.JHT, last.last_day(), items, True, [], details, schedule, trail)


def _membership_months(start: dt.date, on: dt.date) -> int:
    months = (on.year - start.year) * 12 + on.month - start.month
    return months - 1 if on.day < start.day else months


def _partial(
    version: Version, trigger: JhtTrigger, balance: Rupiah, months: int, previous: int
) -> tuple[Rupiah, list[str]]:
    data = version.data
    reasons = []
    if months < num(data, "partial_min_membership_months"):
        reasons.append(
            f"membership of {months} months is under the {num(data, 'partial_min_membership_months')} required"
        )
    if previous >= num(data, "partial_max_count"):
        reasons.append("a partial claim was already made (allowed once)")
    bp = num(data, "partial_housing_bp" if trigger is JhtTrigger.PARTIAL_HOUSING else "partial_other_bp")
    return round_rupiah(Decimal(balance) * bp / 10_000, Rounding.FLOOR), reasons


def _full_payable_from(
    version: Version, trigger: JhtTrigger, event: dt.date, birth_date: dt.date | None
) -> tuple[dt.date, list[str]]:
    data = version.data
    if trigger is JhtTrigger.AGE:
        if birth_date is None:
            raise BirthDateNeeded()
        payable = add_years(birth_date, num(data, "full_claim_age")) + dt.timedelta(days=1)
        reasons = (
            [] if event >= payable else [f"age {num(data, 'full_claim_age')} is reached only on {payable.isoformat()}"]
        )
        return payable, reasons
    if trigger.value in texts(data, "waiting_triggers"):
        return add_months(event, num(data, "waiting_months")), []
    return event, []


def jht_claim(
    trigger: JhtTrigger,
    event_date: dt.date,
    membership_start: dt.date,
    balance: Rupiah,
    *,
    birth_date: dt.date | None = None,
    previous_partial_claims: int = 0,
) -> Benefit:
    """Whether a JHT claim is payable, from when, and how much.

    Args:
        trigger: the reason (full claim triggers, or a partial claim for housing / other needs).
        event_date: date of the event (resignation, PHK, death, ...) or of the partial-claim request.
        membership_start: start of JHT membership (for the 10-year partial-claim rule).
        balance: current JHT balance.
        birth_date: needed for an age claim (56, payable from the day after the 56th birthday).
        previous_partial_claims: partial claims already made.

    Returns:
        The payable amount (full balance, or the partial maximum), ``payable_from`` and the reasons if refused.

    Raises:
        InvalidInput: negative balance or counts, dates out of order, or an age claim without a birth date.
    """
    if balance < 0:
        raise Negative("balance")
    check_count(previous_partial_claims, "previous_partial_claims", 0, 10)
    if membership_start > event_date:
        raise StartAfterEvent()
    trail = Trail()
    version = table(JHT_RULES).at(event_date, "event_date").record(trail)
    months = _membership_months(membership_start, event_date)
    if trigger in (JhtTrigger.PARTIAL_HOUSING, JhtTrigger.PARTIAL_OTHER):
        amount, reasons = _partial(version, trigger, balance, months, previous_partial_claims)
        payable_from, label = event_date, f"Partial JHT claim ({trigger.value}), maximum"
    else:
        payable_from, reasons = _full_payable_from(version, trigger, event_date, birth_date)
        amount, label = balance, f"Full JHT balance ({trigger.value})"
    details = {"trigger": trigger.value, "membership_months": months, "payable_from": payable_from.isoformat()}
    items = [BenefitItem("jht", label, amount)]
    return Benefit(Program.JHT, event_date, items, not reasons, reasons, details, [], trail)
