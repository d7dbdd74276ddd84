"""Due dates, late fines and the minimum-wage table. Each case cites its source key."""

from __future__ import annotations

import datetime as dt

import pytest

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import Segment, due_date, late_fine, min_wage


@pytest.mark.parametrize(
    ("segment", "month", "due"),
    [  # PU: 15th of the next month; BPU: 15th of the month; holidays move it on [S-KONTAN-DENDA]
        (Segment.PU, Month(2025, 3), dt.date(2025, 4, 15)),
        (Segment.PU, Month(2025, 5), dt.date(2025, 6, 16)),  # 2025-06-15 is a Sunday
        (Segment.BPU, Month(2025, 3), dt.date(2025, 3, 17)),  # 2025-03-15 is a Saturday
        (Segment.BPU, Month(2025, 4), dt.date(2025, 4, 15)),
        # PP 49/2020: the 30th of the next month, previous working day [S-DETIK-PP49, S-TRANSKEPRI-PP49]
        (Segment.PU, Month(2020, 9), dt.date(2020, 10, 30)),
        (Segment.PU, Month(2020, 10), dt.date(2020, 11, 30)),
        (Segment.PU, Month(2021, 1), dt.date(2021, 2, 26)),  # no 30 Feb: last day (Sun 28) -> Fri 26
        (Segment.PU, Month(2021, 2), dt.date(2021, 3, 15)),
    ],
)
def test_due_dates(segment: Segment, month: Month, due: dt.date) -> None:
    assert due_date(segment, month).due_on == due


def test_due_date_for_jakon_is_refused() -> None:
    with pytest.raises(InvalidInput, match="segment"):
        due_date(Segment.JAKON, Month(2025, 3))


@pytest.mark.parametrize(
    ("paid_on", "months", "fine"),
    [  # 2 % per month of lateness on the contribution due [S-KONTAN-DENDA, S-DETAK-BINJAI]
        (dt.date(2025, 4, 15), 0, 0),
        (dt.date(2025, 4, 16), 1, 20_000),
        (dt.date(2025, 5, 15), 1, 20_000),
        (dt.date(2025, 5, 16), 2, 40_000),
        (dt.date(2025, 10, 1), 6, 120_000),
    ],
)
def test_pu_late_fine(paid_on: dt.date, months: int, fine: int) -> None:
    result = late_fine(Segment.PU, Month(2025, 3), 1_000_000, paid_on)
    assert (result.months_late, result.fine) == (months, fine)


def test_pp49_fine_is_half_a_percent() -> None:
    # PP 49/2020 Ps 23(1): 0.5 % per month [S-TRANSKEPRI-PP49]
    result = late_fine(Segment.PU, Month(2020, 9), 1_000_000, dt.date(2020, 12, 1))
    assert (result.rate_bp_per_month, result.months_late, result.fine) == (50, 2, 10_000)


def test_bpu_has_no_fine() -> None:
    # [S-PERISAI-FAQ, S-GRID-BPU-LATE]
    assert late_fine(Segment.BPU, Month(2025, 3), 16_800, dt.date(2025, 6, 1)).fine == 0


@pytest.mark.parametrize(
    ("region", "month", "level", "amount"),
    [
        ("12.71", Month(2023, 6), "umk", 3_624_117),  # [S-AYOMEDAN2023]
        ("12.71", Month(2024, 1), "umk", 3_769_082),  # [S-RBTV-UMK2025, S-PODME]
        ("12.71.01.1001", Month(2025, 12), "umk", 4_014_072),  # [S-RBTV-UMK2025, S-MISTAR]
        ("12", Month(2023, 1), "ump", 2_710_493),  # [S-LABVIRAL-UMP2023]
        ("12", Month(2024, 7), "ump", 2_809_915),  # [S-RBTV-UMK2025]
        ("12.11", Month(2025, 3), "ump", 2_992_559),  # Dairi has no UMK [S-MAWAR]
        ("12.07", Month(2025, 3), "umk", 3_732_906),  # Deli Serdang [S-MISTAR, S-MAWAR]
        ("12.76", Month(2025, 3), "umk", 3_006_203),  # Kota Tebing Tinggi
        ("12.07", Month(2024, 3), "ump", 2_809_915),  # 2024 UMKs other than Medan are not on file
    ],
)
def test_min_wage(region: str, month: Month, level: str, amount: int) -> None:
    floor = min_wage(region, month)
    assert (floor.level, floor.amount) == (level, amount)


def test_all_22_sumut_umks_of_2025_are_on_file() -> None:
    # REFERENCE 4.2: 22 of 33 regencies/cities have their own UMK in 2025 [S-MISTAR, S-MAWAR]
    codes = [f"12.{n:02d}" for n in range(1, 26)] + [f"12.{n}" for n in range(71, 79)]
    levels = [min_wage(code, Month(2025, 6)).level for code in codes]
    assert levels.count("umk") == 22


@pytest.mark.parametrize(
    ("region", "month"), [("31.71", Month(2025, 1)), ("12.71", Month(2022, 12)), ("12-71", Month(2025, 1))]
)
def test_min_wage_refuses_what_is_not_on_file(region: str, month: Month) -> None:
    with pytest.raises(InvalidInput) as caught:
        min_wage(region, month)
    assert caught.value.fields[0].field in {"region", "month"}
