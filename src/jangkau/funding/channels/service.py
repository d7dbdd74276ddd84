"""Payment channels: data the branch office keeps (``funding_payment_channel``), shown on every card and receipt
of a worker who pays for themselves. Officers with ``funding.write`` edit them on ``/funding/channels``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.funding.errors import ChannelInvalid, ChannelNotFound
from jangkau.funding.models import PaymentChannel
from jangkau.funding.repository import requests as sql


def channels(session: Session, *, active_only: bool = True) -> list[PaymentChannel]:
    """The channels in the order the office set (only the active ones unless asked)."""
    return sql.channels(session, active_only=active_only)


def save_channel(
    session: Session,
    principal: Principal,
    name: str,
    instructions: str,
    position: str,
    active: bool,
    channel_id: int | None = None,
) -> PaymentChannel:
    """Add a channel, or change one (audited).

    Raises:
        InvalidInput: no name, a name or instructions too long, a position that is not a whole number.
        NotFound: no channel ``channel_id``.
    """
    name, instructions = " ".join(name.split()), " ".join(instructions.split())
    if not name:
        raise ChannelInvalid("name", ChannelInvalid.REQUIRED)
    if len(name) > 80:
        raise ChannelInvalid("name", ChannelInvalid.TOO_LONG, limit=80)
    if len(instructions) > 300:
        raise ChannelInvalid("instructions", ChannelInvalid.TOO_LONG, limit=300)
    if position.strip() and not position.strip().isdigit():
        raise ChannelInvalid("position", ChannelInvalid.NOT_A_NUMBER)
    if channel_id is None:
        channel = PaymentChannel()
        session.add(channel)
    else:
        found = session.get(PaymentChannel, channel_id)
        if found is None:
            raise ChannelNotFound(channel_id)
        channel = found
    before = {"name": channel.name, "instructions": channel.instructions, "active": channel.active}
    channel.name, channel.instructions = name, instructions
    channel.position, channel.active = int(position.strip() or 0), active
    channel.updated_by = principal.username
    session.flush()
    after = {"name": name, "instructions": instructions, "active": active}
    audit.record(
        session,
        principal,
        "update" if channel_id else "create",
        "payment_channel",
        channel.id,
        before=before if channel_id else None,
        after=after,
    )
    return channel
