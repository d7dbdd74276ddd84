"""Payment reminders as notify messages: 7 days and 1 day before the due date, 1 and 7 days after a miss, a
warning as the unpaid month ends (protection about to lapse), and "protection restored" once a missed bill is paid.

Each bill gets each kind at most once: notify's natural key ``(person, use, "bill:<id>")`` is the guard, so a rerun
of the day (or a second worker) makes nothing twice. Reminders go to workers who pay for themselves (the payer is
a person) and gave consent for a channel; notify picks the channel, keeps the quiet hours and sends.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.funding import repository as repo
from jangkau.funding.models import Bill, Payer
from jangkau.kit.money import format_rupiah
from jangkau.notify import service as notify
from jangkau.notify.templates import Use
from jangkau.registry.models import Person

log = logging.getLogger(__name__)
MISSED_LOOKBACK_DAYS = 60
LAPSE_WARNING_DAYS = 4  # the warning goes out this many days before the unpaid month ends
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
MISSED_USES = (Use.PAYMENT_MISSED_1, Use.PAYMENT_MISSED_7, Use.PROTECTION_LAPSE_SOON)


@dataclass
class ReminderResult:
    queued: int = 0
    skipped_no_phone: int = 0
    skipped_no_consent: int = 0
    skipped_not_person: int = 0
    by_use: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "queued": self.queued,
            "skipped_no_phone": self.skipped_no_phone,
            "skipped_no_consent": self.skipped_no_consent,
            "skipped_not_person": self.skipped_not_person,
            "by_use": self.by_use,
            "samples": self.samples,
        }


def _date_id(day: dt.date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def variables(bill: Bill, payer: Payer, outstanding: int) -> dict[str, str]:
    """The template variables of a bill's reminder (the texts are notify's templates, in Bahasa Indonesia)."""
    return {
        "nama": payer.name,
        "periode": f"{BULAN[bill.month.month - 1]} {bill.month.year}",
        "jumlah": format_rupiah(outstanding),
        "jatuh_tempo": _date_id(bill.due_on),
        "kode": bill.reference,
    }


def due_use(bill: Bill, today: dt.date) -> Use | None:
    """Which reminder an unpaid bill calls for today (the latest one that applies; each is sent once)."""
    days = (bill.due_on - today).days
    if 2 <= days <= 7:
        return Use.CONTRIBUTION_DUE_7
    if 0 <= days <= 1:
        return Use.CONTRIBUTION_DUE_1
    if (_month_end(bill.month) - today).days in range(LAPSE_WARNING_DAYS + 1) and days < 0:
        return Use.PROTECTION_LAPSE_SOON
    if -6 <= days <= -1:
        return Use.PAYMENT_MISSED_1
    if days <= -7:
        return Use.PAYMENT_MISSED_7
    return None


def _lapse_variables(bill: Bill, payer: Payer) -> dict[str, str]:
    return {
        "nama": payer.name,
        "periode": f"{BULAN[bill.month.month - 1]} {bill.month.year}",
        "sampai": _date_id(_month_end(bill.month)),
        "kode": bill.reference,
    }


def _candidates(session: Session, today: dt.date) -> Iterator[tuple[Bill, Payer, Person | None, int, Use]]:
    low, high = today - dt.timedelta(days=MISSED_LOOKBACK_DAYS), today + dt.timedelta(days=7)
    people = repo.payer_people(session)
    for bill, payer, paid in repo.unpaid_bills(session, low, high):
        use = due_use(bill, today)
        if use is not None:
            yield bill, payer, people.get(payer.id), bill.amount - paid, use


def queue_reminders(session: Session, today: dt.date, now: dt.datetime | None = None) -> ReminderResult:
    """Ask notify for today's reminders of unpaid bills (each kind once per bill), and "protection restored" for
    missed bills paid since.

    Returns:
        How many messages were asked for, how many were skipped and why, and a few sample texts.
    """
    result = ReminderResult()
    for bill, payer, person, outstanding, use in _candidates(session, today):
        if person is None:
            result.skipped_not_person += 1
            continue
        if not person.phone:
            result.skipped_no_phone += 1
        values = (
            _lapse_variables(bill, payer) if use == Use.PROTECTION_LAPSE_SOON else variables(bill, payer, outstanding)
        )
        recipient = notify.person(person.id, person.village_code, person.phone)
        _ask(session, result, recipient, use, f"bill:{bill.id}", values, f"reminders:{bill.month:%Y-%m}", now)
    _restored(session, result, now)
    return result


def _ask(
    session: Session,
    result: ReminderResult,
    recipient: notify.Recipient,
    use: Use,
    reference: str,
    values: dict[str, str],
    campaign: str,
    now: dt.datetime | None,
) -> None:
    if notify.exists(session, recipient, use, reference):
        return
    message = notify.request(session, recipient, use, reference, values, campaign=campaign, now=now)
    if message is None:
        result.skipped_no_consent += 1
        return
    result.queued += 1
    result.by_use[use.value] = result.by_use.get(use.value, 0) + 1
    if len(result.samples) < 3:
        result.samples.append(message.body)


def _restored(session: Session, result: ReminderResult, now: dt.datetime | None) -> None:
    """Bills that got a missed-payment message and are now paid in full: tell the worker protection is back."""
    for person, bill, payer in repo.paid_after_missed(session, [u.value for u in MISSED_USES]):
        values = {"nama": payer.name, "periode": f"{BULAN[bill.month.month - 1]} {bill.month.year}"}
        recipient = notify.person(person.id, person.village_code, person.phone)
        _ask(session, result, recipient, Use.PROTECTION_RESTORED, f"bill:{bill.id}", values,
             f"reminders:{bill.month:%Y-%m}", now)  # fmt: skip


REMINDER_USES = (
    Use.CONTRIBUTION_DUE_7, Use.CONTRIBUTION_DUE_1, Use.PAYMENT_MISSED_1, Use.PAYMENT_MISSED_7,
    Use.PROTECTION_LAPSE_SOON,
)  # fmt: skip
PAID_WITHIN_DAYS = 7


def figures(session: Session, scope: tuple[str, ...], today: dt.date, days: int = 30) -> dict[str, int]:
    """The dashboards' reminder figures for the last ``days`` days in ``scope``: reminders asked for, sent,
    delivered (or read), failed, and how many were followed by a payment on their bill within 7 days."""
    since = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(), dt.UTC)
    uses = [u.value for u in REMINDER_USES]
    by_status = notify.counts(session, uses, since, scope)
    sent = sum(by_status.get(s, 0) for s in ("sent", "delivered", "read"))
    delivered = sum(by_status.get(s, 0) for s in ("delivered", "read"))
    reminded = notify.sent_references(session, uses, since, scope)
    bill_ids = {int(ref.removeprefix("bill:")) for ref, _ in reminded if ref.startswith("bill:")}
    payments = repo.payment_dates(session, bill_ids)
    followed = sum(
        1
        for ref, sent_at in reminded
        if any(
            0 <= (paid - sent_at.date()).days <= PAID_WITHIN_DAYS
            for paid in payments.get(int(ref.removeprefix("bill:") or 0), [])
        )
    )
    return {"asked": sum(by_status.values()), "sent": sent, "delivered": delivered,
            "failed": by_status.get("failed", 0), "paid_within_7_days": followed}  # fmt: skip
