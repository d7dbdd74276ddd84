"""BPU, Jakon and PMI contributions. Each case cites its source key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import BpuSector, Placement, Program, bpu_contribution, jakon_contribution, pmi_contribution

MARCH_2025 = Month(2025, 3)


@pytest.mark.parametrize(
    ("programs", "total"),
    [  # minimum band: Rp16,800 (JKK 10,000 + JKM 6,800), Rp36,800 with JHT [S-IDN-BPU2025, S-GRID-BPU]
        ("jkk,jkm", 16_800),
        ("jkk,jkm,jht", 36_800),
    ],
)
def test_bpu_minimum_package(programs: str, total: int) -> None:
    result = bpu_contribution(1_000_000, MARCH_2025, programs)
    assert result.total == total
    assert result.employer_total == 0
    assert result.details["band"]["nominal"] == 1_000_000


def test_bpu_income_under_a_million_uses_the_minimum_band() -> None:
    # income up to ~Rp1,099,999 -> band Rp1,000,000 [S-FAME-BPU, S-RADARKAUR]
    assert bpu_contribution(600_000, MARCH_2025).total == 16_800
    assert bpu_contribution(1_099_999, MARCH_2025).total == 16_800


def test_bpu_top_band() -> None:
    # JKK max Rp207,000 and JHT max Rp414,000 -> top band Rp20,700,000 [S-RADARMUKOMUKO, S-FAME-BPU]
    result = bpu_contribution(50_000_000, MARCH_2025, "jkk,jkm,jht")
    assert (result.line(Program.JKK).total, result.line(Program.JHT).total) == (207_000, 414_000)


def test_bpu_middle_band_is_flagged_unconfirmed() -> None:
    result = bpu_contribution(2_350_000, MARCH_2025)
    assert result.line(Program.JKK).total == 23_000
    assert any("placeholder" in w for w in result.trail.warnings)
    assert not any("placeholder" in w for w in bpu_contribution(1_000_000, MARCH_2025).trail.warnings)


def test_bpu_paid_in_advance() -> None:
    # prepayment 1, 3, 6 or 12 months [S-BPJS-BPU-EN]; due by the 15th of the first month [S-KONTAN-DENDA]
    result = bpu_contribution(1_000_000, MARCH_2025, "jkk,jkm", 12)
    assert result.total == 12 * 16_800
    assert len(result.per_month) == 12
    assert str(result.due_on) == "2025-03-17"  # the 15th is a Saturday


def test_bpu_pp49_2020_jkm_is_68_rupiah() -> None:
    # BPU JKM became Rp68 (1 % of Rp6,800) [S-EKLIPING20-301]
    result = bpu_contribution(1_000_000, Month(2020, 10))
    assert result.line(Program.JKM).total == 68
    assert result.line(Program.JKK).total == 100


def test_bpu_pp50_2025_only_with_a_sector() -> None:
    # PP 50/2025 (UNCONFIRMED): 50 % JKK + JKM; transport 2026-01..2027-03, non-transport 2026-04..2026-12 [S-GH-PP50]
    plain = bpu_contribution(1_000_000, Month(2026, 2))
    assert plain.total == 16_800
    assert any("PP 50/2025" in w for w in plain.trail.warnings)
    transport = bpu_contribution(1_000_000, Month(2026, 2), sector=BpuSector.TRANSPORT)
    assert transport.total == 8_400
    assert bpu_contribution(1_000_000, Month(2026, 2), sector=BpuSector.NON_TRANSPORT).total == 16_800
    assert bpu_contribution(1_000_000, Month(2026, 4), sector=BpuSector.NON_TRANSPORT).total == 8_400
    assert bpu_contribution(1_000_000, Month(2026, 4), "jkk,jkm,jht", sector=BpuSector.TRANSPORT).total == 28_400


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"income": -5}, "income"),
        ({"programs": "jkk,jkm,jp"}, "programs"),
        ({"programs": "jkk"}, "programs"),
        ({"months": 2}, "months"),
        ({"month": Month(2015, 6)}, "month"),
    ],
)
def test_bpu_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"income": 1_000_000, "month": MARCH_2025, "programs": "jkk,jkm"}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        bpu_contribution(**args)  # type: ignore[arg-type]
    assert caught.value.fields[0].field == field


@settings(max_examples=100, deadline=None)
@given(income=st.integers(1, 60_000_000), extra=st.integers(0, 5_000_000))
def test_bpu_never_decreases_with_income(income: int, extra: int) -> None:
    low = bpu_contribution(income, MARCH_2025, "jkk,jkm,jht")
    high = bpu_contribution(income + extra, MARCH_2025, "jkk,jkm,jht")
    assert high.total >= low.total
    assert low.total == sum(line.worker for line in low.lines)


@pytest.mark.parametrize(
    ("contract_value", "jkk", "jkm"),
    [  # cumulative marginal bands [S-GRID-JAKON-JKK]; JKM bands [S-GRID-JAKON-JKM] (cumulative assumed)
        (100_000_000, 210_000, 30_000),
        (500_000_000, 890_000, 110_000),  # 210,000 + 0.17 % x 400M
        (1_000_000_000, 1_540_000, 210_000),  # DERIVED: + 0.13 % x 500M
        (6_000_000_000, 6_840_000, 710_000),
        (1_234_567, 2_593, 370),  # 0.21 % x 1,234,567 = 2,592.59 -> 2,593
    ],
)
def test_jakon_by_contract_value(contract_value: int, jkk: int, jkm: int) -> None:
    result = jakon_contribution(MARCH_2025, contract_value)
    assert (result.line(Program.JKK).employer, result.line(Program.JKM).employer) == (jkk, jkm)
    assert any("cumulative" in w for w in result.trail.warnings)


def test_jakon_with_known_wages() -> None:
    # JKK 1.74 %, JKM 0.30 % [S-GRID-JAKON-JKK, S-EKLIPING20-301]
    result = jakon_contribution(MARCH_2025, wages=10_000_000)
    assert (result.line(Program.JKK).employer, result.line(Program.JKM).employer) == (174_000, 30_000)


@settings(max_examples=100, deadline=None)
@given(value=st.integers(1, 20_000_000_000), extra=st.integers(0, 2_000_000_000))
def test_jakon_never_decreases_with_contract_value(value: int, extra: int) -> None:
    assert jakon_contribution(MARCH_2025, value + extra).total >= jakon_contribution(MARCH_2025, value).total


def test_jakon_bad_input() -> None:
    with pytest.raises(InvalidInput, match="contract_value"):
        jakon_contribution(MARCH_2025, -1)
    with pytest.raises(InvalidInput, match="contract_value"):
        jakon_contribution(MARCH_2025)


@pytest.mark.parametrize(
    ("months", "placement", "total"),
    [  # Permenaker 4/2023 Ps 18 [S-PASAL-PMN4-2023]; 37,500 + 332,500 = the older "Rp370,000" [S-TRIB-MKS]
        (24, Placement.AGENCY, 370_000),
        (12, Placement.AGENCY, 37_500 + 189_000),
        (6, Placement.INDIVIDUAL, 108_000),
        (30, Placement.INDIVIDUAL, 332_500 + 6 * 13_500),
    ],
)
def test_pmi_packages(months: int, placement: Placement, total: int) -> None:
    assert pmi_contribution(MARCH_2025, months, placement).total == total


def test_pmi_optional_jht_range() -> None:
    # JHT Rp50,000 to Rp600,000 [S-RADARLAMPUNG-PMI, S-INFOREGULASI]
    assert pmi_contribution(MARCH_2025, 24, jht_amount=50_000).total == 420_000
    with pytest.raises(InvalidInput, match="jht_amount"):
        pmi_contribution(MARCH_2025, 24, jht_amount=700_000)
    with pytest.raises(InvalidInput, match="contract_months"):
        pmi_contribution(MARCH_2025, 0)
