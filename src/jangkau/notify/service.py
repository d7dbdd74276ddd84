"""Use cases of notify: ask for a message, dispatch what is due, send a batch, apply a provider's status.

Other domains (funding, claims, outreach, registry) call :func:`request` with a :class:`Recipient`; notify imports
none of them. A message is made once per natural key ``(recipient, use, reference)``; the channel is chosen from
the person's consent (WhatsApp, then SMS, then e-mail, among the configured ones); its earliest send time is
moved out of the quiet hours of the person's zone. Services never commit: the unit of work does.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jangkau.notify import clock, consent, quiet, ratelimit
from jangkau.notify import repository as repo
from jangkau.notify.addresses import normalise_phone
from jangkau.notify.channels import registry
from jangkau.notify.channels.base import PHONE_CHANNELS, Channel, ChannelName
from jangkau.notify.errors import ChannelNotConfigured, ProviderRefused, ProviderUnavailable
from jangkau.notify.models import Message, MessageStatus
from jangkau.notify.templates import CONSENT_FREE, Rendered, Use, render

logger = logging.getLogger(__name__)
Units = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Recipient:
    """Who a message is for, as the calling domain knows them."""

    key: str  # "person:<id>" or "user:<id>": part of the natural key
    person_id: int | None
    region_code: str | None
    phone: str | None = None  # the phone on record (one-time codes go there without consent)
    user_id: int | None = None  # a user's (a field agent's) consent is looked up by user


def person(person_id: int, region_code: str | None, phone: str | None = None) -> Recipient:
    return Recipient(f"person:{person_id}", person_id, region_code, phone)


def user(user_id: int, region_code: str | None) -> Recipient:
    """A signed-in user (a field agent) reached through their own consent; ``region_code`` gives the time zone."""
    return Recipient(f"user:{user_id}", None, region_code, None, user_id)


def available_channels() -> list[ChannelName]:
    """The channels a message may be routed to: the configured providers, or the log channel when none is."""
    made: list[ChannelName] = [name for name in registry.channels() if name != ChannelName.LOG]
    return made or [ChannelName.WHATSAPP, ChannelName.SMS, ChannelName.EMAIL]


def adapter(channel: str) -> Channel:
    """The adapter of ``channel``; the log channel when no provider at all is configured (demo).

    Raises:
        ChannelNotConfigured: providers are configured, but not this one.
    """
    made = registry.channels()
    name = ChannelName(channel)
    if name in made:
        return made[name]
    if len(made) == 1:
        return made[ChannelName.LOG]
    raise ChannelNotConfigured(channel)


def _route(session: Session, recipient: Recipient, use: Use) -> tuple[ChannelName, str, str] | None:
    """Channel, address and language for ``use``; None when the person gave no consent that reaches them."""
    if use in CONSENT_FREE:
        if not recipient.phone:
            return None
        phones = [c for c in available_channels() if c in PHONE_CHANNELS]
        channel = ChannelName.SMS if ChannelName.SMS in phones or not phones else phones[0]
        return channel, normalise_phone(recipient.phone), "id"
    if recipient.person_id is None and recipient.user_id is None:
        return None
    chosen = consent.chosen(session, recipient.person_id, available_channels(), recipient.user_id)
    if chosen is None:
        return None
    return ChannelName(chosen.channel), chosen.address, chosen.language


def request(
    session: Session,
    recipient: Recipient,
    use: Use,
    reference: str,
    variables: dict[str, str],
    *,
    campaign: str | None = None,
    now: dt.datetime | None = None,
) -> Message | None:
    """Ask for a message; it goes out with the next dispatch (out of quiet hours).

    Returns:
        The new message, the one already made for the same ``(recipient, use, reference)``, or None when no
        consented channel reaches the person.

    Raises:
        TemplateError: variables missing or unknown to the template.
        InvalidAddress: a one-time code for a phone on record that is not a valid mobile number.
    """
    at = now or clock.now()
    existing = repo.message_for(session, recipient.key, use.value, reference)
    if existing is not None:
        return existing
    route = _route(session, recipient, use)
    if route is None:
        render(use, "id", variables)  # still refuse bad variables: a caller's bug must show
        return None
    channel, address, language = route
    rendered = render(use, language, variables)
    due = at if use in CONSENT_FREE else quiet.next_allowed(at, recipient.region_code)
    message = Message(
        recipient=recipient.key, person_id=recipient.person_id, user_id=recipient.user_id, use=use.value,
        reference=reference, channel=channel.value, address=address, language=language,
        region_code=recipient.region_code, campaign=campaign, variables=json.dumps(variables, sort_keys=True),
        body=_body(channel, rendered),
        status=MessageStatus.PENDING, not_before=due, attempts=0, created_at=at,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # another worker made the same message first
        return repo.message_for(session, recipient.key, use.value, reference)
    return message


def _body(channel: ChannelName, rendered: Rendered) -> str:
    return rendered.with_stop() if channel in PHONE_CHANNELS else rendered.text


def dispatch(session: Session, now: dt.datetime, limit: int) -> list[int]:
    """Hand up to ``limit`` due messages to sending (status ``queued``); a message whose person is in quiet hours
    now is moved to 07:00 local. Returns the ids queued."""
    queued: list[int] = []
    for message in repo.due_messages(session, now, limit):
        if message.use not in CONSENT_FREE and quiet.is_quiet(now, message.region_code):
            message.not_before = quiet.next_allowed(now, message.region_code)
            continue
        message.status = MessageStatus.QUEUED
        queued.append(message.id)
    session.flush()
    return queued


@dataclass
class SendOutcome:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    cancelled: int = 0
    retrying: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent, "failed": self.failed, "skipped": self.skipped, "deferred": self.deferred,
            "cancelled": self.cancelled, "retrying": len(self.retrying),
        }  # fmt: skip


@dataclass(frozen=True)
class _Claimed:
    channel: str
    address: str
    rendered: Rendered
    reference: str


def _claim(session: Session, message_id: int, now: dt.datetime, outcome: SendOutcome) -> _Claimed | None:
    """Mark one message ``sending`` (or say why not: sent already, consent withdrawn, quiet hours now)."""
    found = repo.message_with_consent(session, message_id)
    sendable = (MessageStatus.QUEUED, MessageStatus.RETRYING, MessageStatus.SENDING)
    if found is None or found[0].status not in sendable:
        outcome.skipped += 1  # sent by an earlier attempt, or cancelled: a retried task sends nothing twice
        return None
    message, granted = found
    needs_consent = message.use not in CONSENT_FREE
    if needs_consent and (message.person_id is not None or message.user_id is not None) and not granted:
        message.status, message.error = MessageStatus.CANCELLED, "consent withdrawn"
        outcome.cancelled += 1
        return None
    if needs_consent and quiet.is_quiet(now, message.region_code):
        message.status, message.not_before = MessageStatus.PENDING, quiet.next_allowed(now, message.region_code)
        outcome.deferred += 1
        return None
    message.status, message.attempts = MessageStatus.SENDING, message.attempts + 1
    rendered = render(message.use, message.language, json.loads(message.variables))
    return _Claimed(message.channel, message.address, rendered, f"m{message.id}")


def _record(
    session: Session, message_id: int, result: str | Exception, final: bool, outcome: SendOutcome, now: dt.datetime
) -> None:
    if isinstance(result, str):
        values: dict[str, object] = {"status": MessageStatus.SENT, "provider_id": result, "sent_at": now, "error": None}
        outcome.sent += 1
    elif isinstance(result, ProviderUnavailable) and not final:
        values = {"status": MessageStatus.RETRYING, "error": str(result)}
        outcome.retrying.append(message_id)
    else:
        values = {"status": MessageStatus.FAILED, "error": str(result), "failed_at": now}
        outcome.failed += 1
    repo.set_message(session, message_id, values)


def send_batch(units: Units, message_ids: Sequence[int], *, final: bool) -> SendOutcome:
    """Send the messages ``message_ids`` that are still to be sent: mark ``sending`` (committed), call the
    provider, mark ``sent`` with its id (or ``retrying`` / ``failed`` with its message). The mark of one message
    and the ``sending`` mark of the next share a transaction (one commit per message).

    Args:
        units: the transaction factory (one transaction per step).
        message_ids: what the dispatcher handed to this task.
        final: the task's last attempt: a 429/5xx now fails the message with the provider's message.

    Returns:
        Counts; ``retrying`` lists the messages a retry of the task should try again.
    """
    outcome = SendOutcome()
    done: tuple[int, str | Exception] | None = None
    for message_id in message_ids:
        with units() as session:
            if done is not None:
                _record(session, *done, final, outcome, clock.now())
                done = None
            claimed = _claim(session, message_id, clock.now(), outcome)
        if claimed is not None:
            done = (message_id, _post(claimed))
    if done is not None:
        with units() as session:
            _record(session, *done, final, outcome, clock.now())
    return outcome


def _post(claimed: _Claimed) -> str | Exception:
    """The provider's id, or the error it answered (sorted into retry or not by its type)."""
    try:
        channel = adapter(claimed.channel)
        ratelimit.wait_for(claimed.channel)
        return channel.send(claimed.address, claimed.rendered, claimed.reference)
    except (ProviderRefused, ProviderUnavailable) as exc:
        return exc
    except ChannelNotConfigured as exc:
        return ProviderRefused(exc.message)


STATUS_ORDER = {MessageStatus.SENT: 1, MessageStatus.DELIVERED: 2, MessageStatus.READ: 3}


def apply_status(
    session: Session, channel: ChannelName, provider_id: str, status: str, error: str | None, at: dt.datetime
) -> bool:
    """A provider's callback: move the message to sent / delivered / read / failed (never backwards from read to
    delivered). Returns False for an unknown message id or status."""
    message = repo.by_provider_id(session, channel.value, provider_id)
    try:
        new = MessageStatus(status)
    except ValueError:
        return False
    if message is None or new not in (*STATUS_ORDER, MessageStatus.FAILED):
        return False
    if new == MessageStatus.FAILED:
        message.status, message.failed_at, message.error = new, at, (error or "failed (provider)")[:500]
    elif STATUS_ORDER.get(MessageStatus(message.status), 0) < STATUS_ORDER[new]:
        message.status = new
        if new == MessageStatus.DELIVERED:
            message.delivered_at = at
        if new == MessageStatus.READ:
            message.read_at = at
            message.delivered_at = message.delivered_at or at
    session.flush()
    return True


def send_after_commit(session: Session, message: Message) -> None:
    """Queue ``message`` for sending as soon as the caller's transaction commits (a one-time code should not
    wait for the next minute's dispatch). If the queue cannot be reached, the dispatcher sends it later."""
    session.flush()
    message_id = message.id

    def _queue(_session: Session) -> None:
        from jangkau.notify import tasks  # the task module imports this one

        try:
            tasks.queue_now([message_id])
        except Exception:  # the message stays pending: the next dispatch sends it
            logger.warning("message %s not queued at once; the dispatcher will send it", message_id, exc_info=True)

    event.listen(session, "after_commit", _queue, once=True)


def mark_queued(session: Session, message_id: int) -> bool:
    """Hand one pending message to sending now (True), unless it is not pending any more."""
    message = repo.locked_message(session, message_id)
    if message is None or message.status != MessageStatus.PENDING:
        return False
    message.status = MessageStatus.QUEUED
    return True


def exists(session: Session, recipient: Recipient, use: Use, reference: str) -> bool:
    """Whether the message ``(recipient, use, reference)`` was made already (on any channel)."""
    return repo.message_for(session, recipient.key, use.value, reference) is not None


def counts(session: Session, uses: Sequence[str], since: dt.datetime, scope: Sequence[str]) -> dict[str, int]:
    """Messages of ``uses`` made since ``since`` in ``scope``, by status (for the dashboards)."""
    return repo.counts(session, uses, since, scope)


def sent_references(
    session: Session, uses: Sequence[str], since: dt.datetime, scope: Sequence[str]
) -> list[tuple[str, dt.datetime]]:
    """``(reference, sent_at)`` of the messages of ``uses`` sent since ``since`` in ``scope``."""
    return repo.sent_references(session, uses, since, scope)


def unqueue(session: Session, message_ids: Sequence[int]) -> None:
    """Give messages the dispatcher marked ``queued`` back to ``pending`` (their send task could not be queued)."""
    for message_id in message_ids:
        message = repo.locked_message(session, message_id)
        if message is not None and message.status == MessageStatus.QUEUED:
            message.status = MessageStatus.PENDING


def messages_of_person(session: Session, person_id: int, limit: int = 50) -> Sequence[Message]:
    """The messages sent (or waiting to be sent) to a person, newest first: the person page's "messages" section
    (the caller decided the person is theirs to see; show addresses masked)."""
    return repo.list_messages(session, ("",), person_id=person_id, limit=limit)
