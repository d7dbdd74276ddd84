"""Payment allocation and reversal (rule ``payment_allocation``): what a payment pays, buys ahead, or keeps as credit.

``allocate_payment`` is called by ``service.record_payment`` for every payment (manual, imported statement line,
sponsor transfer); ``reverse_payment`` undoes one. Both write the append-only ``funding_allocation`` and
``funding_credit`` entries and keep ``funding_paid_month`` in step, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.db import outbox
from jangkau.errors import InvalidInput
from jangkau.funding import repository as repo
from jangkau.funding.errors import PaymentAlreadyReversed, PaymentNotFound, ReversalNotReversible
from jangkau.funding.models import Bill, BillLine, Payer, Payment
from jangkau.funding.repository import allocation as sql
from jangkau.funding.rules.tariffs import bpu_monthly_amount
from jangkau.i18n import N_, bilingual
from jangkau.kit.months import Month
from jangkau.registry.models import Membership
from jangkau.rules import Allocation, Segment, Slot, allocate, due_date, reverse
from jangkau.rules.allocation import last_month_ahead

# stored as it always was: the English and the Indonesian text in one note
NO_OPEN_BILL = " / ".join(bilingual(N_("no open bill: kept as credit for an officer to check")))


@dataclass
class PaymentEffect:
    """What one payment did: the rule's allocation, the bills it touched, the advance bill, the months protected."""

    allocation: Allocation
    bills: list[int] = field(default_factory=list)
    paid_bills: list[int] = field(default_factory=list)
    advance_reference: str | None = None
    months_protected: int = 0
    needs_review: bool = False


def _ahead_slots(session: Session, payer: Payer, paid_on: dt.date) -> tuple[Membership | None, list[Slot]]:
    """The BPU months not billed yet that the payer may buy for its one worker, priced by the rules engine."""
    found = sql.ahead_membership(session, payer) if payer.kind != "employer" else None
    if found is None:
        return None, []
    membership, last = found
    start = Month.of(membership.start_date)
    first = max(last.next() if last else start, start, Month.of(paid_on))  # never a past month not billed
    slots: list[Slot] = []
    month = first
    while month <= last_month_ahead(paid_on):
        if repo.overlapping_sponsorship(session, membership.id, month.first_day(), month.first_day()) is not None:
            break  # a sponsor pays from here
        try:
            amount = bpu_monthly_amount(membership.declared_income or 0, membership.programs, month)
        except InvalidInput:
            break
        slots.append(Slot(f"ahead:{month}", due_date(Segment.BPU, month).due_on, amount, (month,)))
        month = month.next()
    return membership, slots


def _bill_ahead(session: Session, payer: Payer, membership: Membership, slots: list[Slot]) -> tuple[Bill, list[Slot]]:
    """One ``bpu`` bill (sequence >= 1) holding the months bought ahead, and their slots keyed by its lines."""
    first = slots[0].months[0]
    seq = sql.next_seq_at_least_one(session, payer.id, first.first_day())
    bill: Bill = repo.add(
        session,
        Bill(
            reference=f"BPU-{first.year:04d}{first.month:02d}-{payer.id}-M{seq}",
            payer_id=payer.id,
            month=first.first_day(),
            kind="bpu",
            seq=seq,
            due_on=slots[0].due_on,
            amount=sum(s.amount for s in slots),
            note=f"dibayar di muka {len(slots)} bulan / paid {len(slots)} months ahead",
        ),
    )
    keyed: list[Slot] = []
    for slot in slots:
        line: BillLine = repo.add(
            session,
            BillLine(
                bill_id=bill.id,
                membership_id=membership.id,
                person_id=membership.person_id,
                month=slot.months[0].first_day(),
                amount=slot.amount,
            ),
        )
        keyed.append(Slot(sql.slot_key(bill.id, line.id), slot.due_on, slot.amount, slot.months))
    return bill, keyed


def allocate_payment(session: Session, payment: Payment) -> PaymentEffect:
    """Allocate a recorded payment of its payer: oldest open bill first, BPU months ahead, the rest as credit.

    Money that finds no open bill and buys nothing ahead is kept as credit flagged for review.
    """
    payer = repo.payer(session, payment.payer_id)
    assert payer is not None
    credit = sql.credit_balance(session, payer.id)
    open_slots = sql.open_slots(session, payer.id, payment.paid_on)
    membership, ahead = _ahead_slots(session, payer, payment.paid_on)
    result = allocate(payment.amount, credit, open_slots, ahead, payment.paid_on)
    effect = PaymentEffect(result)
    filled = list(result.filled)
    if result.ahead and membership is not None:
        bill, keyed = _bill_ahead(session, payer, membership, result.ahead)
        effect.advance_reference = bill.reference
        filled += keyed
    sql.add_entries(session, payer.id, payment.id, filled, +1)
    effect.needs_review = not filled
    sql.add_credit(
        session,
        payer.id,
        payment.id,
        result.credit_after - credit,
        effect.needs_review,
        NO_OPEN_BILL if effect.needs_review else None,
    )
    effect.months_protected = sql.protect(session, filled, payment.paid_on)
    effect.bills = sorted({sql.parse_key(s.key)[0] for s in filled})
    effect.paid_bills = [b for b in effect.bills if sql.bill_is_paid(session, b)]
    return effect


def reverse_payment(
    session: Session,
    payment_id: int,
    on: dt.date,
    recorded_by: str,
    reason: str = "",
    scope: Iterable[str] = ("",),
) -> dict[str, Any]:
    """Reverse a payment (a bounced transfer): unused credit first, then the latest months lose protection.

    A payment is found only when its bill holds a worker inside ``scope`` (else 404, as if it did not exist).

    Returns:
        The reversal's id, the amount, the months that lost protection per membership, the payer's credit, and how
        many memberships are pending again (no month paid any more).

    Raises:
        NotFound: no such payment.
        InvalidInput: the entry is itself a reversal.
        Conflict: the payment was already reversed.
    """
    original = session.get(Payment, payment_id)
    if original is None or not sql.bill_in_scope(session, original.bill_id, scope):
        raise PaymentNotFound(payment_id)
    if original.kind != "payment":
        raise ReversalNotReversible()
    if repo.reversal_of(session, original.id) is not None:
        raise PaymentAlreadyReversed(payment_id)
    credit = sql.credit_balance(session, original.payer_id)
    result = reverse(original.amount, credit, sql.filled_latest_first(session, original.payer_id), on)
    reversal: Payment = repo.add(
        session,
        Payment(
            bill_id=original.bill_id,
            payer_id=original.payer_id,
            kind="reversal",
            amount=-original.amount,
            paid_on=on,
            channel=original.channel,
            external_ref=(reason.strip() or None) and reason.strip()[:80],
            reverses_payment_id=original.id,
            recorded_by=recorded_by,
        ),
    )
    sql.add_entries(session, original.payer_id, reversal.id, result.undone, -1)
    sql.add_credit(session, original.payer_id, reversal.id, result.credit_after - credit, False, None)
    lost = sql.unprotect(session, result.undone)
    pending = sql.back_to_pending(session, (m for m, _d in lost))
    for bill_id in sorted({sql.parse_key(s.key)[0] for s in result.undone}):
        outbox.mark_changed_many(session, repo.villages_and_months_of_bill(session, bill_id), soon=True)
    return {
        "reversal_id": reversal.id,
        "payment_id": original.id,
        "amount": original.amount,
        "months_unprotected": [{"membership_id": m, "month": str(Month.of(d))} for m, d in lost],
        "credit": result.credit_after,
        "back_to_pending": pending,
        **result.trail.as_dict(),
    }
