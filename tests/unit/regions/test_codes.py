"""Region code parsing (REFERENCE.md §6.2)."""

from __future__ import annotations

import pytest

from jangkau.errors import InvalidInput
from jangkau.regions.codes import Kind, Level, is_within, normalise_code, parse_region_code


@pytest.mark.parametrize(
    ("text", "level", "kind", "parent"),
    [
        ("12", Level.PROVINCE, Kind.PROVINSI, None),
        ("12.71", Level.REGENCY, Kind.KOTA, "12"),
        ("12.01", Level.REGENCY, Kind.KABUPATEN, "12"),
        ("12.71.01", Level.DISTRICT, Kind.KECAMATAN, "12.71"),
        ("12.71.01.1001", Level.VILLAGE, Kind.KELURAHAN, "12.71.01"),
        ("33.73.04.1001", Level.VILLAGE, Kind.KELURAHAN, "33.73.04"),
        ("12.01.01.2001", Level.VILLAGE, Kind.DESA, "12.01.01"),
        ("51.03.01.3001", Level.VILLAGE, Kind.DESA_ADAT, "51.03.01"),
        ("1271011001", Level.VILLAGE, Kind.KELURAHAN, "12.71.01"),
    ],
)
def test_parse_levels_kinds_and_parents(text: str, level: Level, kind: Kind, parent: str | None) -> None:
    code = parse_region_code(text)
    assert code.level is level
    assert code.kind is kind
    assert code.parent == parent


@pytest.mark.parametrize("text", ["1", "12.7", "12.71.1", "12.71.01.4001", "00", "12.00", "12.70", "12.71.00", "ab.cd"])
def test_malformed_codes_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_region_code(text, "village_code")
    assert info.value.fields[0].field == "village_code"


def test_normalise_and_within() -> None:
    assert normalise_code(" 1271 ") == "12.71"
    assert parse_region_code("12.71.01.1001").ancestors() == ["12", "12.71", "12.71.01"]
    assert is_within("12.71.01.1001", "12.71")
    assert not is_within("12.710.1", "12.71")
    assert not is_within("12.72.01", "12.71")
