"""Messages (one row per message and channel, with its delivery status) and consent (per person and channel).

Templates are data (``data/templates.toml``), not rows: they change with a release and are reviewed like code.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, utcnow
from jangkau.db.types import BigId, UtcDateTime


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its time (quiet hours) or the next dispatch
    QUEUED = "queued"  # handed to a send task
    SENDING = "sending"  # marked just before the provider call
    RETRYING = "retrying"  # the provider answered 429/5xx: the send task is retried with backoff
    SENT = "sent"  # the provider accepted it (its id is kept)
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    CANCELLED = "cancelled"  # consent withdrawn before it went out


HOLDER_CHECK = "(person_id IS NULL) <> (user_id IS NULL)"  # a consent is a person's or a user's, never both

OPEN_STATUSES = (MessageStatus.PENDING, MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.RETRYING)


class Message(Base):
    """One message to one person on one channel. The natural key ``(recipient, use, reference, channel)`` is
    unique: asking twice for the same reminder of the same bill makes no second message."""

    __tablename__ = "notify_message"
    __table_args__ = (
        UniqueConstraint("recipient", "use", "reference", "channel", name="uq_notify_message_natural"),
        Index("ix_notify_message_status_not_before", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(40))  # person:<id>, user:<id>
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    use: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="id")
    region_code: Mapped[str | None] = mapped_column(String(20), index=True)
    campaign: Mapped[str | None] = mapped_column(String(60), index=True)
    variables: Mapped[str] = mapped_column(Text, default="{}")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.PENDING)
    not_before: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider_id: Mapped[str | None] = mapped_column(String(120), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    failed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Consent(Base):
    """A person's (a worker's) or a user's (a field agent's) consent for one channel: the address, the language,
    when and how it was given or withdrawn. Exactly one of ``person_id`` and ``user_id`` is set."""

    __tablename__ = "notify_consent"
    __table_args__ = (
        UniqueConstraint("person_id", "channel", name="uq_notify_consent_person_channel"),
        UniqueConstraint("user_id", "channel", name="uq_notify_consent_user_channel"),
        CheckConstraint(HOLDER_CHECK, name="holder"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    granted: Mapped[bool] = mapped_column(Boolean, default=True)
    given_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    given_via: Mapped[str] = mapped_column(String(20))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawn_via: Mapped[str | None] = mapped_column(String(20))
