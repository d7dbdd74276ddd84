"""The rule data files: shape, citations, statuses, and version selection across every boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import Status
from jangkau.rules.tables import Version, all_tables, table

VERSIONS = [v for t in all_tables().values() for v in t.versions]


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"{v.id}:{v.version}")
def test_every_version_has_citation_and_status(version: Version) -> None:
    assert version.citation.strip()
    assert isinstance(version.status, Status)
    assert version.title


def test_the_rules_asked_for_are_on_file() -> None:
    expected = {
        "pu_rates", "jp_wage_cap", "jkp_funding", "min_wage.12", "bpu_rates", "bpu_income_bands", "jakon_rates",
        "pmi_packages", "payment", "relaxation.pp49_2020", "relaxation.pp7_2025", "relaxation.pp50_2025",
        "jkm_benefits", "jkk_benefits", "jht_rules", "jp_rules", "jp_benefit_bounds", "jp_pension_age",
        "jkp_benefits", "coverage_pu", "coverage_bpu",
    }  # fmt: skip
    assert expected <= set(all_tables())


BOUNDARIES = [(t.id, v) for t in all_tables().values() for v in t.versions]


@pytest.mark.parametrize(("rule_id", "version"), BOUNDARIES, ids=lambda x: str(getattr(x, "version", x)))
def test_version_follows_the_event_date_across_each_boundary(rule_id: str, version: Version) -> None:
    rules = table(rule_id)
    assert rules.at(version.valid_from, "date") is version
    before = version.valid_from - dt.timedelta(days=1)
    assert rules.find(before) is not version
    if version.valid_to is not None:
        assert rules.at(version.valid_to, "date") is version
        assert rules.find(version.valid_to + dt.timedelta(days=1)) is not version


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31)))
def test_jp_cap_selection_matches_the_1_march_rule(day: dt.date) -> None:
    cap_year = day.year if day.month >= 3 else day.year - 1
    found = table("jp_wage_cap").find(day)
    if day < dt.date(2015, 7, 1) or cap_year > 2026:
        assert found is None
    else:
        assert found is not None
        assert found.version == str(max(cap_year, 2015))


def test_month_selection_uses_the_months_last_day_and_warns_on_a_change() -> None:
    from jangkau.rules.model import Trail

    trail = Trail()
    version = table("jkp_funding").for_month(Month(2025, 2), "month", trail)
    assert version.version == "PP6/2025"
    assert any("changed inside 2025-02" in w for w in trail.warnings)


def test_outside_every_version_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        table("jp_wage_cap").at(dt.date(2015, 6, 30), "month")
    assert "2015-07-01" in caught.value.message
    assert caught.value.message_id.startswith("month: tidak ada aturan")
