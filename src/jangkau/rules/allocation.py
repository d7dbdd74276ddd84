"""How a payment is allocated, and how a reversal undoes it (rule ``payment_allocation``, REFERENCE 2.3).

A payment, together with the payer's unused credit, fills what the payer owes **oldest first** (by due date; late
fines after every contribution):
each *slot* is filled in full or not at all. A slot is one BPU month (a bill line), or a whole PU, sponsor,
fine or correction bill (every worker on it at once), as the rule data says per bill kind. What is left buys
BPU months ahead (whole months, at most ``max_months_ahead`` after the payment's month) and the rest stays as
the payer's credit, used by the next payment. A part of a month protects nothing.

A reversal (a bounced transfer) takes the payer's unused credit first, then undoes the latest filled slots first;
money of an undone slot beyond what the reversal needs goes back to credit. The months of undone slots lose
protection. Money is conserved: allocated + credit = paid - reversed.

The order and the details are not settled by the reference: the rule is UNCONFIRMED (see its data file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jangkau.kit.money import Rupiah
from jangkau.kit.months import Month
from jangkau.rules.errors import CreditNegative, NotPositive, ReversalAboveHoldings, UnknownBillKind
from jangkau.rules.model import Trail
from jangkau.rules.tables import num, sub, table, text, texts

RULE_ID = "payment_allocation"


@dataclass(frozen=True)
class Slot:
    """Something a payment fills in full: one BPU month, a whole bill, or a BPU month ahead not billed yet.

    ``key`` is the caller's id (``line:12``, ``bill:7``, ``ahead:2026-05``); ``months`` are the contribution months
    it protects once filled (none for a fine).
    """

    key: str
    due_on: dt.date
    amount: Rupiah
    months: tuple[Month, ...] = ()
    last: bool = False  # paid after every other open slot (a late fine, per the rule data)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "due_on": self.due_on.isoformat(),
            "amount": self.amount,
            "months": [str(m) for m in self.months],
        }


@dataclass
class Allocation:
    """What one payment filled, what it bought ahead, and the payer's credit before and after."""

    paid: Rupiah
    credit_before: Rupiah
    filled: list[Slot]
    ahead: list[Slot]
    credit_after: Rupiah
    trail: Trail = field(default_factory=Trail)

    @property
    def allocated(self) -> Rupiah:
        return sum(s.amount for s in (*self.filled, *self.ahead))

    @property
    def protected_months(self) -> list[Month]:
        return sorted({m for s in (*self.filled, *self.ahead) for m in s.months})

    def as_dict(self) -> dict[str, Any]:
        return {
            "paid": self.paid,
            "credit_before": self.credit_before,
            "filled": [s.as_dict() for s in self.filled],
            "ahead": [s.as_dict() for s in self.ahead],
            "allocated": self.allocated,
            "credit_after": self.credit_after,
            "protected_months": [str(m) for m in self.protected_months],
            **self.trail.as_dict(),
        }


@dataclass
class Reversal:
    """What a reversal undid: the slots (latest first), the credit used, and the months that lose protection."""

    reversed: Rupiah
    credit_before: Rupiah
    undone: list[Slot]
    credit_after: Rupiah
    trail: Trail = field(default_factory=Trail)

    @property
    def months_unprotected(self) -> list[Month]:
        return sorted({m for s in self.undone for m in s.months})

    def as_dict(self) -> dict[str, Any]:
        return {
            "reversed": self.reversed,
            "credit_before": self.credit_before,
            "undone": [s.as_dict() for s in self.undone],
            "credit_after": self.credit_after,
            "months_unprotected": [str(m) for m in self.months_unprotected],
            **self.trail.as_dict(),
        }


def allocation_unit(bill_kind: str, on: dt.date) -> str:
    """``line`` (month by month) or ``bill`` (the whole bill at once) for a bill kind, per the rule data.

    Raises:
        InvalidInput: a bill kind the rule does not know.
    """
    data = table(RULE_ID).at(on, "paid_on").data
    units = sub(data, "unit_by_bill_kind")
    if bill_kind not in units:
        raise UnknownBillKind(bill_kind)
    return text(units, bill_kind)


def paid_last(bill_kind: str, on: dt.date) -> bool:
    """Whether bills of this kind are paid only after every other open bill (``pay_last`` in the rule data)."""
    return bill_kind in texts(table(RULE_ID).at(on, "paid_on").data, "pay_last")


def last_month_ahead(paid_on: dt.date) -> Month:
    """The last month a BPU payment on ``paid_on`` may buy in advance."""
    return Month.of(paid_on).plus(num(table(RULE_ID).at(paid_on, "paid_on").data, "max_months_ahead"))


def _check_amount(name: str, amount: Rupiah) -> None:
    if amount <= 0:
        raise NotPositive(name, amount)


def allocate(
    amount: Rupiah, credit: Rupiah, open_slots: Sequence[Slot], ahead: Sequence[Slot], paid_on: dt.date
) -> Allocation:
    """Allocate a payment (plus the payer's credit) to the open slots oldest first, then months ahead.

    Args:
        amount: the payment, in Rupiah (positive).
        credit: the payer's unused credit before the payment (not negative).
        open_slots: what the payer owes and has not paid (any order; sorted by ``last``, due date, months, key).
        ahead: BPU months not billed yet that the payer may buy, in month order; those after the limit are ignored.
        paid_on: the payment's date (chooses the rule version and the months-ahead limit).

    Returns:
        The filled slots, the months bought ahead, the credit after, with the rule's trail (UNCONFIRMED).

    Raises:
        InvalidInput: an amount that is not positive, or a negative credit.
    """
    _check_amount("amount", amount)
    if credit < 0:
        raise CreditNegative(credit)
    trail = Trail()
    table(RULE_ID).at(paid_on, "paid_on").record(trail)
    money = amount + credit
    filled: list[Slot] = []
    for slot in sorted(open_slots, key=lambda s: (s.last, s.due_on, s.months, s.key)):
        if slot.amount > money:
            break  # oldest first: a later bill is not paid while an older one is open
        filled.append(slot)
        money -= slot.amount
    bought: list[Slot] = []
    if len(filled) == len(open_slots):
        limit = last_month_ahead(paid_on)
        for slot in ahead:
            if slot.amount > money or any(m > limit for m in slot.months):
                break
            bought.append(slot)
            money -= slot.amount
    return Allocation(amount, credit, filled, bought, money, trail)


def reverse(amount: Rupiah, credit: Rupiah, filled_latest_first: Sequence[Slot], on: dt.date) -> Reversal:
    """Undo ``amount`` of a payer's money: unused credit first, then the latest filled slots.

    Args:
        amount: the payment being reversed (positive).
        credit: the payer's unused credit.
        filled_latest_first: the payer's filled slots, the latest allocation first.
        on: the reversal's date (chooses the rule version).

    Returns:
        The undone slots and the credit after (what undone slots held beyond ``amount``).

    Raises:
        InvalidInput: an amount that is not positive, or more than the payer's credit and allocations together.
    """
    _check_amount("amount", amount)
    trail = Trail()
    table(RULE_ID).at(on, "paid_on").record(trail)
    available = credit + sum(s.amount for s in filled_latest_first)
    if amount > available:
        raise ReversalAboveHoldings(available, amount)
    money = credit
    undone: list[Slot] = []
    for slot in filled_latest_first:
        if money >= amount:
            break
        undone.append(slot)
        money += slot.amount
    return Reversal(amount, credit, undone, money - amount, trail)
