"""The JHT account (PP 46/2015 Ps 22(2), REFERENCE 3.3): contributions plus monthly-credited returns, per year."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import jht_account

PU_JHT = 228_000  # 5.7 % of a Rp4,000,000 wage: employer 3.7 % + worker 2 % [S-GRID-IURAN]


def test_returns_are_credited_monthly_on_the_opening_balance() -> None:
    account = jht_account([(Month(2025, 1), PU_JHT), (Month(2025, 2), PU_JHT)], Month(2025, 3))
    # Feb: 228,000 x 5.5 % / 12 = 1,045; Mar: 457,045 x 5.5 % / 12 = 2,094.79 -> 2,095 (half up)
    assert [b for _m, b in account.monthly] == [228_000, 457_045, 459_140]
    assert account.balance_at(Month(2024, 12)) == 0
    assert any("UNCONFIRMED" in w for w in account.trail.warnings)


def test_years_chain_and_withdrawals_leave_the_rest() -> None:
    paid = [(Month(2024, 1).plus(k), PU_JHT) for k in range(24)]
    account = jht_account(paid, Month(2025, 12), withdrawals=[(Month(2025, 6), 1_000_000)])
    first, second = account.years
    assert (first.year, second.year, second.opening) == (2024, 2025, first.closing)
    assert second.withdrawals == 1_000_000
    assert account.balance == sum(y.contributions + y.returns - y.withdrawals for y in account.years)


def test_a_withdrawal_above_the_balance_is_refused() -> None:
    with pytest.raises(InvalidInput, match="more than the balance"):
        jht_account([(Month(2025, 1), PU_JHT)], Month(2025, 2), withdrawals=[(Month(2025, 2), 300_000)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 500_000)), min_size=1, max_size=30))
def test_balance_is_contributions_plus_returns(entries: list[tuple[int, int]]) -> None:
    start = Month(2020, 1)
    account = jht_account([(start.plus(k), a) for k, a in entries], start.plus(40))
    assert account.contributions == sum(a for _k, a in entries)
    assert account.balance == account.contributions + sum(y.returns for y in account.years)
    assert all(y.returns >= 0 for y in account.years)
