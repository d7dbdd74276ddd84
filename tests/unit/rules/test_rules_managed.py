"""Versions added by users laid over the shipped tables, yearly tables carried forward as UNCONFIRMED, and the
JP wage cap formula checked against the published 2016-2025 series."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import Status, jp_benefit, jp_wage_cap, min_wage
from jangkau.rules.renewals import next_jp_benefit_bounds, next_jp_wage_cap
from jangkau.rules.tables import Version, install, merge, revision, table


@pytest.fixture(autouse=True)
def shipped_only() -> Iterator[None]:
    install({})
    yield
    install({})


# REFERENCE.md 1.4: cap of the previous year, GDP growth used, published cap
JP_CAP_SERIES = [
    (7_000_000, "4.79", 7_335_300),
    (7_335_300, "5.02", 7_703_500),
    (7_703_500, "5.07", 8_094_000),
    (8_094_000, "5.17", 8_512_400),
    (8_512_400, "5.02", 8_939_700),
    (8_939_700, "-2.07", 8_754_600),
    (8_754_600, "3.69", 9_077_600),
    (9_077_600, "5.31", 9_559_600),
    (9_559_600, "5.05", 10_042_300),
    (10_042_300, "5.03", 10_547_400),
]


@pytest.mark.parametrize(("previous", "growth", "published"), JP_CAP_SERIES, ids=[str(y) for y in range(2016, 2026)])
def test_jp_cap_formula_reproduces_the_published_series(previous: int, growth: str, published: int) -> None:
    assert next_jp_wage_cap(previous, Decimal(growth)) == published


# REFERENCE.md 3.4: previous bounds, inflation used, the bounds on file (2021, 2022, 2024 max, 2025 derived)
JP_BOUNDS_SERIES = [
    ((350_700, 4_207_200), "1.68", (356_600, 4_277_900)),
    ((356_600, 4_277_900), "1.87", (363_300, 4_357_900)),
    ((383_400, 4_598_100), "2.61", (393_500, 4_718_200)),
    ((393_500, 4_718_200), "1.57", (399_700, 4_792_300)),
]


@pytest.mark.parametrize(("previous", "inflation", "expected"), JP_BOUNDS_SERIES, ids=["2021", "2022", "2024", "2025"])
def test_jp_bounds_formula_reproduces_the_derived_series(
    previous: tuple[int, int], inflation: str, expected: tuple[int, int]
) -> None:
    assert next_jp_benefit_bounds(*previous, Decimal(inflation)) == expected


def test_jp_cap_formula_refuses_an_implausible_growth() -> None:
    with pytest.raises(InvalidInput, match="gdp_growth"):
        next_jp_wage_cap(10_547_400, Decimal("51.1"))


def _umk_2026(medan: int) -> Version:
    seed = table("min_wage.12").versions[-1]
    return dataclasses.replace(
        seed,
        version="2026-db1",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 31),
        citation="Kepgub Sumut 188.44/908/KPTS/2025",
        data={"province": "12", "ump": 3_228_971, "umk": [{"code": "12.71", "name": "Kota Medan", "amount": medan}]},
        source="rule_version 1",
    )


def test_a_yearly_table_past_its_last_version_is_carried_forward_unconfirmed() -> None:
    floor = min_wage("12.71", Month(2026, 6))
    assert floor.amount == 4_014_072  # 2025's, the latest known
    assert floor.trail.rules[-1].status is Status.UNCONFIRMED
    assert any("MISSING TABLE" in w and "min_wage.12" in w and "2026-06-30" in w for w in floor.trail.warnings)


def test_a_managed_version_wins_from_its_valid_from_and_not_before() -> None:
    before = revision()
    install({"min_wage.12": [_umk_2026(4_335_198)]})
    assert revision() != before
    assert min_wage("12.71", Month(2025, 12)).amount == 4_014_072
    june = min_wage("12.71", Month(2026, 6))
    assert june.amount == 4_335_198
    assert june.decree == "Kepgub Sumut 188.44/908/KPTS/2025"
    assert not june.trail.warnings
    assert min_wage("12.11", Month(2026, 6)).amount == 3_228_971  # Dairi: no UMK, the new UMP


def test_merge_clips_a_seed_version_around_a_managed_one() -> None:
    seed = list(table("jp_wage_cap").versions)
    last = seed[-1]  # 2026-03-01 .. 2027-02-28
    managed = dataclasses.replace(last, version="m", valid_from=dt.date(2026, 6, 1), valid_to=dt.date(2026, 8, 31))
    merged = merge(seed, [managed])
    spans = [(v.version, v.valid_from, v.valid_to) for v in merged if v.valid_from.year == 2026]
    assert spans == [
        (last.version, dt.date(2026, 3, 1), dt.date(2026, 5, 31)),
        ("m", dt.date(2026, 6, 1), dt.date(2026, 8, 31)),
        (last.version, dt.date(2026, 9, 1), dt.date(2027, 2, 28)),
    ]


def test_jp_cap_of_a_managed_version_is_used_in_contributions() -> None:
    cap = dataclasses.replace(
        table("jp_wage_cap").versions[-1], version="2027-db", valid_from=dt.date(2027, 3, 1), valid_to=None
    )
    install({"jp_wage_cap": [dataclasses.replace(cap, data={"cap": 11_640_600})]})
    assert jp_wage_cap(Month(2027, 2)) == 11_086_300
    assert jp_wage_cap(Month(2027, 3)) == 11_640_600


def test_jp_benefit_in_2026_is_an_unconfirmed_amount_not_an_error() -> None:
    result = jp_benefit(15 * 12, 1_000_000, dt.date(2026, 6, 1))  # formula 150,000: under the minimum
    data = result.as_dict()
    assert data["total"] == 399_700  # the 2025 minimum, carried forward
    assert any(r["id"] == "jp_benefit_bounds" and r["status"] == "unconfirmed" for r in data["rules"])
    assert any("MISSING TABLE" in w and "jp_benefit_bounds" in w for w in data["warnings"])
