"""The Perisai rules as data: incentive amounts and the deactivation window (REFERENCE.md §5.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from jangkau.kit.months import Month
from jangkau.outreach.rules.incentive import deactivation_check, load_rule, monthly_incentive, termination_reasons


def test_rule_data_is_flagged_unconfirmed() -> None:
    rule = load_rule("perisai_incentive")
    assert rule.ref.status.value == "unconfirmed"
    assert rule.data["commission_bp"] == 750


@pytest.mark.parametrize(
    ("collected", "new", "commission", "bonus", "umbrella"),
    [
        (0, 0, 0, 0, 0),
        (1_000_000, 49, 75_000, 0, 7_500),
        (1_000_000, 50, 75_000, 500_000, 57_500),  # >= 50 new participants: Rp500,000
        (16_801, 0, 1_260, 0, 126),  # 1,260.075 rounds half up to 1,260; 10 % of it is 126
    ],
)
def test_incentive(collected: int, new: int, commission: int, bonus: int, umbrella: int) -> None:
    result = monthly_incentive(Month(2026, 3), collected, new)
    assert (result.commission, result.bonus, result.umbrella_share) == (commission, bonus, umbrella)
    assert result.agent_share + result.umbrella_share == result.total
    body = result.as_dict()
    assert body["status"] == "unconfirmed"
    assert body["rules"][0]["id"] == "perisai_incentive"


def test_incentive_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="negative"):
        monthly_incentive(Month(2026, 3), -1, 0)
    with pytest.raises(ValueError, match="before"):
        monthly_incentive(Month(2016, 3), 1, 0)


def test_three_idle_months_cut_the_agent_off_for_six() -> None:
    as_of = dt.date(2026, 5, 10)
    idle = deactivation_check(as_of, dt.date(2025, 1, 1), {Month(2026, 1)})
    assert idle.deactivate
    assert idle.idle_since == Month(2026, 2)
    assert idle.reactivation_from == dt.date(2026, 11, 10)
    assert not deactivation_check(as_of, dt.date(2025, 1, 1), {Month(2026, 4)}).deactivate
    assert not deactivation_check(as_of, dt.date(2026, 3, 1), set()).deactivate, "too new to judge"
    assert "fraud" in termination_reasons()
