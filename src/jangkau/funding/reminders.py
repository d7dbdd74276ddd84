"""Payment reminders: SMS / WhatsApp text in Bahasa Indonesia, queued in an outbox, sent by a pluggable sender.

A reminder is queued a few days before a bill's due date and once after a missed one. The default sender writes
to the log only (with the phone number masked); a real gateway implements :class:`Sender`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from jangkau.db.base import utcnow
from jangkau.funding import repository as repo
from jangkau.funding.models import Bill, Payer, Reminder
from jangkau.kit.masking import mask_phone
from jangkau.kit.money import format_rupiah

log = logging.getLogger(__name__)
DAYS_BEFORE = 3
MISSED_LOOKBACK_DAYS = 60
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")  # fmt: skip


class Sender(Protocol):
    """Delivers one message; returns whether the gateway accepted it."""

    def send(self, channel: str, to_phone: str, body: str) -> bool: ...


class LogSender:
    """The default: no gateway, the message goes to the log (phone masked) and stays readable in the outbox."""

    def send(self, channel: str, to_phone: str, body: str) -> bool:
        log.info("reminder via %s to %s: %s", channel, mask_phone(to_phone), body)
        return True


@dataclass
class ReminderResult:
    queued: int = 0
    skipped_no_phone: int = 0
    sent: int = 0
    failed: int = 0
    samples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "queued": self.queued,
            "skipped_no_phone": self.skipped_no_phone,
            "sent": self.sent,
            "failed": self.failed,
            "samples": self.samples,
        }


def _date_id(day: dt.date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def message(bill: Bill, payer: Payer, outstanding: int, kind: str) -> str:
    """The reminder text in Bahasa Indonesia."""
    period = f"{BULAN[bill.month.month - 1]} {bill.month.year}"
    amount = format_rupiah(outstanding)
    if kind == "before_due":
        return (
            f"Yth. {payer.name}, iuran BPJS Ketenagakerjaan {period} sebesar {amount} jatuh tempo "
            f"{_date_id(bill.due_on)}. Bayar dengan kode tagihan {bill.reference}. Terima kasih."
        )
    return (
        f"Yth. {payer.name}, iuran BPJS Ketenagakerjaan {period} sebesar {amount} belum kami terima "
        f"(jatuh tempo {_date_id(bill.due_on)}). Segera bayar dengan kode {bill.reference} agar perlindungan "
        "tetap berjalan."
    )


def queue_reminders(
    session: Session, today: dt.date, channel: str = "whatsapp", days_before: int = DAYS_BEFORE
) -> ReminderResult:
    """Queue reminders for unpaid bills due within ``days_before`` days and for bills missed since the last run.

    Each bill gets at most one reminder of each kind. Payers without a phone number are counted and skipped.

    Returns:
        How many were queued or skipped, and a few sample texts.
    """
    result = ReminderResult()
    windows = (
        ("before_due", today, today + dt.timedelta(days=days_before)),
        ("missed", today - dt.timedelta(days=MISSED_LOOKBACK_DAYS), today - dt.timedelta(days=1)),
    )
    for kind, low, high in windows:
        for bill, payer, paid in repo.unpaid_bills(session, low, high):
            if repo.reminder_exists(session, bill.id, kind):
                continue
            if not payer.phone:
                result.skipped_no_phone += 1
                continue
            body = message(bill, payer, bill.amount - paid, kind)
            repo.add(
                session,
                Reminder(
                    bill_id=bill.id, payer_id=payer.id, kind=kind, channel=channel, to_phone=payer.phone, body=body
                ),
            )
            log.info("queued %s reminder for bill %s to %s", kind, bill.reference, mask_phone(payer.phone))
            result.queued += 1
            if len(result.samples) < 3:
                result.samples.append(body)
    return result


def send_queued(session: Session, sender: Sender | None = None, limit: int = 1000) -> ReminderResult:
    """Hand queued reminders to ``sender`` (default :class:`LogSender`) and mark each sent or failed."""
    sender = sender or LogSender()
    result = ReminderResult()
    for reminder in repo.queued_reminders(session, limit):
        ok = sender.send(reminder.channel, reminder.to_phone, reminder.body)
        reminder.status = "sent" if ok else "failed"
        reminder.sent_at = utcnow() if ok else None
        if ok:
            result.sent += 1
        else:
            result.failed += 1
    session.flush()
    return result
