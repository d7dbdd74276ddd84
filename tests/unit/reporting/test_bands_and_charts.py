"""Pure parts of reporting: age bands, rates, SVG charts that the CSP allows, estimate file checks."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.reporting.charts import Bar, Tile, bar_chart, line_chart, rate_colour, tile_grid, tile_lines
from jangkau.reporting.estimates import _parse
from jangkau.reporting.rules.bands import AGE_BANDS, age_band, format_rate, rate_bp


@pytest.mark.parametrize(
    ("age", "band"), [(14, "<15"), (15, "15-24"), (24, "15-24"), (25, "25-34"), (64, "55-64"), (65, "65+"), (99, "65+")]
)
def test_age_band_edges(age: int, band: str) -> None:
    assert age_band(age) == band


@given(st.integers(min_value=0, max_value=120))
def test_every_age_falls_in_exactly_one_band(age: int) -> None:
    hits = [b for b in AGE_BANDS if b.low <= age and (b.high is None or age <= b.high)]
    assert len(hits) == 1


def test_rate_is_rounded_half_up_in_basis_points_and_written_with_a_comma() -> None:
    assert rate_bp(1, 3) == 3_333
    assert rate_bp(2, 3) == 6_667
    assert rate_bp(5, 0) is None
    assert format_rate(3_333) == "33,33 %"
    assert format_rate(None) == "—"


def test_charts_use_no_inline_style_or_script_and_escape_names() -> None:
    svg = str(
        bar_chart("Per segmen", [Bar("<script>alert(1)</script>", 5)])
        + line_chart("Tren", ["2026-01", "2026-02"], [("Aktif", [1, 2], "#0b6e4f")])
        + tile_grid("Peta", [Tile("12.71.01", "Medan & Kota", 4_000, "/reports/12.71.01")])
    )
    assert "style=" not in svg
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert "Medan &amp; Kota" in svg


@pytest.mark.parametrize("months", [1, 2, 6, 12, 13, 24])
@pytest.mark.parametrize("width", [560, 1000])
def test_trend_labels_keep_the_last_month_inside_the_chart_and_apart(months: int, width: int) -> None:
    labels = [f"{2025 + (m + 10) // 12}-{(m + 10) % 12 + 1:02d}" for m in range(months)]
    svg = str(line_chart("Tren", labels, [("Aktif", list(range(months)), "#0b6e4f")], width=width))
    drawn = [
        (float(x), anchor, text)
        for x, anchor, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)"[^>]*>(\d{4}-\d{2})<', svg)
    ]
    assert drawn[-1][2] == labels[-1]  # the latest month is always labelled
    half = 23  # "2026-10" at 11 px
    spans = [(x - 2 * half, x) if anchor == "end" else (x - half, x + half) for x, anchor, _ in drawn]
    assert all(lo >= 0 and hi <= width for lo, hi in spans)
    assert all(a[1] + 4 <= b[0] for a, b in pairwise(spans))  # no two labels overlap


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("Medan Kota", ["Medan Kota"]),
        ("Medan Tuntungan", ["Medan", "Tuntungan"]),
        ("Kecamatan Bandar Khalipah Raya", ["Kecamatan", "Bandar Khalip…"]),
        ("Pematangsiantarbarat", ["Pematangsianta", "rbarat"]),
    ],
)
def test_tile_names_break_between_words_on_two_lines(label: str, lines: list[str]) -> None:
    assert tile_lines(label) == lines
    assert all(len(line) <= 14 for line in tile_lines(label))
    svg = str(tile_grid("Peta", [Tile("12.71.01", label, 4_000, "/reports/12.71.01")]))
    assert all(f">{line}</text>" in svg for line in lines)


def test_tiles_are_coloured_from_red_to_green_and_grey_without_estimate() -> None:
    assert rate_colour(500) == "#b3261e"
    assert rate_colour(9_000) == "#0b6e4f"
    assert rate_colour(None) == "#c9ced6"


def test_estimate_file_with_negative_numbers_reports_the_line() -> None:
    rows, errors = _parse(b"region_code,workers\n12.71.01.1001,120\n12.71.01.1002,-4\n12.71,10\n")
    assert [r["region_code"] for r in rows] == ["12.71.01.1001"]
    assert [e.field for e in errors] == ["line 3", "line 4"]


def test_estimate_file_needs_the_header() -> None:
    with pytest.raises(InvalidInput, match="region_code,workers"):
        _parse(b"kode,jumlah\n12.71.01.1001,3\n")
