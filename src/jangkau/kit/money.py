"""Money as integer Rupiah.

Amounts are ``int`` Rupiah everywhere; rates are basis points (1 bp = 0.01 %) or :class:`~decimal.Decimal`.
Each rule that multiplies money by a rate states its rounding next to it; the helpers here make that explicit.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

Rupiah = int


class Rounding(StrEnum):
    """How a fractional Rupiah amount becomes a whole one."""

    HALF_UP = "half_up"
    FLOOR = "floor"
    CEILING = "ceiling"


_MODES = {Rounding.HALF_UP: ROUND_HALF_UP, Rounding.FLOOR: ROUND_FLOOR, Rounding.CEILING: ROUND_CEILING}


def round_rupiah(amount: Decimal, rounding: Rounding = Rounding.HALF_UP, step: int = 1) -> Rupiah:
    """Round ``amount`` to a whole multiple of ``step`` Rupiah.

    Args:
        amount: exact amount.
        rounding: direction (half up by default, as BPJS bills show whole Rupiah).
        step: 1 for whole Rupiah, 100 for "rounded down to Rp100" (the JP wage cap), and so on.

    Returns:
        The rounded amount as ``int``.
    """
    if step < 1:
        raise ValueError("step must be a positive whole number of Rupiah")
    units = (amount / step).quantize(Decimal(1), rounding=_MODES[rounding])
    return int(units) * step


def apply_bp(amount: Rupiah, basis_points: int | Decimal, rounding: Rounding = Rounding.HALF_UP) -> Rupiah:
    """``amount`` times a rate in basis points (``24`` bp = 0.24 %), rounded to whole Rupiah."""
    return round_rupiah(Decimal(amount) * Decimal(basis_points) / Decimal(10_000), rounding)


def format_rupiah(amount: Rupiah) -> str:
    """Indonesian notation: ``Rp2.378.270.400``; negative amounts as ``-Rp5.000``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def parse_rupiah(text: str) -> Rupiah:
    """Read an amount typed the Indonesian way (``Rp1.500.000``, ``1.500.000``, ``1500000``).

    Raises:
        ValueError: if the text is not a whole Rupiah amount.
    """
    cleaned = text.strip().replace("Rp", "").replace("rp", "").replace(" ", "")
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("-")
    if cleaned.endswith(",00"):
        cleaned = cleaned[:-3]
    digits = cleaned.replace(".", "")
    if not digits.isdigit():
        raise ValueError(f"not a Rupiah amount: {text!r}")
    value = int(digits)
    return -value if negative else value
