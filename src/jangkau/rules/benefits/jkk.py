"""JKK (Jaminan Kecelakaan Kerja): cash benefits of a work accident or occupational disease (REFERENCE 3.2).

PP 82/2019 (accidents from 2019-12-02): STMB 100 % of the wage for 12 months then 50 % until recovery;
death 48 x wage; total permanent disability up to 56 x wage; partial disability table % x 80 x wage (SECONDARY);
the right to claim lapses 5 years after the accident or diagnosis. Medical care has no ceiling and is not a cash
amount here. Rounding (``data/jkk_benefits``): each amount half up to the Rupiah.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from jangkau.kit.money import Rupiah, apply_bp, round_rupiah
from jangkau.rules.benefits.common import Benefit, BenefitItem, add_years, check_count
from jangkau.rules.errors import DisabilityPercentMissing
from jangkau.rules.model import Program, Trail
from jangkau.rules.tables import Version, num, rounding, table, text
from jangkau.rules.wages import check_wage

JKK_BENEFITS = "jkk_benefits"


class JkkOutcome(StrEnum):
    """What the work accident led to."""

    TEMPORARY_DISABILITY = "temporary_disability"  # STMB while unable to work
    DEATH = "death"
    TOTAL_PERMANENT_DISABILITY = "total_permanent_disability"
    PARTIAL_DISABILITY = "partial_disability"


def _stmb(version: Version, wage: Rupiah, months: int) -> tuple[list[BenefitItem], list[dict[str, object]]]:
    data, mode = version.data, rounding(version.data)
    full_months = num(data, "stmb_full_months")
    rates = [
        num(data, "stmb_full_bp") if m <= full_months else num(data, "stmb_after_bp") for m in range(1, months + 1)
    ]
    amounts = [apply_bp(wage, bp, mode) for bp in rates]
    schedule: list[dict[str, object]] = [
        {"month": i, "bp": bp, "amount": amount} for i, (bp, amount) in enumerate(zip(rates, amounts, strict=True), 1)
    ]
    full, after = sum(amounts[:full_months]), sum(amounts[full_months:])
    items = [BenefitItem("stmb_full", f"STMB 100 %, months 1-{min(months, full_months)}", full)]
    if months > full_months:
        items.append(BenefitItem("stmb_half", f"STMB 50 %, months {full_months + 1}-{months}", after))
    return items, schedule


def _outcome_items(
    version: Version,
    outcome: JkkOutcome,
    wage: Rupiah,
    months_unable: int,
    disability_percent: Decimal | None,
    trail: Trail,
) -> tuple[list[BenefitItem], list[dict[str, object]]]:
    data = version.data
    if outcome is JkkOutcome.TEMPORARY_DISABILITY:
        return _stmb(version, wage, check_count(months_unable, "months_unable", 1, 240))
    if outcome is JkkOutcome.DEATH:
        multiple = num(data, "death_wage_multiple")
        note = f"plus scholarship for 2 children up to Rp{num(data, 'scholarship_total_max'):,}"
        return [BenefitItem("death", f"Death benefit {multiple} x wage", wage * multiple, note)], []
    if outcome is JkkOutcome.TOTAL_PERMANENT_DISABILITY:
        multiple = num(data, "total_disability_max_multiple")
        return [
            BenefitItem("total_disability_max", f"Total permanent disability, up to {multiple} x wage", wage * multiple)
        ], []
    if disability_percent is None or not 0 < disability_percent <= 100:
        raise DisabilityPercentMissing()
    trail.warn(f"UNCONFIRMED ({JKK_BENEFITS} {version.version}): {text(data, 'partial_disability_note')}")
    multiple = num(data, "partial_disability_multiple")
    amount = round_rupiah(disability_percent / 100 * multiple * wage, rounding(data))
    return [BenefitItem("partial_disability", f"{disability_percent} % x {multiple} x wage", amount)], []


def jkk_benefit(
    accident_date: dt.date,
    wage: Rupiah,
    outcome: JkkOutcome,
    *,
    months_unable: int = 0,
    disability_percent: Decimal | None = None,
    claim_date: dt.date | None = None,
) -> Benefit:
    """JKK cash benefit for a work accident.

    Args:
        accident_date: date of the accident or diagnosis; selects the rule version and starts the claim limit.
        wage: monthly reported wage (PU) or the declared income band (BPU).
        outcome: temporary disability (STMB), death, total permanent disability or partial disability.
        months_unable: months unable to work (temporary disability).
        disability_percent: percentage from the disability table (partial disability).
        claim_date: when the claim is filed; past the 5-year limit the benefit is not payable.

    Returns:
        The amounts, the STMB schedule per month, the claim deadline and the rules used.

    Raises:
        InvalidInput: bad wage or counts, or an accident before PP 82/2019 (no earlier table on file).
    """
    check_wage(wage)
    trail = Trail()
    version = table(JKK_BENEFITS).at(accident_date, "accident_date").record(trail)
    items, schedule = _outcome_items(version, outcome, wage, months_unable, disability_percent, trail)
    deadline = add_years(accident_date, num(version.data, "claim_limit_years"))
    eligible, reasons = True, []
    if claim_date is not None and claim_date > deadline:
        eligible = False
        reasons.append(f"claim filed after the limit of {deadline.isoformat()} (5 years after the accident)")
    details = {"outcome": outcome.value, "wage": wage, "claim_deadline": deadline.isoformat()}
    return Benefit(Program.JKK, accident_date, items, eligible, reasons, details, schedule, trail)
