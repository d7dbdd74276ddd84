"""SQL of the sponsorship requests, the payment channels and who pays a membership (issue 22, points 5 and 6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.funding.models import Payer, PaymentChannel, Programme, Sponsorship, SponsorshipRequest
from jangkau.registry.models import Employer, Membership, Person


def sponsorship_covering(
    session: Session, membership_id: int, month: dt.date
) -> tuple[Sponsorship, Programme, Payer] | None:
    """The sponsorship paying for ``month`` or the next one to start (with its programme and sponsor)."""
    row = session.execute(
        select(Sponsorship, Programme, Payer)
        .join(Programme, Programme.id == Sponsorship.programme_id)
        .join(Payer, Payer.id == Programme.payer_id)
        .where(Sponsorship.membership_id == membership_id, Sponsorship.last_month >= month)
        .order_by(Sponsorship.first_month)
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def latest_request(session: Session, membership_id: int) -> tuple[SponsorshipRequest, Programme, Payer] | None:
    """The membership's latest sponsorship request, with its programme and sponsor."""
    row = session.execute(
        select(SponsorshipRequest, Programme, Payer)
        .join(Programme, Programme.id == SponsorshipRequest.programme_id)
        .join(Payer, Payer.id == Programme.payer_id)
        .where(SponsorshipRequest.membership_id == membership_id)
        .order_by(SponsorshipRequest.id.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def request_for_update(session: Session, request_id: int) -> SponsorshipRequest | None:
    found: SponsorshipRequest | None = session.scalars(
        select(SponsorshipRequest).where(SponsorshipRequest.id == request_id).with_for_update()
    ).first()
    return found


def requests_of_programmes(
    session: Session, programme_ids: Iterable[int] | None, status: str | None = "pending", limit: int = 200
) -> list[tuple[SponsorshipRequest, Programme, Membership, Person]]:
    """Requests of the given programmes (``None``: every programme), oldest first, with what the decision needs."""
    query = (
        select(SponsorshipRequest, Programme, Membership, Person)
        .join(Programme, Programme.id == SponsorshipRequest.programme_id)
        .join(Membership, Membership.id == SponsorshipRequest.membership_id)
        .join(Person, Person.id == SponsorshipRequest.person_id)
        .order_by(SponsorshipRequest.id)
        .limit(limit)
    )
    if programme_ids is not None:
        query = query.where(SponsorshipRequest.programme_id.in_(list(programme_ids)))
    if status is not None:
        query = query.where(SponsorshipRequest.status == status)
    return [(r[0], r[1], r[2], r[3]) for r in session.execute(query).all()]


def programme_ids_of_payers(session: Session, payer_ids: Iterable[int]) -> list[int]:
    return list(session.scalars(select(Programme.id).where(Programme.payer_id.in_(list(payer_ids)))))


def employer_name(session: Session, employer_id: int) -> str:
    name = session.scalar(select(Employer.name).where(Employer.id == employer_id))
    return name or ""


def channels(session: Session, *, active_only: bool = True) -> list[PaymentChannel]:
    query = select(PaymentChannel).order_by(PaymentChannel.position, PaymentChannel.id)
    if active_only:
        query = query.where(PaymentChannel.active.is_(True))
    return list(session.scalars(query))


def programmes_started_by(session: Session, month: dt.date) -> list[Programme]:
    """Programmes that started on or before ``month`` (the caller drops those already over)."""
    return list(session.scalars(select(Programme).where(Programme.start_month <= month).order_by(Programme.name)))
