"""Migrant workers (Pekerja Migran Indonesia, PMI): JKK + JKM packages by contract length, optional JHT.

Permenaker 4/2023 Ps 18 [S-PASAL-PMN4-2023]: pre-departure Rp37,500 (placed by an agency); during and after
work Rp108,000 (6 months), Rp189,000 (12), Rp332,500 (24); Rp13,500 per month beyond 24; JHT optional,
Rp50,000 to Rp600,000. Fixed amounts: no rounding.
"""

from __future__ import annotations

from enum import StrEnum

from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules.errors import PmiContractMonthsOutOfRange, PmiJhtAmountOutOfRange
from jangkau.rules.model import Program, Segment, Trail
from jangkau.rules.results import Contribution, ContributionLine
from jangkau.rules.tables import Version, num, rows, sub, table

PMI_PACKAGES = "pmi_packages"
MAX_CONTRACT_MONTHS = 120


class Placement(StrEnum):
    """How the migrant worker is placed."""

    AGENCY = "agency"  # through a Pelaksana Penempatan: pays in stages, incl. pre-departure
    INDIVIDUAL = "individual"  # PMI Perseorangan: the during/after amount in one payment


def _during_after(version: Version, contract_months: int) -> tuple[Rupiah, str]:
    packages = sorted(rows(version.data, "package"), key=lambda r: num(r, "months"))
    for package in packages:
        if contract_months <= num(package, "months"):
            return num(package, "amount"), f"{num(package, 'months')}-month package"
    longest = packages[-1]
    excess = contract_months - num(longest, "months")
    per_month = num(sub(version.data, "excess"), "per_month")
    note = f"{num(longest, 'months')}-month package + {excess} months x Rp{per_month:,}"
    return num(longest, "amount") + excess * per_month, note


def pmi_contribution(
    month: Month, contract_months: int, placement: Placement = Placement.AGENCY, jht_amount: Rupiah | None = None
) -> Contribution:
    """Contribution of a migrant worker for the whole placement.

    Args:
        month: month of registration; selects the rule version.
        contract_months: length of the work contract in months.
        placement: through an agency (adds the pre-departure amount) or individual.
        jht_amount: optional JHT contribution chosen by the worker (Rp50,000 to Rp600,000).

    Returns:
        JKK + JKM (one combined package, shown on the JKK line with the JKM share not split by the source) and JHT.

    Raises:
        InvalidInput: contract length not 1-120 months, a JHT amount outside the range, or a month outside the
        rules on file.
    """
    if not 1 <= contract_months <= MAX_CONTRACT_MONTHS:
        raise PmiContractMonthsOutOfRange(MAX_CONTRACT_MONTHS, contract_months)
    trail = Trail()
    version = table(PMI_PACKAGES).for_month(month, "month", trail)
    amount, note = _during_after(version, contract_months)
    if placement is Placement.AGENCY:
        pre = num(version.data, "pre_departure")
        amount += pre
        note = f"pre-departure Rp{pre:,} + {note}"
    else:
        trail.warn(f"UNCONFIRMED ({PMI_PACKAGES}): whether an individual PMI also pays the pre-departure amount")
    lines = [ContributionLine(Program.JKK, amount, 0, amount, note=f"JKK + JKM package: {note}")]
    if jht_amount is not None:
        jht = sub(version.data, "jht")
        low, high = num(jht, "min"), num(jht, "max")
        if not low <= jht_amount <= high:
            raise PmiJhtAmountOutOfRange(low, high, jht_amount)
        lines.append(ContributionLine(Program.JHT, jht_amount, 0, jht_amount, note="chosen by the worker"))
    details = {"contract_months": contract_months, "placement": placement.value}
    return Contribution(Segment.PMI, month, lines, contract_months, details, trail=trail)
