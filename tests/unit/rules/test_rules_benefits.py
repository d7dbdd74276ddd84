"""Benefit calculators: JKM, JKK, JHT, JP, JKP. Each case cites its source key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import (
    JhtTrigger,
    JkkOutcome,
    JpReason,
    jht_claim,
    jht_projection,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
    pension_age,
)

D = dt.date


# --- JKM ---------------------------------------------------------------------------------------------------


def test_jkm_42_million_breakdown() -> None:
    # Rp20M + Rp12M + Rp10M = Rp42M [S-BPJS-18126, S-HARIANJOGJA-PP82]
    result = jkm_benefit(D(2024, 5, 1), 10)
    assert [(i.code, i.amount) for i in result.items] == [
        ("lump_sum", 20_000_000),
        ("periodic", 12_000_000),
        ("funeral", 10_000_000),
    ]
    assert result.total == 42_000_000


def test_jkm_before_pp82_2019() -> None:
    # was 16.2M + 4.8M + 3M [S-HARIANJOGJA-PP82]
    assert jkm_benefit(D(2019, 12, 1), 10).total == 24_000_000
    assert jkm_benefit(D(2019, 12, 2), 10).total == 42_000_000


@pytest.mark.parametrize(
    ("months", "children", "eligible", "max_total"),
    [  # >= 36 months (UNCONFIRMED >= vs >), 2 children, Rp174M [S-BALIPOST-BEASISWA, S-PR-LAMPUNG, S-RADARPEKALONGAN]
        (35, 2, False, 0),
        (36, 2, True, 174_000_000),
        (36, 1, True, 87_000_000),
        (60, 3, True, 174_000_000),
    ],
)
def test_jkm_scholarship(months: int, children: int, eligible: bool, max_total: int) -> None:
    result = jkm_benefit(D(2024, 5, 1), months, children)
    scholarship = result.details["scholarship"]
    assert (scholarship["eligible"], scholarship["max_total"]) == (eligible, max_total)
    assert [lvl["per_year"] for lvl in scholarship["levels"]] == [1_500_000, 2_000_000, 3_000_000, 12_000_000]
    assert any(">= or >" in w for w in result.trail.warnings)


# --- JKK ---------------------------------------------------------------------------------------------------


def test_jkk_stmb_100_percent_then_50() -> None:
    # STMB 100 % for 12 months, then 50 % [S-BPJS-18913, S-ANTARA-JATENG-PP82]
    result = jkk_benefit(D(2024, 2, 1), 4_000_001, JkkOutcome.TEMPORARY_DISABILITY, months_unable=14)
    assert result.item("stmb_full").amount == 12 * 4_000_001
    assert result.item("stmb_half").amount == 2 * 2_000_001  # 2,000,000.5 rounds half up
    assert [row["bp"] for row in result.schedule] == [10_000] * 12 + [5_000] * 2


def test_jkk_death_and_total_disability() -> None:
    # death 48 x wage [S-ANTARA-JATENG-PP82, S-BANTEN-48X]; total permanent disability up to 56 x wage
    assert jkk_benefit(D(2024, 2, 1), 5_000_000, JkkOutcome.DEATH).total == 240_000_000
    assert jkk_benefit(D(2024, 2, 1), 5_000_000, JkkOutcome.TOTAL_PERMANENT_DISABILITY).total == 280_000_000


def test_jkk_partial_disability_warns() -> None:
    # % x 80 x wage [S-JAMSOS-BLOG] (SECONDARY; table UNCONFIRMED)
    result = jkk_benefit(D(2024, 2, 1), 5_000_000, JkkOutcome.PARTIAL_DISABILITY, disability_percent=Decimal(10))
    assert result.total == 40_000_000
    assert any("percentage table" in w for w in result.trail.warnings)


def test_jkk_five_year_claim_limit() -> None:
    # PP 82/2019 amending PP 44/2015 Ps 26 [S-HARIANJOGJA-PP82]
    ok = jkk_benefit(D(2020, 3, 1), 5_000_000, JkkOutcome.DEATH, claim_date=D(2025, 3, 1))
    late = jkk_benefit(D(2020, 3, 1), 5_000_000, JkkOutcome.DEATH, claim_date=D(2025, 3, 2))
    assert (ok.eligible, late.eligible) == (True, False)


def test_jkk_before_pp82_has_no_table() -> None:
    with pytest.raises(InvalidInput) as caught:
        jkk_benefit(D(2019, 1, 1), 5_000_000, JkkOutcome.DEATH)
    assert caught.value.fields[0].field == "accident_date"


# --- JHT ---------------------------------------------------------------------------------------------------


def test_jht_projection_without_returns_is_the_sum() -> None:
    history = [(Month(2020, 1).plus(i), 285_000) for i in range(24)]
    assert jht_projection(history, 0).total == 24 * 285_000


def test_jht_projection_hand_computed() -> None:
    # DERIVED method: 1,200 bp/yr = 100 bp/month on the opening balance, half up
    result = jht_projection([(Month(2024, 1), 1_000_000), (Month(2024, 2), 1_000_000)], 1200, until=Month(2024, 3))
    # Jan: 0 + 1,000,000; Feb: +10,000 +1,000,000 = 2,010,000; Mar: +20,100 = 2,030,100
    assert result.total == 2_030_100
    assert any("UNCONFIRMED" in w for w in result.trail.warnings)


@pytest.mark.parametrize(
    ("trigger", "start", "previous", "eligible", "amount"),
    [  # >= 10 years; max 30 % housing or 10 % other; once [S-PASAL-PP46-22, S-JPNN-JHT]
        (JhtTrigger.PARTIAL_HOUSING, D(2015, 1, 5), 0, True, 30_000_000),
        (JhtTrigger.PARTIAL_OTHER, D(2015, 1, 5), 0, True, 10_000_000),
        (JhtTrigger.PARTIAL_HOUSING, D(2015, 1, 6), 0, False, 30_000_000),  # one day short of 10 years
        (JhtTrigger.PARTIAL_HOUSING, D(2010, 1, 1), 1, False, 30_000_000),
    ],
)
def test_jht_partial_claim(trigger: JhtTrigger, start: dt.date, previous: int, eligible: bool, amount: int) -> None:
    result = jht_claim(trigger, D(2025, 1, 5), start, 100_000_000, previous_partial_claims=previous)
    assert (result.eligible, result.total) == (eligible, amount)


def test_jht_resignation_waits_one_month() -> None:
    # Permenaker 4/2022: resignation / PHK paid after a 1-month wait [S-DETIK-PMN4-2022]
    result = jht_claim(JhtTrigger.RESIGNATION, D(2025, 1, 31), D(2020, 1, 1), 40_000_000)
    assert result.details["payable_from"] == "2025-02-28"
    assert result.total == 40_000_000


def test_jht_age_56_from_the_next_day() -> None:
    # from the day after the 56th birthday [S-ANTARA-NTB-JHT]
    before = jht_claim(JhtTrigger.AGE, D(2025, 6, 1), D(2015, 7, 1), 1, birth_date=D(1969, 6, 1))
    after = jht_claim(JhtTrigger.AGE, D(2025, 6, 2), D(2015, 7, 1), 1, birth_date=D(1969, 6, 1))
    assert (before.eligible, after.eligible) == (False, True)
    with pytest.raises(InvalidInput, match="birth_date"):
        jht_claim(JhtTrigger.AGE, D(2025, 6, 2), D(2015, 7, 1), 1)


# --- JP ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "wage", "on", "monthly"),
    [  # 1 % x masa_iur/12 x wage (PP 45/2015 Ps 17) [S-HRDFORUM-PP45], clamped (Ps 18) [S-KONTAN-JP2023]
        (180, 5_000_000, D(2023, 6, 1), 750_000),
        (180, 2_000_000, D(2023, 6, 1), 383_400),  # 300,000 -> 2023 minimum
        (360, 20_000_000, D(2023, 6, 1), 4_598_100),  # 6,000,000 -> 2023 maximum
        (200, 4_123_457, D(2024, 6, 1), 687_243),  # 687,242.83 -> half up
    ],
)
def test_jp_monthly_formula_and_bounds(months: int, wage: int, on: dt.date, monthly: int) -> None:
    assert jp_benefit(months, wage, on).item("monthly").amount == monthly


def test_jp_under_15_years_is_a_lump_sum() -> None:
    # UU SJSN Ps 41 [S-GRIDTECHNO-JP]
    result = jp_benefit(179, 5_000_000, D(2025, 6, 1), accumulated=30_000_000)
    assert [i.code for i in result.items] == ["lump_sum"]
    assert result.total == 30_000_000


def test_jp_death_as_if_15_years() -> None:
    # membership >= 1 year and density >= 80 % (Permenaker 29/2015 Ps 26) [S-PASAL-PMN29]
    ok = jp_benefit(24, 5_000_000, D(2025, 6, 1), reason=JpReason.DEATH, membership_months=30, density_bp=8000)
    assert ok.item("monthly").amount == 750_000
    thin = jp_benefit(24, 5_000_000, D(2025, 6, 1), reason=JpReason.DEATH, membership_months=30, density_bp=7999)
    assert thin.items[0].code == "lump_sum"


def test_jp_no_bounds_for_2017() -> None:
    with pytest.raises(InvalidInput) as caught:
        jp_benefit(180, 5_000_000, D(2017, 6, 1))
    assert caught.value.fields[0].field == "date"


@pytest.mark.parametrize(
    ("on", "age"),
    [  # PP 45/2015 Ps 15 [S-HRDFORUM-PP45, S-GARUDA59]
        (D(2015, 7, 1), 56),
        (D(2018, 12, 31), 56),
        (D(2019, 1, 1), 57),
        (D(2024, 12, 31), 58),
        (D(2025, 1, 1), 59),
        (D(2043, 1, 1), 65),
        (D(2060, 1, 1), 65),
    ],
)
def test_pension_age(on: dt.date, age: int) -> None:
    assert pension_age(on) == age


@settings(max_examples=100, deadline=None)
@given(months=st.integers(180, 600), wage=st.integers(1, 100_000_000), year=st.integers(2023, 2025))
def test_jp_monthly_within_bounds(months: int, wage: int, year: int) -> None:
    amount = jp_benefit(months, wage, D(year, 6, 1)).item("monthly").amount
    low, high = {2023: (383_400, 4_598_100), 2024: (393_500, 4_718_200), 2025: (399_700, 4_792_300)}[year]
    assert low <= amount <= high


# --- JKP ---------------------------------------------------------------------------------------------------

PAID_2024 = [Month(2023, 12).plus(i) for i in range(16)]


def test_jkp_pp6_2025_example() -> None:
    # wage 7M -> base 5M -> 60 % x 6 = Rp18,000,000 (REFERENCE 3.5 DERIVED; PP 6/2025 Ps 21) [S-STATUSTERNATE]
    result = jkp_benefit(D(2025, 3, 10), 7_000_000, PAID_2024)
    assert result.total == 18_000_000
    assert result.eligible is True
    assert result.details["claim_deadline"] == "2025-09-10"


def test_jkp_pp37_2021_example() -> None:
    # 45 % x 3 + 25 % x 3 on 5M = Rp10,500,000 (REFERENCE 3.5 DERIVED) [S-OKEZONE-PP6]
    paid = [Month(2023, 1).plus(i) for i in range(14)]
    result = jkp_benefit(D(2024, 2, 20), 7_000_000, paid)
    assert result.total == 10_500_000
    assert result.details["claim_deadline"] == "2024-05-20"


def test_jkp_switches_on_2025_02_07() -> None:
    paid = [Month(2023, 6).plus(i) for i in range(20)]
    assert jkp_benefit(D(2025, 2, 6), 5_000_000, paid).total == 10_500_000
    assert jkp_benefit(D(2025, 2, 7), 5_000_000, paid).total == 18_000_000


def test_jkp_eligibility_and_claim_window() -> None:
    # >= 12 of 24 months [S-TEMPO-PP6]; claim within 6 months [S-STATUSTERNATE]
    few = jkp_benefit(D(2025, 3, 10), 4_000_000, PAID_2024[:11])
    assert few.eligible is False
    late = jkp_benefit(D(2025, 3, 10), 4_000_000, PAID_2024, claim_date=D(2025, 9, 11))
    assert late.eligible is False
    with pytest.raises(InvalidInput, match="dismissal_date"):
        jkp_benefit(D(2021, 1, 31), 4_000_000, PAID_2024)


@settings(max_examples=100, deadline=None)
@given(wage=st.integers(1, 50_000_000), day=st.dates(D(2021, 2, 2), D(2030, 12, 31)))
def test_jkp_never_exceeds_the_cap(wage: int, day: dt.date) -> None:
    result = jkp_benefit(day, wage, [])
    assert result.total <= 18_000_000
    assert result.details["base"] <= 5_000_000
