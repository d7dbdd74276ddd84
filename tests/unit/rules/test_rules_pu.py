"""PU contributions: rates, JP cap, wage floor, daily wage, relaxations. Each case cites its source key."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import Program, pu_contribution

ALL = "jkk,jkm,jht,jp"


@pytest.mark.parametrize(
    ("risk_group", "jkk"),
    [  # 0.24 / 0.54 / 0.89 / 1.27 / 1.74 % of Rp10,000,000 [S-TRIB-MKS, S-FAME-TAPERA]
        (1, 24_000),
        (2, 54_000),
        (3, 89_000),
        (4, 127_000),
        (5, 174_000),
    ],
)
def test_jkk_by_risk_group(risk_group: int, jkk: int) -> None:
    result = pu_contribution(10_000_000, risk_group, Month(2024, 6), "jkk")
    line = result.line(Program.JKK)
    assert (line.employer, line.worker) == (jkk, 0)


def test_full_package_below_the_jp_cap() -> None:
    # [S-GRID-IURAN, S-FAME-POT]: JKM 0.30 %, JHT 3.7 % + 2 %, JP 2 % + 1 %; wage Rp5,000,000, group 1
    result = pu_contribution(5_000_000, 1, Month(2024, 6), ALL)
    assert (result.line(Program.JKM).employer, result.line(Program.JKM).worker) == (15_000, 0)
    assert (result.line(Program.JHT).employer, result.line(Program.JHT).worker) == (185_000, 100_000)
    assert (result.line(Program.JP).employer, result.line(Program.JP).worker) == (100_000, 50_000)
    assert result.employer_total == 12_000 + 15_000 + 185_000 + 100_000
    assert result.worker_total == 150_000
    assert result.total == 462_000


@pytest.mark.parametrize(
    ("month", "cap"),
    [  # JP cap from 1 March each year [S-EOS2025, S-SUARAIND2024, S-JIMMY2020, S-KRISHAND2020]
        (Month(2015, 7), 7_000_000),
        (Month(2020, 2), 8_512_400),
        (Month(2020, 3), 8_939_700),
        (Month(2024, 2), 9_559_600),
        (Month(2024, 3), 10_042_300),
        (Month(2025, 2), 10_042_300),
        (Month(2025, 3), 10_547_400),
    ],
)
def test_jp_base_is_capped_by_the_month_cap(month: Month, cap: int) -> None:
    line = pu_contribution(20_000_000, 1, month, "jp").line(Program.JP)
    assert line.base == cap
    assert line.employer == cap * 2 // 100  # caps are multiples of Rp100: exact
    assert line.worker == cap // 100


def test_jht_has_no_cap() -> None:
    # No ceiling for JHT (CONFIRMED by absence, REFERENCE 1.2; [S-GH-AKUNTING])
    line = pu_contribution(20_000_000, 1, Month(2025, 3), "jht").line(Program.JHT)
    assert (line.base, line.total) == (20_000_000, 1_140_000)


def test_unconfirmed_cap_warns() -> None:
    # 2021 cap Rp8,754,600 is DERIVED / public code only [S-GH-PHP-JP]
    result = pu_contribution(10_000_000, 1, Month(2021, 6), "jp")
    assert result.line(Program.JP).base == 8_754_600
    assert any("2021" in w and "UNCONFIRMED" in w for w in result.trail.warnings)
    assert any(r.id == "jp_wage_cap" and r.status == "unconfirmed" for r in result.trail.rules)


def test_daily_wage_times_25() -> None:
    # daily wage x 25 [S-PROBIS15]
    result = pu_contribution(None, 1, Month(2025, 3), "jht", daily_wage=150_000)
    assert result.details["wage"] == 3_750_000
    assert result.line(Program.JHT).total == 213_750


def test_wage_under_medan_umk_is_a_finding_not_a_correction() -> None:
    # UMK Medan 2025 Rp4,014,072 [S-RBTV-UMK2025]; below it: suspected PDS Upah (REFERENCE 1.3, 4.1)
    result = pu_contribution(3_500_000, 1, Month(2025, 3), "jht", region="12.71")
    assert [f.code for f in result.findings] == ["suspected_pds_upah"]
    assert result.line(Program.JHT).base == 3_500_000
    floored = pu_contribution(3_500_000, 1, Month(2025, 3), "jht", region="12.71", use_floor=True)
    assert floored.line(Program.JHT).base == 4_014_072
    assert floored.line(Program.JHT).total == 228_802  # 4,014,072 x 3.7 % = 148,520.66 -> 148,521; x 2 % = 80,281


def test_wage_at_the_floor_has_no_finding() -> None:
    result = pu_contribution(4_014_072, 1, Month(2025, 3), "jkk", region="12.71.01.1001")
    assert result.findings == []


def test_region_without_data_warns_but_computes() -> None:
    result = pu_contribution(3_000_000, 1, Month(2025, 3), "jkk", region="31.71")
    assert result.line(Program.JKK).employer == 7_200
    assert any("floor not checked" in w for w in result.trail.warnings)


def test_jkp_is_shown_but_not_billed() -> None:
    # JKP funded by government + recomposition (PP 6/2025 Ps 11) [S-PASAL-PP6]
    result = pu_contribution(5_000_000, 1, Month(2025, 3), "jkp")
    assert result.total == 0
    assert "36 bp" in result.line(Program.JKP).note
    before = pu_contribution(5_000_000, 1, Month(2025, 1), "jkp")
    assert "46 bp" in before.line(Program.JKP).note


def test_pp49_2020_relaxation() -> None:
    # PP 49/2020: JKK/JKM at 1 %, JP 99 % postponed, months Aug 2020 - Jan 2021 [S-PASAL-PP49, S-HEADLINES-PP49]
    result = pu_contribution(5_000_000, 5, Month(2020, 8), ALL)
    assert result.line(Program.JKK).employer == 870  # 1.74 % x 1 % x 5,000,000
    assert result.line(Program.JKM).employer == 150
    jp = result.line(Program.JP)
    assert (jp.employer, jp.worker, jp.postponed) == (1_000, 500, 148_500)
    assert result.line(Program.JHT).total == 285_000  # JHT not relaxed
    normal = pu_contribution(5_000_000, 5, Month(2021, 2), ALL)
    assert normal.line(Program.JKK).employer == 87_000


def test_pp7_2025_halves_jkk_when_the_employer_qualifies() -> None:
    # PP 7/2025: 1.74 % -> 0.87 %, 0.89 % -> 0.445 % [S-KONTAN-PP7]
    assert pu_contribution(10_000_000, 5, Month(2025, 6), "jkk", labour_intensive=True).total == 87_000
    assert pu_contribution(10_000_000, 3, Month(2025, 6), "jkk", labour_intensive=True).total == 44_500
    assert pu_contribution(10_000_000, 3, Month(2025, 6), "jkk").total == 89_000
    assert pu_contribution(10_000_000, 3, Month(2026, 1), "jkk", labour_intensive=True).total == 89_000


def test_due_date_is_the_15th_of_the_next_month() -> None:
    # [S-KONTAN-DENDA]; 2025-04-15 is a Tuesday
    assert str(pu_contribution(5_000_000, 1, Month(2025, 3), "jkk").due_on) == "2025-04-15"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"wage": -1}, "wage"),
        ({"wage": 0}, "wage"),
        ({"wage": 5_000_000_000}, "wage"),
        ({"risk_group": 6}, "risk_group"),
        ({"risk_group": 0}, "risk_group"),
        ({"programs": "jkk,xyz"}, "programs"),
        ({"month": Month(2015, 6)}, "month"),  # before BPJS Ketenagakerjaan's programmes (2015-07)
        ({"programs": "jp", "month": Month(2015, 6)}, "month"),
        ({"programs": "jkp", "month": Month(2021, 1)}, "month"),  # JKP starts 2021-02 (PP 37/2021)
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"wage": 5_000_000, "risk_group": 1, "month": Month(2025, 3), "programs": "jkk"}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        pu_contribution(**args)  # type: ignore[arg-type]
    assert caught.value.fields[0].field == field
    assert caught.value.message_id
    assert caught.value.message_id != caught.value.message


months = st.builds(Month, st.integers(2015, 2026), st.integers(1, 12)).filter(
    lambda m: Month(2015, 7) <= m <= Month(2026, 12)
)


@settings(max_examples=150, deadline=None)
@given(wage=st.integers(1, 200_000_000), group=st.integers(1, 5), month=months)
def test_shares_add_up_and_jp_cap_holds(wage: int, group: int, month: Month) -> None:
    result = pu_contribution(wage, group, month, ALL)
    assert result.total == result.employer_total + result.worker_total
    assert all(line.total == line.employer + line.worker for line in result.lines)
    jp = result.line(Program.JP)
    cap_line = pu_contribution(1_000_000_000, 1, month, "jp").line(Program.JP)
    assert jp.base <= cap_line.base
    assert jp.total <= cap_line.total


@settings(max_examples=100, deadline=None)
@given(wage=st.integers(1, 100_000_000), extra=st.integers(1, 10_000_000), group=st.integers(1, 5), month=months)
def test_amounts_never_decrease_with_wage(wage: int, extra: int, group: int, month: Month) -> None:
    low = pu_contribution(wage, group, month, ALL)
    high = pu_contribution(wage + extra, group, month, ALL)
    for program in (Program.JKK, Program.JKM, Program.JHT, Program.JP):
        assert high.line(program).employer >= low.line(program).employer
        assert high.line(program).worker >= low.line(program).worker
