"""Counts with thousands separators in the reader's language."""

from __future__ import annotations

import pytest

from jangkau.kit.numbers import format_count


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (0, "id", "0"),
        (999, "id", "999"),
        (1800, "id", "1.800"),
        (1800, "en", "1,800"),
        (12_345_678, "id", "12.345.678"),
        (-4500, "id", "-4.500"),
        (None, "id", "—"),
    ],
)
def test_format_count(n: int | None, lang: str, expected: str) -> None:
    assert format_count(n, lang) == expected
