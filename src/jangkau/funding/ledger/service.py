"""The office's money desk: a payment recorded by hand (by bill reference or member NIK), a statement's result and
a member's bills and payments month by month.

Services take the session and never commit; every read of people is limited to the caller's territory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jangkau.errors import FieldError
from jangkau.funding import repository as repo
from jangkau.funding.errors import (
    BillOutsideTerritory,
    PaymentFormInvalid,
    PersonNotInTerritory,
    StatementNotFound,
)
from jangkau.funding.models import Bill, Payer, StatementImport
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.repository import ledger as ledger_sql
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import record_payment
from jangkau.funding.statements import transaction_key
from jangkau.kit.money import parse_rupiah
from jangkau.kit.months import Month
from jangkau.registry.models import Membership

# the payment channels an office records (the same codes as a statement's channel)
CHANNELS = ("bank_sumut", "bri", "bni", "mandiri", "bsi", "kantor_pos", "indomaret", "alfamart", "counter")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
NIK_LENGTH = 16


@dataclass
class PaymentForm:
    """What the officer typed on the payment form (text, as typed)."""

    target: str = ""  # a bill reference or the member's NIK
    amount: str = ""
    paid_on: str = ""
    channel: str = ""
    external_ref: str = ""


def parse_date(text: str) -> dt.date:
    """A date typed as ``YYYY-MM-DD`` (a date input) or the Indonesian way (``4/12/2026``).

    Raises:
        ValueError: any other text.
    """
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _field(name: str, msgid: str, **params: object) -> FieldError:
    return PaymentFormInvalid.field(name, msgid, **params)


def _amount(text: str, errors: list[FieldError]) -> int:
    """A typed amount ("Rp 150.000", "150.000", "150000"); 0 with the field's error when it cannot be used."""
    if not text.strip():
        errors.append(_field("amount", PaymentFormInvalid.REQUIRED))
        return 0
    try:
        amount = parse_rupiah(text)
    except ValueError:
        errors.append(_field("amount", PaymentFormInvalid.AMOUNT))
        return 0
    if amount <= 0:
        errors.append(_field("amount", PaymentFormInvalid.AMOUNT_POSITIVE))
    return amount


def _typed_errors(form: PaymentForm, today: dt.date) -> tuple[list[FieldError], int, dt.date | None]:
    errors: list[FieldError] = []
    paid_on = None
    if not form.target.strip():
        errors.append(_field("target", PaymentFormInvalid.REQUIRED))
    amount = _amount(form.amount, errors)
    if not form.paid_on.strip():
        errors.append(_field("paid_on", PaymentFormInvalid.REQUIRED))
    else:
        try:
            paid_on = parse_date(form.paid_on)
        except ValueError:
            errors.append(_field("paid_on", PaymentFormInvalid.DATE))
        else:
            if paid_on > today:
                errors.append(_field("paid_on", PaymentFormInvalid.FUTURE))
    if form.channel not in CHANNELS:
        errors.append(_field("channel", PaymentFormInvalid.CHANNEL))
    return errors, amount, paid_on


def check_upload(filename: str | None, content: bytes, channel: str, limit: int) -> None:
    """A statement upload names a channel from the list and holds a file of at most ``limit`` bytes.

    Raises:
        InvalidInput: no file chosen, a file over the limit, or an unknown channel (each field named).
    """
    errors: list[FieldError] = []
    if not filename or not content:
        errors.append(_field("file", PaymentFormInvalid.REQUIRED))
    elif len(content) > limit:
        errors.append(_field("file", PaymentFormInvalid.TOO_LARGE, megabytes=limit // (1024 * 1024)))
    if channel not in CHANNELS:
        errors.append(_field("channel", PaymentFormInvalid.CHANNEL))
    if errors:
        raise PaymentFormInvalid(errors)


def bill_for(session: Session, target: str, scope: Iterable[str]) -> Bill:
    """The bill a payment typed against ``target`` goes to: the bill with that reference, or, for a member's NIK,
    the oldest open bill of whoever pays for the member's newest membership (their latest bill when none is open).

    Raises:
        InvalidInput: no such bill or member, a member with no bill yet, or a bill outside ``scope``.
    """
    scope = tuple(scope)
    text = target.strip().replace(" ", "")
    if text.isdigit() and len(text) == NIK_LENGTH:
        person = ledger_sql.person_by_nik(session, text, scope)
        if person is None:
            raise PaymentFormInvalid([_field("target", PaymentFormInvalid.NO_MEMBER)])
        for membership in ledger_sql.memberships_of(session, person.id):
            payer = allocation_sql.payer_of_membership(session, membership)
            bill = ledger_sql.oldest_open_bill(session, payer.id) if payer else None
            if bill is not None:
                return bill
        raise PaymentFormInvalid([_field("target", PaymentFormInvalid.NO_MEMBER_BILL)])
    bill = repo.bill_by_reference(session, text.upper())
    if bill is None:
        raise PaymentFormInvalid([_field("target", PaymentFormInvalid.NO_BILL)])
    if not ledger_sql.bill_visible(session, bill, scope):
        error = BillOutsideTerritory(bill.reference)
        raise PaymentFormInvalid([FieldError("target", error.fields[0].message, error.fields[0].message_id)])
    return bill


def record_by_hand(
    session: Session, form: PaymentForm, recorded_by: str, scope: Iterable[str], today: dt.date
) -> dict[str, Any]:
    """Record a payment typed on the office's form and allocate it (``service.record_payment``).

    A transaction id (``external_ref``) is the channel's: the same one typed again, or arriving later on the
    channel's statement, records nothing twice.

    Returns:
        What ``service.record_payment`` answers.

    Raises:
        InvalidInput: each bad field named (empty, wrong format, future date, unknown channel, no such bill or
            member, a bill outside ``scope``, a transaction already recorded); nothing is stored.
    """
    errors, amount, paid_on = _typed_errors(form, today)
    bill = None
    if form.target.strip():
        try:
            bill = bill_for(session, form.target, scope)
        except PaymentFormInvalid as exc:
            errors += exc.fields
    key = None
    if form.external_ref.strip() and form.channel in CHANNELS:
        key = transaction_key(form.channel, form.external_ref.strip())
        if repo.known_line_keys(session, [key]):
            errors.append(_field("external_ref", PaymentFormInvalid.TRANSACTION_SEEN))
    if errors or bill is None or paid_on is None:
        raise PaymentFormInvalid(errors)
    data = PaymentIn(
        reference=bill.reference,
        amount=amount,
        paid_on=paid_on,
        channel=form.channel,
        external_ref=form.external_ref.strip() or None,
    )
    return record_payment(session, data, recorded_by, line_key=key)


def statement_result(session: Session, statement_id: int) -> dict[str, Any]:
    """An imported statement: its counts, the payments it recorded and every line it could not record.

    Raises:
        NotFound: no such statement.
    """
    statement: StatementImport | None = repo.statement_import(session, statement_id)
    if statement is None:
        raise StatementNotFound(statement_id)
    payments = ledger_sql.statement_payments(session, statement_id)
    references = ledger_sql.bill_references(session, [p.bill_id for p in payments])
    return {
        "statement": statement,
        "payments": [{"payment": p, "reference": references.get(p.bill_id, "")} for p in payments],
        "amount": sum(p.amount for p in payments),
        "rejected": list(ledger_sql.statement_reviews(session, statement_id)),
    }


def recent_statements(session: Session) -> list[StatementImport]:
    return list(ledger_sql.recent_statements(session))


def _membership_row(membership: Membership, payer: Payer | None) -> dict[str, Any]:
    return {
        "id": membership.id,
        "segment": membership.segment,
        "status": membership.status,
        "start_date": membership.start_date,
        "payer": payer.name if payer else None,
        "payer_kind": payer.kind if payer else None,
    }


def payment_history(session: Session, person_id: int, scope: Iterable[str]) -> dict[str, Any]:
    """A member's bills and payments month by month (newest first), for the funding page and the person page.

    Each month lists the contribution lines billed for it (reference, amount, due date, whether the month is paid,
    i.e. protected) and the payments the member made themselves that month; memberships paid by an employer or
    a sponsor show who pays.

    Raises:
        NotFound: no such person inside ``scope``.
    """
    person = ledger_sql.person_in_scope(session, person_id, scope)
    if person is None:
        raise PersonNotInTerritory(person_id)
    memberships = ledger_sql.memberships_of(session, person.id)
    payers = {m.id: allocation_sql.payer_of_membership(session, m) for m in memberships}
    paid = {(m.id, month) for m in memberships for month in repo.paid_months(session, m.id)}
    months: dict[dt.date, dict[str, Any]] = {}

    def month_row(first_day: dt.date) -> dict[str, Any]:
        empty = {"month": first_day, "lines": [], "payments": [], "billed": 0, "received": 0}
        return months.setdefault(first_day, empty)

    for membership_id, month, amount, reference, due_on, kind in ledger_sql.lines_of_person(session, person.id):
        row = month_row(month)
        row["lines"].append(
            {"reference": reference, "amount": amount, "due_on": due_on, "kind": kind,
             "paid": (membership_id, month) in paid}
        )  # fmt: skip
        row["billed"] += amount
    own = [p.id for p in payers.values() if p is not None and p.person_id == person.id]
    payments = ledger_sql.payments_of_payers(session, own)
    references = ledger_sql.bill_references(session, [p.bill_id for p in payments])
    for payment in payments:
        row = month_row(Month.of(payment.paid_on).first_day())
        row["payments"].append(
            {"paid_on": payment.paid_on, "amount": payment.amount, "channel": payment.channel, "kind": payment.kind,
             "reference": references.get(payment.bill_id, "")}
        )  # fmt: skip
        row["received"] += payment.amount  # a reversal is a negative entry
    rows = [months[k] for k in sorted(months, reverse=True)]
    for row in rows:
        row["all_paid"] = bool(row["lines"]) and all(line["paid"] for line in row["lines"])
    return {
        "person_id": person.id,
        "full_name": person.full_name,
        "memberships": [_membership_row(m, payers[m.id]) for m in memberships],
        "months": rows,
        "billed": sum(r["billed"] for r in rows),
        "received": sum(r["received"] for r in rows),
    }
