"""NIK parsing and validation (REFERENCE.md §6.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.registry.nik import Sex, check_nik, nik_birth_code, require_valid_nik

TODAY = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("nik", "sex", "born"),
    [
        # [S-YUSRON] worked examples: 35 Jawa Timur, 15 Sidoarjo, 14 Sukodono
        ("3515140508680001", Sex.MALE, dt.date(1968, 8, 5)),
        ("3515144508680002", Sex.FEMALE, dt.date(1968, 8, 5)),
        # separators people type are ignored
        ("35.15.14 050868-0001", Sex.MALE, dt.date(1968, 8, 5)),
        # born this century
        ("1271016512100003", Sex.FEMALE, dt.date(2010, 12, 25)),
    ],
)
def test_valid_nik_decodes_sex_birth_date_and_district(nik: str, sex: Sex, born: dt.date) -> None:
    result = check_nik(nik, today=TODAY)
    assert result.valid, result.errors
    assert result.sex is sex
    assert result.birth_date == born
    assert result.district_code == f"{result.nik[0:2]}.{result.nik[2:4]}.{result.nik[4:6]}"


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("351514050868000", "16 digits"),
        ("35151405086800011", "16 digits"),
        ("35151405O8680001", "16 digits"),
        ("0015140508680001", "province code 00"),
        ("4115140508680001", "province code 41"),
        ("3500140508680001", "regency/city code 00"),
        ("3515000508680001", "district code 00"),
        ("3515143102680001", "not a real date"),
        ("3515147102680001", "not a real date"),  # woman born 31 Feb
        ("3515140513680001", "not a real date"),  # month 13
        ("3515140508680000", "serial number 0000"),
    ],
)
def test_invalid_nik_says_why(nik: str, reason: str) -> None:
    result = check_nik(nik, today=TODAY)
    assert not result.valid
    assert any(reason in e for e in result.errors), result.errors


def test_birth_date_in_the_future_is_an_error() -> None:
    result = check_nik("1271010112260001", today=dt.date(2026, 11, 21))
    assert not result.valid
    assert any("future" in e for e in result.errors)


def test_mismatch_with_stated_birth_date_or_sex_is_only_a_warning() -> None:
    result = check_nik("3515140508680001", birth_date=dt.date(1968, 8, 6), sex=Sex.FEMALE, today=TODAY)
    assert result.valid
    assert len(result.warnings) == 2
    assert "1968-08-06" in result.warnings[0]


def test_unknown_district_is_a_warning_not_an_error() -> None:
    result = check_nik("3515140508680001", district_exists=lambda _code: False, today=TODAY)
    assert result.valid
    assert any("35.15.14" in w for w in result.warnings)


def test_require_valid_nik_names_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        require_valid_nik("123", field_name="nik")
    assert info.value.fields[0].field == "nik"
    assert info.value.http_status == 422


@given(
    born=st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2026, 11, 21)),
    sex=st.sampled_from(list(Sex)),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_generated_nik_round_trips(born: dt.date, sex: Sex, serial: int) -> None:
    nik = "127101" + nik_birth_code(born, sex) + f"{serial:04d}"
    result = check_nik(nik, today=TODAY)
    assert result.valid
    assert result.sex is sex
    assert result.birth_date == born
