"""Consent per person (or per user: a field agent) and channel: given (enrolment form, the worker's own page, an
officer, the agent form), withdrawn (the page, a STOP reply).
Nothing is sent on a channel without consent, except the one-time codes a person asked for."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

from sqlalchemy.orm import Session

from jangkau.i18n import N_
from jangkau.notify import clock
from jangkau.notify import repository as repo
from jangkau.notify.addresses import check_email, normalise_phone
from jangkau.notify.channels.base import PHONE_CHANNELS, ChannelName
from jangkau.notify.errors import InvalidAddress
from jangkau.notify.models import Consent
from jangkau.notify.templates import CONSENT_FREE

PREFERENCE = (ChannelName.WHATSAPP, ChannelName.SMS, ChannelName.EMAIL)  # tried in this order


class Via(enum.StrEnum):
    """How consent was given or withdrawn."""

    ENROLMENT_FORM = "enrolment_form"
    WORKER_PAGE = "worker_page"
    OFFICER = "officer"
    AGENT_FORM = "agent_form"  # the officer's agent form (a field agent's daily list)
    AGENT_PAGE = "agent_page"  # the agent's own page
    STOP_REPLY = "stop_reply"
    CLI = "cli"


def address_for(channel: ChannelName | str, address: str) -> str:
    """The normalised address of ``channel`` (a mobile number as +628..., or an e-mail address).

    Raises:
        InvalidAddress: the number or address is not valid, with the reason.
    """
    name = ChannelName(channel)
    if name in PHONE_CHANNELS:
        return normalise_phone(address)
    if name == ChannelName.EMAIL:
        return check_email(address)
    raise InvalidAddress("channel", N_("no consent for channel %(channel)s"), code="channel", channel=channel)


def grant(
    session: Session,
    person_id: int,
    channel: ChannelName | str,
    address: str,
    via: Via,
    language: str = "id",
    now: dt.datetime | None = None,
) -> Consent:
    """Record (or renew) consent for ``channel`` at ``address``, with when and how it was given.

    Raises:
        InvalidAddress: the phone number or e-mail address is not valid.
    """
    name = ChannelName(channel)
    normalised = address_for(name, address)
    row = repo.consent(session, person_id, name) or Consent(person_id=person_id, channel=name.value)
    return _given(session, row, normalised, via, language, now)


def withdraw(
    session: Session,
    person_id: int,
    channels: Sequence[ChannelName | str],
    via: Via,
    now: dt.datetime | None = None,
) -> int:
    """Withdraw consent on ``channels``; the person's messages not yet sent there are cancelled. Returns how many
    consents were withdrawn."""
    names = [ChannelName(c).value for c in channels]
    changed = _withdrawn(repo.consents_of(session, person_id), names, via, now)
    repo.cancel_open(session, person_id, names, [u.value for u in CONSENT_FREE])
    session.flush()
    return changed


def grant_user(
    session: Session,
    user_id: int,
    channel: ChannelName | str,
    address: str,
    via: Via,
    language: str = "id",
    now: dt.datetime | None = None,
) -> Consent:
    """Record (or renew) a user's (a field agent's) consent for ``channel`` at ``address``.

    Raises:
        InvalidAddress: the phone number or e-mail address is not valid.
    """
    name = ChannelName(channel)
    normalised = address_for(name, address)
    row = repo.consent_of_user(session, user_id, name) or Consent(user_id=user_id, channel=name.value)
    return _given(session, row, normalised, via, language, now)


def withdraw_user(
    session: Session,
    user_id: int,
    channels: Sequence[ChannelName | str],
    via: Via,
    now: dt.datetime | None = None,
) -> int:
    """Withdraw a user's consent on ``channels``; their messages not yet sent there are cancelled."""
    names = [ChannelName(c).value for c in channels]
    changed = _withdrawn(repo.consents_of_user(session, user_id), names, via, now)
    repo.cancel_open(session, None, names, [u.value for u in CONSENT_FREE], user_id=user_id)
    session.flush()
    return changed


def stop_from(session: Session, phone: str, channel: ChannelName, now: dt.datetime | None = None) -> int:
    """A STOP reply from ``phone`` on ``channel``: withdraw that channel for everyone who gave consent at that
    number. Returns how many consents were withdrawn (0 for an unknown or invalid number)."""
    try:
        address = normalise_phone(phone)
    except InvalidAddress:
        return 0
    withdrawn = 0
    for row in repo.consents_at(session, address, [channel.value]):
        if row.person_id is not None:
            withdrawn += withdraw(session, row.person_id, [channel], Via.STOP_REPLY, now)
        elif row.user_id is not None:
            withdrawn += withdraw_user(session, row.user_id, [channel], Via.STOP_REPLY, now)
    return withdrawn


def chosen(
    session: Session, person_id: int | None, available: Sequence[ChannelName], user_id: int | None = None
) -> Consent | None:
    """The consent to use: the first granted channel in :data:`PREFERENCE` among ``available`` ones (of the
    person, or of the user when ``person_id`` is None)."""
    found = (
        repo.consents_of(session, person_id)
        if person_id is not None
        else repo.consents_of_user(session, user_id)
        if user_id is not None
        else []
    )
    rows = {row.channel: row for row in found if row.granted}
    for name in PREFERENCE:
        if name in available and name.value in rows:
            return rows[name.value]
    return None


def is_stop(text: str) -> bool:
    """Whether an inbound reply asks to stop (STOP, BERHENTI, UNREG, in any case)."""
    return text.strip().upper() in {"STOP", "BERHENTI", "UNREG", "STOP ALL"}


def _given(session: Session, row: Consent, address: str, via: Via, language: str, now: dt.datetime | None) -> Consent:
    """Mark ``row`` (a person's or a user's consent, new or renewed) given now at ``address``."""
    if row not in session:
        session.add(row)
    row.address, row.language, row.granted = address, "en" if language == "en" else "id", True
    row.given_at, row.given_via, row.withdrawn_at, row.withdrawn_via = now or clock.now(), via.value, None, None
    session.flush()
    return row


def _withdrawn(rows: Sequence[Consent], names: Sequence[str], via: Via, now: dt.datetime | None) -> int:
    """Withdraw the granted ones of ``rows`` on the channels ``names``; returns how many."""
    changed = 0
    for row in rows:
        if row.channel in names and row.granted:
            row.granted, row.withdrawn_at, row.withdrawn_via = False, now or clock.now(), via.value
            changed += 1
    return changed
