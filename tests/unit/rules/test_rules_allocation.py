"""Payment allocation (rule ``payment_allocation``): oldest first, months ahead, credit, reversals.

The property test replays any sequence of bills, payments and reversals the way the funding service does, keeps
the money per slot as signed entries (as the ``funding_allocation`` table does), and checks that money is
conserved and that the protected months are exactly the months of the slots paid in full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.rules import Slot, allocate, allocation_unit, reverse

DAY = dt.date(2026, 3, 10)
BPU_MIN = 16_800  # JKK 10,000 + JKM 6,800 on the minimum band [S-IDN-BPU2025]


def _month_slot(month: Month, amount: int = BPU_MIN, prefix: str = "line") -> Slot:
    return Slot(f"{prefix}:{month}", month.day(15), amount, (month,))


def _ahead(first: Month, n: int) -> list[Slot]:
    return [_month_slot(first.plus(k), prefix="ahead") for k in range(n)]


def test_three_months_ahead_in_one_payment_protects_three_months() -> None:
    # Rp50,400 = 3 x Rp16,800: the minimum BPU package paid 3 months in advance [S-BPJS-BPU-EN]
    result = allocate(50_400, 0, [], _ahead(Month(2026, 3), 12), DAY)
    assert [str(m) for m in result.protected_months] == ["2026-03", "2026-04", "2026-05"]
    assert result.credit_after == 0
    assert any("UNCONFIRMED" in w for w in result.trail.warnings)


def test_half_a_bill_protects_nothing_and_is_held_as_credit() -> None:
    result = allocate(8_400, 0, [_month_slot(Month(2026, 3))], [], DAY)
    assert result.filled == []
    assert result.protected_months == []
    assert result.credit_after == 8_400
    second = allocate(8_400, result.credit_after, [_month_slot(Month(2026, 3))], [], DAY)
    assert [str(m) for m in second.protected_months] == ["2026-03"]
    assert second.credit_after == 0


def test_oldest_bill_first_and_no_month_ahead_while_a_bill_is_open() -> None:
    old, new = _month_slot(Month(2026, 1), 30_000), _month_slot(Month(2026, 2), 16_800)
    result = allocate(40_000, 0, [new, old], _ahead(Month(2026, 3), 3), DAY)
    assert [s.key for s in result.filled] == [old.key]  # the newer bill does not jump the queue
    assert result.ahead == []
    assert result.credit_after == 10_000


def test_months_ahead_stop_at_the_limit() -> None:
    result = allocate(16_800 * 20, 0, [], _ahead(Month(2026, 3), 20), DAY)
    assert result.protected_months[-1] == Month(2027, 3)  # 12 months after the payment's month
    assert result.credit_after == 16_800 * 7


def test_reversal_takes_credit_first_then_latest_months() -> None:
    slots = [_month_slot(Month(2026, m)) for m in (1, 2, 3)]
    result = reverse(20_000, 5_000, list(reversed(slots)), DAY)
    assert [str(m) for m in result.months_unprotected] == ["2026-03"]
    assert result.credit_after == 5_000 + 16_800 - 20_000


@pytest.mark.parametrize(("amount", "credit"), [(0, 0), (-5_000, 0), (10, -1)])
def test_bad_amounts_are_refused(amount: int, credit: int) -> None:
    with pytest.raises(InvalidInput):
        allocate(amount, credit, [], [], DAY)


def test_reversal_above_what_the_payer_holds_is_refused() -> None:
    with pytest.raises(InvalidInput, match="holds only"):
        reverse(50_000, 0, [_month_slot(Month(2026, 1))], DAY)


def test_units_per_bill_kind() -> None:
    assert allocation_unit("bpu", DAY) == "line"
    assert allocation_unit("sponsor", DAY) == "bill"
    with pytest.raises(InvalidInput):
        allocation_unit("gift", DAY)


@dataclass
class _Ledger:
    """The payer's side of the ledger, kept as the funding service keeps it."""

    slots: dict[str, Slot] = field(default_factory=dict)
    entries: list[tuple[str, int]] = field(default_factory=list)  # (slot key, +amount / -amount)
    filled: list[str] = field(default_factory=list)  # allocation order
    credit: int = 0
    payments: list[int] = field(default_factory=list)
    reversed: set[int] = field(default_factory=set)
    paid: int = 0
    reversed_total: int = 0

    def bill(self, month: Month, amount: int) -> None:
        self.slots.setdefault(f"line:{month}", _month_slot(month, amount))

    def pay(self, amount: int, on: dt.date) -> None:
        open_slots = [s for k, s in self.slots.items() if k not in self.filled]
        billed = {m for s in self.slots.values() for m in s.months}
        last = max(billed, default=Month.of(on).plus(-1))
        ahead = [s for s in _ahead(last.next(), 14) if s.months[0] not in billed]
        result = allocate(amount, self.credit, open_slots, ahead, on)
        for slot in (*result.filled, *result.ahead):
            self.slots[slot.key] = slot
            self.entries.append((slot.key, slot.amount))
            self.filled.append(slot.key)
        self.credit = result.credit_after
        self.payments.append(amount)
        self.paid += amount

    def reverse(self, index: int, on: dt.date) -> None:
        if index >= len(self.payments) or index in self.reversed:
            return
        amount = self.payments[index]
        result = reverse(amount, self.credit, [self.slots[k] for k in reversed(self.filled)], on)
        for slot in result.undone:
            self.entries.append((slot.key, -slot.amount))
            self.filled.remove(slot.key)
        self.credit = result.credit_after
        self.reversed.add(index)
        self.reversed_total += amount


_AMOUNTS = st.sampled_from([8_400, 16_800, 25_200, 36_800, 50_400, 100_800, 3_000])
_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("bill"), st.integers(0, 18), st.sampled_from([16_800, 36_800])),
        st.tuples(st.just("pay"), _AMOUNTS, st.integers(0, 18)),
        st.tuples(st.just("reverse"), st.integers(0, 8), st.integers(0, 18)),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(_STEPS)
def test_money_is_conserved_and_protection_follows_full_payment(steps: list[tuple[str, int, int]]) -> None:
    ledger = _Ledger()
    start = Month(2026, 1)
    for kind, a, b in steps:
        if kind == "bill":
            ledger.bill(start.plus(a), b)
        elif kind == "pay":
            ledger.pay(a, start.plus(b).day(10))
        else:
            ledger.reverse(a, start.plus(b).day(20))
    per_slot: dict[str, int] = {}
    for key, amount in ledger.entries:
        per_slot[key] = per_slot.get(key, 0) + amount
    allocated = sum(per_slot.values())
    assert ledger.credit >= 0
    assert allocated + ledger.credit == ledger.paid - ledger.reversed_total
    fully_paid = {m for k, v in per_slot.items() if v == ledger.slots[k].amount for m in ledger.slots[k].months}
    protected = {m for k in ledger.filled for m in ledger.slots[k].months}
    assert protected == fully_paid
    assert all(v in (0, ledger.slots[k].amount) for k, v in per_slot.items())  # no month is half-protected


def test_a_late_fine_is_paid_after_the_contributions() -> None:
    fine = Slot("bill:1", dt.date(2026, 2, 16), 5_000, (), last=True)
    contribution = _month_slot(Month(2026, 3), 200_000)
    result = allocate(200_000, 0, [fine, contribution], [], DAY)
    assert [s.key for s in result.filled] == [contribution.key]
    assert result.credit_after == 0
