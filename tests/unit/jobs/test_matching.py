"""The match score (pure): its parts, bounds and order; the vacancy wage check against the UMK/UMP."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.jobs.rules import matching
from jangkau.jobs.rules.wages import check_offer
from jangkau.jobs.schemas import clean_skills, skill_slug

SKILLS = st.sets(st.sampled_from(["menjahit", "las", "cat", "kasir", "gudang", "mengemudi"]), max_size=6)
DISTRICTS = st.sets(st.sampled_from(["12.71.01", "12.71.02", "12.07.01", "12.72.03"]), max_size=3)


@given(SKILLS, DISTRICTS, st.one_of(st.none(), st.integers(1, 20_000_000)), SKILLS, st.integers(1, 20_000_000))
def test_the_parts_add_up_and_stay_within_their_maximum(
    have: set[str], prefer: set[str], expected: int | None, wanted: set[str], offered: int
) -> None:
    s = matching.score(have, prefer, expected, wanted, "12.71.01", offered)
    parts = (s.skills, s.district, s.wage)
    assert s.total == sum(p.points for p in parts)
    assert all(0 <= p.points <= p.max for p in parts)
    assert s.total <= 100
    assert set(s.matched_skills) == have & wanted
    fast = matching.points(frozenset(have), frozenset(prefer), expected, frozenset(wanted), "12.71.01", offered)
    assert fast == s.total  # the quick ranking and the explained score agree


def test_district_and_wage_parts() -> None:
    wanted = ["las", "cat"]
    near = matching.score(["las"], ["12.71.02"], 5_000_000, wanted, "12.71.01", 4_000_000)
    assert (near.skills.points, near.district.points, near.wage.points) == (30, 15, 12)
    assert "di bawah harapan" in near.wage.why_id
    anywhere = matching.score(["las", "cat"], [], None, wanted, "12.71.01", 4_000_000)
    assert (anywhere.district.points, anywhere.wage.points, anywhere.total) == (10, 15, 85)
    far = matching.score(["las"], ["12.07.01"], None, wanted, "12.71.01", 4_000_000)
    assert far.district.points == 0


def test_top_is_best_first_then_lower_id() -> None:
    a = matching.score(["las"], [], None, ["las"], "12.71.01", 1)
    b = matching.score(["las"], ["12.71.01"], None, ["las"], "12.71.01", 1)
    assert [i for i, _ in matching.top([(5, a), (9, b), (2, a)], 2)] == [9, 2]


def test_skills_are_compared_as_slugs() -> None:
    assert skill_slug("  Las Listrik ") == "las_listrik"
    assert clean_skills("Cat, las listrik,LAS-LISTRIK,,") == ["cat", "las_listrik"]


def test_offer_under_the_umk_is_refused_with_the_decree() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_offer("12.71.01", 4_000_000, "month", dt.date(2025, 3, 1))
    assert "UMK" in refused.value.message_id
    assert "Kota Medan" in refused.value.message
    ok = check_offer("12.71.01", 4_014_072, "month", dt.date(2025, 3, 1))
    assert ok.floor is not None
    assert ok.floor.amount == 4_014_072
    assert not ok.trail.warnings


def test_regency_without_umk_uses_the_ump_and_unknown_provinces_are_not_checked() -> None:
    dairi = check_offer("12.11.01", 3_000_000, "month", dt.date(2025, 3, 1))  # Dairi has no UMK
    assert dairi.floor is not None
    assert (dairi.floor.level, dairi.floor.amount) == ("ump", 2_992_559)
    jakarta = check_offer("31.71.01", 1_000_000, "month", dt.date(2025, 3, 1))
    assert jakarta.floor is None
    assert any("not checked" in w for w in jakarta.trail.warnings)


def test_zero_and_absurd_wages_are_refused() -> None:
    for wage in (0, -5, 2_000_000_000):
        with pytest.raises(InvalidInput) as refused:
            check_offer("12.71.01", wage, "month", dt.date(2025, 3, 1))
        assert refused.value.fields[0].field == "wage_offered"
