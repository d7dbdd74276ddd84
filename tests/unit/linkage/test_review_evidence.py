"""Evidence shown to a reviewer and the area a list belongs to (no database)."""

from __future__ import annotations

import pytest

from jangkau.linkage.imports import list_area
from jangkau.linkage.review import name_evidence, nik_evidence


@pytest.mark.parametrize(
    ("row", "person", "expected"),
    [
        ("1271011508800001", "1271011508800001", "equal"),
        ("1271011508800009", "1271011508800001", "one_digit_off"),
        ("1271011508800010", "1271011508800001", "one_digit_off"),  # two neighbours swapped
        ("1271011508800021", "1271011508800012", "one_digit_off"),
        ("1271011508800099", "1271011508800001", "different"),
        (None, "1271011508800001", "missing"),
    ],
)
def test_nik_evidence(row: str | None, person: str, expected: str) -> None:
    assert nik_evidence(row, person) == expected


def test_name_evidence_compares_normalised_names() -> None:
    same = name_evidence("Hj. St. Aminah", "SITI AMINAH")
    assert same["result"] == "equal"
    assert name_evidence("Joko Widodo", "BUDI SANTOSO")["result"] == "different"
    assert name_evidence(None, "BUDI")["result"] == "missing"


@pytest.mark.parametrize(
    ("scope", "area"),
    [(("",), ""), (("12.71",), "12.71"), (("12.71.01", "12.71.02"), "12.71"), (("12.71", "13.01"), "")],
)
def test_a_list_belongs_to_the_uploaders_area(scope: tuple[str, ...], area: str) -> None:
    assert list_area(scope) == area
