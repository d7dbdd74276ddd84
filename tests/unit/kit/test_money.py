"""Integer Rupiah helpers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.kit.money import Rounding, apply_bp, format_rupiah, parse_rupiah, round_rupiah


def test_format_indonesian_style() -> None:
    assert format_rupiah(2_378_270_400) == "Rp2.378.270.400"
    assert format_rupiah(0) == "Rp0"
    assert format_rupiah(-5_000) == "-Rp5.000"


def test_rounding_modes_and_steps() -> None:
    # JP cap 2020: 8,512,400 x 1.0502 = 8,939,722.48, rounded down to Rp100 -> 8,939,700 [S-JIMMY2020]
    assert round_rupiah(Decimal(8_512_400) * Decimal("1.0502"), Rounding.FLOOR, 100) == 8_939_700
    assert round_rupiah(Decimal("10.5")) == 11
    assert round_rupiah(Decimal("10.01"), Rounding.CEILING) == 11
    assert apply_bp(4_014_072, 24) == 9_634  # JKK group 1, 0.24 % of the 2025 Medan UMK


def test_parse_refuses_non_amounts() -> None:
    assert parse_rupiah("Rp1.500.000") == 1_500_000
    assert parse_rupiah("1.500.000,00") == 1_500_000
    with pytest.raises(ValueError, match="not a Rupiah amount"):
        parse_rupiah("satu juta")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_inverts_format(amount: int) -> None:
    assert parse_rupiah(format_rupiah(amount)) == amount
