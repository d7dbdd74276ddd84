"""Reported wage (upah dilaporkan) and the regional minimum wage floor (UMK, or UMP where no UMK is set).

The floor lookup is ``UMK(regency/city) if defined else UMP(province)`` [S-PROBIS15], from the effective-dated
tables ``min_wage.<province>`` (one file per governor's decree, in force from 1 January).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jangkau.i18n import N_, bilingual
from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules.errors import NoMinimumWageData, RegionCodeInvalid, WageImplausible, WageNotPositive
from jangkau.rules.model import Finding, Status, Trail
from jangkau.rules.tables import has_table, num, row_status, rows, table, text

_REGION = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

# Guard against typing errors (an extra zero or three), not a legal limit: Rp1 billion a month.
MAX_MONTHLY_WAGE: Rupiah = 1_000_000_000


@dataclass(frozen=True)
class MinWage:
    """The minimum wage that applies to a region in a month."""

    region_code: str
    month: Month
    level: str  # "umk" or "ump"
    code: str  # the code the amount is set for (regency/city for UMK, province for UMP)
    name: str
    amount: Rupiah
    trail: Trail = field(default_factory=Trail)
    decree: str = ""  # the legal instrument that sets the amount (e.g. "Kepgub Sumut 188.44/908/KPTS/2025")

    def as_dict(self) -> dict[str, Any]:
        return {
            "region_code": self.region_code,
            "month": str(self.month),
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "amount": self.amount,
            "decree": self.decree,
            **self.trail.as_dict(),
        }


def check_wage(value: int, name: str = "wage") -> Rupiah:
    """Refuse a wage or income that is not a positive whole Rupiah amount below Rp1 billion a month.

    Raises:
        InvalidInput: naming ``name``.
    """
    if value <= 0:
        raise WageNotPositive(name, value)
    if value > MAX_MONTHLY_WAGE:
        raise WageImplausible(name, value, MAX_MONTHLY_WAGE)
    return value


def monthly_wage_from_daily(daily_wage: Rupiah, days: int = 25) -> Rupiah:
    """Monthly reported wage for a daily-paid worker: daily wage x 25 [S-PROBIS15].

    Raises:
        InvalidInput: a daily wage that is not positive or gives an absurd monthly wage.
    """
    check_wage(daily_wage, "daily_wage")
    return check_wage(daily_wage * days, "daily_wage")


def min_wage(region_code: str, month: Month) -> MinWage:
    """The UMK of the regency/city, or the UMP of the province where no UMK is set, for ``month``.

    Args:
        region_code: Kemendagri code at any level (``12``, ``12.71``, ``12.71.01.1001``).
        month: the contribution month (tables run from 1 January).

    Returns:
        The amount with the decree it comes from.

    Raises:
        InvalidInput: a malformed code, a province with no data on file, or a month outside the decrees on file.
    """
    code = region_code.strip()
    if not _REGION.match(code):
        raise RegionCodeInvalid(region_code)
    province = code[:2]
    rule_id = f"min_wage.{province}"
    if not has_table(rule_id):
        raise NoMinimumWageData(province)
    trail = Trail()
    version = table(rule_id).for_month(month, "month", trail)
    regency = code[:5]
    for row in rows(version.data, "umk"):
        if text(row, "code") == regency:
            if row_status(row, version.status) is not Status.CONFIRMED and "note" in row:
                trail.warn(f"minimum wage {regency} {month.year}: {text(row, 'note')}")
            decree = text(row, "decree", text(version.data, "umk_decree", version.citation))
            return MinWage(code, month, "umk", regency, text(row, "name"), num(row, "amount"), trail, decree)
    decree = text(version.data, "ump_decree", version.citation)
    return MinWage(code, month, "ump", province, f"UMP province {province}", num(version.data, "ump"), trail, decree)


def floor_finding(wage: Rupiah, floor: MinWage) -> Finding | None:
    """A "suspected PDS Upah" finding when ``wage`` is under the regional minimum, else None."""
    if wage >= floor.amount:
        return None
    message, message_id = bilingual(
        N_(
            "Reported wage Rp%(wage)s is below the %(label)s of %(name)s (Rp%(floor)s) for %(month)s (%(decree)s): "
            "suspected PDS Upah (wage under-reported), unless a legal exception applies"
        ),
        wage=f"{wage:,}",
        label=floor.level.upper(),
        name=floor.name,
        floor=f"{floor.amount:,}",
        month=floor.month,
        decree=floor.decree,
    )
    return Finding(
        code="suspected_pds_upah",
        message=message,
        message_id=message_id,
        details={
            "wage": wage,
            "floor": floor.amount,
            "level": floor.level,
            "region_code": floor.region_code,
            "decree": floor.decree,
            "floor_status": floor.trail.rules[-1].status.value if floor.trail.rules else "",
        },
    )
