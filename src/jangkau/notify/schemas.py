"""notify's JSON in and out."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from jangkau.notify.addresses import mask_address
from jangkau.notify.models import Consent, Message


class ConsentIn(BaseModel):
    """A worker gives (``granted``) or withdraws consent for one channel."""

    address: str = Field("", max_length=254, description="Mobile number (08..., +628...) or e-mail address")
    language: str = Field("id", pattern="^(id|en)$")
    granted: bool = True


class ConsentRead(BaseModel):
    channel: str
    address: str
    language: str
    granted: bool
    given_at: dt.datetime
    given_via: str
    withdrawn_at: dt.datetime | None
    withdrawn_via: str | None

    @classmethod
    def of(cls, row: Consent) -> ConsentRead:
        return cls(
            channel=row.channel, address=row.address, language=row.language, granted=row.granted,
            given_at=row.given_at, given_via=row.given_via, withdrawn_at=row.withdrawn_at,
            withdrawn_via=row.withdrawn_via,
        )  # fmt: skip


class MessageRead(BaseModel):
    """A message as officers see it: the address masked."""

    id: int
    person_id: int | None
    use: str
    reference: str
    channel: str
    address: str
    campaign: str | None
    status: str
    attempts: int
    error: str | None
    not_before: dt.datetime
    created_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None

    @classmethod
    def of(cls, row: Message, masked: bool = True) -> MessageRead:
        return cls(
            id=row.id, person_id=row.person_id, use=row.use, reference=row.reference, channel=row.channel,
            address=mask_address(row.address) if masked else row.address, campaign=row.campaign, status=row.status,
            attempts=row.attempts, error=row.error, not_before=row.not_before, created_at=row.created_at,
            sent_at=row.sent_at, delivered_at=row.delivered_at, read_at=row.read_at,
        )  # fmt: skip


class HookResult(BaseModel):
    """What a provider's callback changed."""

    updated: int = 0
    ignored: int = 0
    stopped: int = 0
