"""All SQL of notify: messages by natural key, due messages, status by provider id, consent by person or address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from jangkau.notify.models import OPEN_STATUSES, Consent, Message, MessageStatus


def message_for(session: Session, recipient: str, use: str, reference: str) -> Message | None:
    """The message already made for ``(recipient, use, reference)`` on any channel, if any."""
    query = select(Message).where(Message.recipient == recipient, Message.use == use, Message.reference == reference)
    return session.scalars(query.limit(1)).first()


def due_messages(session: Session, now: dt.datetime, limit: int) -> Sequence[Message]:
    """Pending messages whose time has come, oldest first (locked against a second dispatcher on PostgreSQL)."""
    query = (
        select(Message)
        .where(Message.status == MessageStatus.PENDING, Message.not_before <= now)
        .order_by(Message.not_before, Message.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).all()


def locked_message(session: Session, message_id: int) -> Message | None:
    return session.get(Message, message_id, with_for_update=True)


def message_with_consent(session: Session, message_id: int) -> tuple[Message, bool] | None:
    """The message (locked) and whether its person's consent on its channel is granted, in one statement."""
    query = (
        select(Message, func.coalesce(Consent.granted, False))
        .outerjoin(
            Consent,
            and_(
                or_(Consent.person_id == Message.person_id, Consent.user_id == Message.user_id),
                Consent.channel == Message.channel,
            ),
        )
        .where(Message.id == message_id)
        .with_for_update(of=Message)
    )
    row = session.execute(query).first()
    return None if row is None else (row[0], bool(row[1]))


def set_message(session: Session, message_id: int, values: dict[str, object]) -> None:
    """Record a send's outcome on one message (one UPDATE)."""
    session.execute(update(Message).where(Message.id == message_id).values(**values))


def by_provider_id(session: Session, channel: str, provider_id: str) -> Message | None:
    query = select(Message).where(Message.provider_id == provider_id, Message.channel == channel)
    return session.scalars(query.limit(1)).first()


def consents_of(session: Session, person_id: int) -> Sequence[Consent]:
    return session.scalars(select(Consent).where(Consent.person_id == person_id).order_by(Consent.channel)).all()


def consent(session: Session, person_id: int, channel: str) -> Consent | None:
    query = select(Consent).where(Consent.person_id == person_id, Consent.channel == channel)
    return session.scalars(query).one_or_none()


def consents_of_user(session: Session, user_id: int) -> Sequence[Consent]:
    return session.scalars(select(Consent).where(Consent.user_id == user_id).order_by(Consent.channel)).all()


def consent_of_user(session: Session, user_id: int, channel: str) -> Consent | None:
    query = select(Consent).where(Consent.user_id == user_id, Consent.channel == channel)
    return session.scalars(query).one_or_none()


def granted_users(session: Session, user_ids: Sequence[int], channels: Sequence[str]) -> set[int]:
    """Which of ``user_ids`` gave consent on one of ``channels``."""
    if not user_ids:
        return set()
    query = select(Consent.user_id).where(Consent.user_id.in_(user_ids), Consent.channel.in_(channels), Consent.granted)
    return {int(u) for u in session.scalars(query) if u is not None}


def consents_at(session: Session, address: str, channels: Sequence[str]) -> Sequence[Consent]:
    query = select(Consent).where(Consent.address == address, Consent.channel.in_(channels), Consent.granted)
    return session.scalars(query).all()


def cancel_open(
    session: Session, person_id: int | None, channels: Sequence[str], uses: Sequence[str], user_id: int | None = None
) -> int:
    """Cancel the person's (or the user's) messages not yet sent on ``channels`` (except the consent-free ``uses``)."""
    holder = Message.person_id == person_id if person_id is not None else Message.user_id == user_id
    result = session.execute(
        update(Message)
        .where(
            holder,
            Message.channel.in_(channels),
            Message.status.in_([s.value for s in OPEN_STATUSES if s != MessageStatus.SENDING]),
            Message.use.not_in(uses),
        )
        .values(status=MessageStatus.CANCELLED, error="consent withdrawn")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def list_messages(
    session: Session,
    scope: Sequence[str],
    *,
    person_id: int | None = None,
    campaign: str | None = None,
    limit: int = 200,
    user_id: int | None = None,
) -> Sequence[Message]:
    """Messages in the territory ``scope`` (region-code prefixes; ``""`` = everywhere), newest first."""
    query = select(Message).order_by(Message.id.desc()).limit(limit)
    if "" not in scope:
        query = query.where(func.coalesce(Message.region_code, "").in_(scope) | _within(scope))
    if person_id is not None:
        query = query.where(Message.person_id == person_id)
    if user_id is not None:
        query = query.where(Message.user_id == user_id)
    if campaign is not None:
        query = query.where(Message.campaign == campaign)
    return session.scalars(query).all()


def _within(scope: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(Message.region_code.like(f"{prefix}.%") for prefix in scope if prefix), Message.id < 0)


def counts(session: Session, uses: Sequence[str], since: dt.datetime, scope: Sequence[str]) -> dict[str, int]:
    """How many messages of ``uses`` were made since ``since`` in ``scope``, by status."""
    query = (
        select(Message.status, func.count())
        .where(Message.use.in_(uses), Message.created_at >= since)
        .group_by(Message.status)
    )
    if "" not in scope:
        query = query.where(func.coalesce(Message.region_code, "").in_(scope) | _within(scope))
    return {str(status): int(n) for status, n in session.execute(query).all()}


def sent_references(
    session: Session, uses: Sequence[str], since: dt.datetime, scope: Sequence[str]
) -> list[tuple[str, dt.datetime]]:
    query = select(Message.reference, Message.sent_at).where(
        Message.use.in_(uses), Message.sent_at.is_not(None), Message.sent_at >= since
    )
    if "" not in scope:
        query = query.where(func.coalesce(Message.region_code, "").in_(scope) | _within(scope))
    return [(str(ref), at) for ref, at in session.execute(query) if at is not None]
