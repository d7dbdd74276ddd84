"""Coverage / lapse and the budget planner. Each case cites its source key."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import (
    BpuSector,
    Cover,
    MembershipStatus,
    Program,
    Segment,
    budget_capacity,
    budget_cost,
    coverage_status,
)

D = dt.date
Q1_2025 = [Month(2025, 1), Month(2025, 2), Month(2025, 3)]


@pytest.mark.parametrize(
    ("as_of", "status", "arrears"),
    [  # BPU due on the 15th of the month; > 3 consecutive unpaid months end the membership [S-PROBIS59]
        (D(2025, 3, 20), MembershipStatus.AKTIF, 0),
        (D(2025, 4, 15), MembershipStatus.AKTIF, 0),  # April not yet overdue on its due date
        (D(2025, 4, 16), MembershipStatus.MENUNGGAK, 1),
        (D(2025, 6, 17), MembershipStatus.MENUNGGAK, 3),  # 2025-06-15 is a Sunday: due Monday 16
        (D(2025, 7, 16), MembershipStatus.BERAKHIR, 4),
    ],
)
def test_bpu_lapse(as_of: dt.date, status: MembershipStatus, arrears: int) -> None:
    result = coverage_status(Segment.BPU, Month(2025, 1), Q1_2025, as_of)
    assert (result.status, len(result.arrears)) == (status, arrears)
    assert result.protected_until == D(2025, 3, 31)


def test_bpu_lapse_after_jht_claim_is_nonaktif() -> None:
    # "Nonaktif" if JHT has already been claimed [S-PROBIS59]
    result = coverage_status(Segment.BPU, Month(2025, 1), Q1_2025, D(2025, 8, 1), jht_claimed=True)
    assert result.status is MembershipStatus.NONAKTIF
    assert result.ended_on == D(2025, 7, 15)


def test_never_paid_is_not_active() -> None:
    result = coverage_status(Segment.BPU, Month(2025, 1), [], D(2025, 8, 1), event_date=D(2025, 2, 1))
    assert result.status is MembershipStatus.BELUM_AKTIF
    assert result.event_cover is Cover.NOT_COVERED


@pytest.mark.parametrize(
    ("event", "cover"),
    [
        (D(2025, 2, 10), Cover.COVERED),
        (D(2025, 5, 3), Cover.UNCONFIRMED),  # arrears window: UNCONFIRMED (REFERENCE 2.3, 7.2)
        (D(2025, 7, 20), Cover.NOT_COVERED),  # after the membership ended
    ],
)
def test_bpu_event_cover(event: dt.date, cover: Cover) -> None:
    result = coverage_status(Segment.BPU, Month(2025, 1), Q1_2025, D(2025, 8, 1), event_date=event)
    assert result.event_cover is cover
    flagged = any("arrears window is covered" in w for w in result.trail.warnings)
    assert flagged == (cover is Cover.UNCONFIRMED)


def test_pu_arrears_do_not_end_the_membership() -> None:
    result = coverage_status(Segment.PU, Month(2025, 1), Q1_2025, D(2025, 12, 1), event_date=D(2025, 9, 1))
    assert result.status is MembershipStatus.MENUNGGAK
    assert [str(m) for m in result.arrears] == [f"2025-{m:02d}" for m in range(4, 11)]  # Nov due 15 Dec
    assert result.event_cover is Cover.UNCONFIRMED


def test_prepaid_months_protect_ahead() -> None:
    paid = [Month(2025, 1).plus(i) for i in range(12)]
    result = coverage_status(Segment.BPU, Month(2025, 1), paid, D(2025, 2, 1), event_date=D(2025, 11, 30))
    assert result.protected_until == D(2025, 12, 31)
    assert result.event_cover is Cover.COVERED
    assert result.as_dict()["protected_ranges"] == ["2025-01..2025-12"]


def test_coverage_refuses_jakon() -> None:
    with pytest.raises(InvalidInput, match="segment"):
        coverage_status(Segment.JAKON, Month(2025, 1), Q1_2025, D(2025, 8, 1))


def test_budget_inverse_example() -> None:
    # Rp2.3 billion, 12 months, minimum package Rp16,800 [S-IDN-BPU2025] -> 11,408 workers, Rp147,200 left (DERIVED)
    capacity = budget_capacity(2_300_000_000, 12, Month(2025, 1), 1_000_000, "jkk,jkm")
    assert (capacity.workers, capacity.remainder) == (11_408, 147_200)
    assert capacity.cost.total + capacity.remainder == 2_300_000_000


def test_budget_itemisation() -> None:
    cost = budget_cost(1_000, 12, Month(2025, 1), 1_000_000, "jkk,jkm,jht")
    assert cost.per_worker_total == 12 * 36_800
    assert cost.per_program == {Program.JKK: 120_000_000, Program.JKM: 81_600_000, Program.JHT: 240_000_000}
    assert cost.total == 441_600_000
    months = cost.as_dict()["per_month"]
    assert len(months) == 12
    assert months[0]["all_workers"] == 36_800_000


def test_budget_applies_each_months_rates() -> None:
    # Oct 2020 - Mar 2021 crosses the end of PP 49/2020 (Jan 2021) [S-EKLIPING20-301]
    cost = budget_cost(10, 6, Month(2020, 10), 1_000_000)
    assert [m.total for m in cost.per_worker_month] == [168, 168, 168, 168, 16_800, 16_800]
    # PP 50/2025 (UNCONFIRMED) halves JKK + JKM for transport from 2026-01
    transport = budget_cost(1, 3, Month(2025, 12), 1_000_000, sector=BpuSector.TRANSPORT)
    assert [m.total for m in transport.per_worker_month] == [16_800, 8_400, 8_400]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"workers": 0}, "workers"),
        ({"months": 0}, "months"),
        ({"income": -1}, "income"),
        ({"programs": "jp"}, "programs"),
    ],
)
def test_budget_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"workers": 10, "months": 12, "start": Month(2025, 1), "income": 1_000_000}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as caught:
        budget_cost(**args)  # type: ignore[arg-type]
    assert caught.value.fields[0].field == field


@settings(max_examples=60, deadline=None)
@given(budget=st.integers(1, 50_000_000_000), months=st.integers(1, 24), income=st.integers(1, 30_000_000))
def test_capacity_is_the_largest_affordable_number(budget: int, months: int, income: int) -> None:
    capacity = budget_capacity(budget, months, Month(2025, 1), income, "jkk,jkm,jht")
    per_worker = capacity.cost.per_worker_total
    assert 0 <= capacity.remainder < per_worker
    assert capacity.workers * per_worker + capacity.remainder == budget
