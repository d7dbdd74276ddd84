"""Formula renewals of yearly tables: the next JP wage cap from the previous cap and BPS's GDP growth, and the
next JP benefit bounds from the previous ones and the year's inflation.

PP 45/2015 Ps 29(3): each year BPJS multiplies the cap by (1 + the previous year's GDP growth published by BPS);
the new cap applies from 1 March. BPJS rounds **down to Rp100** (2020: 8,512,400 x 1.0502 = 8,939,722 was
announced as 8,939,700 [S-JIMMY2020]); the same rule reproduces the whole 2016-2025 series of REFERENCE.md 1.4.
The JP monthly benefit minimum and maximum (PP 45/2015 Ps 18) are indexed by the previous year's inflation and
appear to be rounded **up** to Rp100: that rule reproduces 2020 -> 2021 -> 2022 and 2023 -> 2024 -> 2025 of
REFERENCE.md 3.4 (an inference there, kept UNCONFIRMED).
The result is a proposal for a person to check: the announced value, once known, replaces it.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from jangkau.kit.money import Rupiah
from jangkau.rules.errors import BoundsNotIncreasing, CapNotPositive, GrowthImplausible, InflationImplausible

# GDP growth outside this band (percent a year) is a typing error, not an economy (2020: -2.07 %).
GROWTH_BOUNDS = (Decimal("-15"), Decimal("20"))
INFLATION_BOUNDS = (Decimal("-10"), Decimal("30"))


def next_jp_wage_cap(previous_cap: Rupiah, gdp_growth_percent: Decimal) -> Rupiah:
    """The JP wage cap that follows ``previous_cap`` for a GDP growth of ``gdp_growth_percent`` (e.g. ``5.03``).

    Returns:
        previous_cap x (1 + growth / 100), rounded down to Rp100.

    Raises:
        InvalidInput: a cap that is not positive, or a growth rate outside -15 % .. 20 %.
    """
    if previous_cap <= 0:
        raise CapNotPositive()
    low, high = GROWTH_BOUNDS
    if not low <= gdp_growth_percent <= high:
        raise GrowthImplausible(gdp_growth_percent, low, high)
    exact = Decimal(previous_cap) * (1 + gdp_growth_percent / 100)
    return int((exact / 100).to_integral_value(rounding=ROUND_FLOOR)) * 100


def next_jp_benefit_bounds(minimum: Rupiah, maximum: Rupiah, inflation_percent: Decimal) -> tuple[Rupiah, Rupiah]:
    """The JP monthly benefit bounds that follow ``minimum``/``maximum`` for the year's inflation (e.g. ``1.57``).

    Returns:
        (minimum, maximum) x (1 + inflation / 100), each rounded up to Rp100.

    Raises:
        InvalidInput: bounds that are not positive and increasing, or an inflation outside -10 % .. 30 %.
    """
    if not 0 < minimum < maximum:
        raise BoundsNotIncreasing()
    low, high = INFLATION_BOUNDS
    if not low <= inflation_percent <= high:
        raise InflationImplausible(inflation_percent, low, high)
    factor = 1 + inflation_percent / 100

    def up(amount: Rupiah) -> Rupiah:
        return int((Decimal(amount) * factor / 100).to_integral_value(rounding=ROUND_CEILING)) * 100

    return up(minimum), up(maximum)
