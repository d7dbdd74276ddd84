"""Temporary relaxations as effective-dated overrides (REFERENCE 1.7).

Each relaxation is its own rule table whose validity is the range of contribution months it covers:
- ``relaxation.pp49_2020``: PU and BPU, 2020-08 to 2021-01, applied automatically (JKK/JKM x 0.01, JP 99 %
  postponed, due date the 30th, fine 0.5 %);
- ``relaxation.pp7_2025``: PU JKK x 0.5 for eligible labour-intensive industries (the caller says so);
- ``relaxation.pp50_2025``: BPU JKK and JKM x 0.5 by sector window (UNCONFIRMED; the caller gives the sector).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from jangkau.kit.months import Month
from jangkau.rules.model import Program, Trail
from jangkau.rules.tables import Version, day, dec, sub, table

PP49_2020 = "relaxation.pp49_2020"
PP7_2025 = "relaxation.pp7_2025"
PP50_2025 = "relaxation.pp50_2025"

ONE = Decimal(1)


class BpuSector(StrEnum):
    """Sector of a BPU worker, for PP 50/2025."""

    TRANSPORT = "transport"
    NON_TRANSPORT = "non_transport"


def _in_force(rule_id: str, month: Month) -> Version | None:
    return table(rule_id).find(month.last_day())


def pp49(month: Month, trail: Trail) -> Version | None:
    """PP 49/2020 if ``month`` is one of its contribution months (recorded in ``trail``), else None."""
    version = _in_force(PP49_2020, month)
    if version is not None:
        version.record(trail)
        trail.warn(
            "PP 49/2020 relaxation applied (contribution months 2020-08 to 2021-01): "
            + str(version.data.get("conditions", ""))
        )
    return version


def pu_factors(month: Month, labour_intensive: bool, trail: Trail) -> dict[Program, Decimal]:
    """Multipliers on the normal PU contribution by programme (1 where no relaxation applies).

    JP's factor is the share paid now; the rest is postponed (PP 49/2020).
    """
    factors = dict.fromkeys(Program, ONE)
    version = pp49(month, trail)
    if version is not None:
        factors[Program.JKK] = dec(version.data, "jkk_factor")
        factors[Program.JKM] = dec(version.data, "jkm_factor")
        factors[Program.JP] = dec(version.data, "jp_paid_factor")
    relief = _in_force(PP7_2025, month)
    if relief is not None and labour_intensive:
        relief.record(trail)
        factors[Program.JKK] *= dec(relief.data, "jkk_factor")
    elif relief is not None:
        trail.warn(
            "PP 7/2025 halves JKK in 2025 for eligible labour-intensive industries; not applied "
            "(pass labour_intensive / --labour-intensive if the employer qualifies)"
        )
    return factors


def bpu_factors(month: Month, sector: BpuSector | None, trail: Trail) -> dict[Program, Decimal]:
    """Multipliers on the normal BPU contribution by programme (1 where no relaxation applies)."""
    factors = dict.fromkeys(Program, ONE)
    version = pp49(month, trail)
    if version is not None:
        factors[Program.JKK] = dec(version.data, "jkk_factor")
        factors[Program.JKM] = dec(version.data, "jkm_factor")
    relief = _in_force(PP50_2025, month)
    if relief is None:
        return factors
    if sector is None:
        trail.warn(
            "PP 50/2025 (UNCONFIRMED) may halve BPU JKK and JKM in 2026-01 to 2027-03 depending on the sector; "
            "not applied (give the sector to apply it)"
        )
        return factors
    window = sub(sub(relief.data, "window"), sector.value)
    if day(window, "from") <= month.last_day() <= day(window, "to"):
        relief.record(trail)
        factors[Program.JKK] *= dec(relief.data, "jkk_factor")
        factors[Program.JKM] *= dec(relief.data, "jkm_factor")
    return factors
