"""What a worker, an agent or an officer is told about one membership: the protection sentence (rules
``protection_status``), who pays, whether protection has begun, and how to pay (amount, due date and the channels
the branch office lists). The coverage check, the receipt, the card and the card check all show this answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jangkau.funding import repository as repo
from jangkau.funding.models import SPONSOR_KINDS, PaymentChannel
from jangkau.funding.repository import allocation as allocation_sql
from jangkau.funding.repository import requests as requests_sql
from jangkau.kit.months import Month
from jangkau.registry.models import Membership
from jangkau.rules import Segment, bpu_contribution, due_date, parse_programs
from jangkau.rules.protection import PayerKind, ProtectionStatus, protection_status

ENDED_STATUSES = ("ended", "nonaktif")


@dataclass(frozen=True)
class WhoPays:
    """Who pays the contributions: the worker, an employer (by name) or a sponsor's programme."""

    kind: PayerKind
    name: str = ""  # the employer's or sponsor's name
    programme: str = ""  # the sponsor's programme
    awaiting_approval: bool = False  # a request the sponsor has not decided yet
    rejected_reason: str | None = None  # the sponsor declined the latest request, with this reason


@dataclass(frozen=True)
class HowToPay:
    """What the payer pays next and where: the amount, its due date and bill reference, and the channels."""

    amount: int | None
    due_on: dt.date | None
    reference: str | None
    channels: list[PaymentChannel] = field(default_factory=list)


@dataclass(frozen=True)
class MemberProtection:
    """The answer for one membership."""

    status: ProtectionStatus
    payer: WhoPays
    begun: bool  # protection has begun: at least one month paid
    pay: HowToPay | None  # None when someone else (a sponsor, the employer) pays


def who_pays(session: Session, membership: Membership, today: dt.date) -> WhoPays:
    """A running or coming sponsorship first, then a pending (or just rejected) request, then the assigned payer,
    else the employer (PU) or the worker (BPU)."""
    sponsored = requests_sql.sponsorship_covering(session, membership.id, Month.of(today).first_day())
    if sponsored is not None:
        _sponsorship, programme, sponsor = sponsored
        return WhoPays(PayerKind.SPONSOR, sponsor.name, programme.name)
    request = requests_sql.latest_request(session, membership.id)
    if request is not None and request[0].status == "pending":
        return WhoPays(PayerKind.SPONSOR, request[2].name, request[1].name, awaiting_approval=True)
    rejected = request[0].reason if request is not None and request[0].status == "rejected" else None
    payer = allocation_sql.payer_of_membership(session, membership)
    if payer is not None and payer.kind in SPONSOR_KINDS:
        return WhoPays(PayerKind.SPONSOR, payer.name)
    if membership.segment == "pu" and membership.employer_id is not None:
        name = payer.name if payer is not None else requests_sql.employer_name(session, membership.employer_id)
        return WhoPays(PayerKind.EMPLOYER, name, rejected_reason=rejected)
    return WhoPays(PayerKind.SELF, rejected_reason=rejected)


def _next_payment(
    session: Session, membership: Membership, paid: set[Month], today: dt.date
) -> tuple[int | None, dt.date | None, str | None]:
    """The oldest open bill of the membership; with none, the next BPU month to pay priced by the rules engine."""
    bills = repo.bills_of_membership(session, membership.id)
    open_bills = [b for b in bills if b["paid_on"] is None]
    if open_bills:
        first = open_bills[0]
        return int(first["amount"]), first["due_on"], str(first["reference"])
    if membership.segment != "bpu" or not membership.declared_income:
        return None, None, None
    month = max(Month.of(today), Month.of(membership.start_date))
    while month in paid:
        month = month.next()
    quote = bpu_contribution(membership.declared_income, month, parse_programs(membership.programs.split(",")))
    return quote.total, due_date(Segment.BPU, month).due_on, None


def member_protection(session: Session, membership: Membership, today: dt.date, lang: str) -> MemberProtection:
    """The protection sentence, the payer and (when the worker or employer pays) how to pay, for ``today``."""
    paid = {Month.of(m) for m in repo.paid_months(session, membership.id)}
    payer = who_pays(session, membership, today)
    status = protection_status(
        membership.segment,
        paid,
        today,
        lang,
        payer=payer.kind,
        payer_name=payer.name,
        ended=membership.status in ENDED_STATUSES or (membership.end_date is not None and membership.end_date < today),
        awaiting_approval=payer.awaiting_approval,
    )
    pay = None
    if payer.kind is PayerKind.SELF:
        amount, due_on, reference = _next_payment(session, membership, paid, today)
        pay = HowToPay(amount, due_on, reference, requests_sql.channels(session))
    elif payer.kind is PayerKind.EMPLOYER:
        pay = HowToPay(None, None, None)
    return MemberProtection(status, payer, bool(paid), pay)
