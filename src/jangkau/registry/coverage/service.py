"""The anonymous coverage check: prove the phone on record with a one-time code, then see protection only.

The visitor gives a NIK. Whether or not the NIK is registered, a challenge is made and the same answer is given
("if this NIK is registered with a phone, a code was sent"), so the check tells nobody who is registered. Only a
person who types back the code sent to the phone on record sees an answer, and that answer is "protected until
..." per programme, without the name. Attempts are limited per IP, per NIK and per challenge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jangkau.auth.throttle import digest, get_throttle
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.notify import service as notify
from jangkau.notify.errors import InvalidAddress
from jangkau.notify.templates import Use
from jangkau.registry import repository as repo
from jangkau.registry.errors import ChallengeFailed
from jangkau.registry.models import CoverageChallenge, Person
from jangkau.registry.nik import clean_nik

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_MINUTES = 10
ATTEMPTS = f"5/{CODE_MINUTES} minutes"  # wrong codes per challenge


@dataclass(frozen=True)
class Verified:
    """A proven check: whose coverage to show (never shown by name to the anonymous visitor)."""

    person_id: int
    challenge_id: str


def _code_hash(challenge_id: str, code: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()


def start_check(session: Session, nik: str, client_ip: str, now: dt.datetime | None = None) -> str:
    """Make a challenge for ``nik`` and send its code to the phone on record, if there is one.

    Returns the challenge id (opaque) whatever the NIK: the caller cannot tell a registered NIK from another.

    Raises:
        Throttled: too many checks from this IP or for this NIK.
    """
    settings = get_settings()
    throttle = get_throttle()
    throttle.hit(settings.coverage_check_ip_limit, "coverage-ip", client_ip)
    nik_key = digest(clean_nik(nik))
    throttle.hit(settings.coverage_check_nik_limit, "coverage-nik", nik_key)
    now = now or utcnow()
    challenge_id = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    person_id = repo.nik_taken(session, clean_nik(nik))
    person = session.get(Person, person_id) if person_id is not None else None
    reachable = person is not None and bool(person.phone)
    session.add(
        CoverageChallenge(
            id=challenge_id,
            person_id=person.id if reachable and person is not None else None,
            nik_digest=nik_key,
            code_hash=_code_hash(challenge_id, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
    )
    session.flush()
    if reachable and person is not None:
        _deliver(session, person, challenge_id, code)
    return challenge_id


def _deliver(session: Session, person: Person, challenge_id: str, code: str) -> None:
    """Send the code to the phone on record through notify (SMS, or WhatsApp when only that is configured; no
    consent needed: the person asked for it). With no provider configured (demo, ``make run``) notify's log
    channel writes the code to the server log with the number masked. A phone on record that is not a valid
    mobile number gets nothing (the visitor sees the same answer as for any NIK)."""
    recipient = notify.person(person.id, person.village_code, person.phone)
    try:
        message = notify.request(session, recipient, Use.COVERAGE_CODE, f"check:{challenge_id[:40]}", {"kode": code})
    except InvalidAddress:
        logger.info("coverage check %s…: phone on record is not a mobile number, code not sent", challenge_id[:8])
        return
    if message is not None:
        notify.send_after_commit(session, message)


def verify(session: Session, challenge_id: str, code: str, client_ip: str, now: dt.datetime | None = None) -> Verified:
    """Check the typed code against the challenge.

    Raises:
        Throttled: too many codes typed from this IP.
        ChallengeFailed: unknown, expired or used-up challenge, a wrong code, or a NIK that had no phone on record.
    """
    throttle = get_throttle()
    throttle.hit(get_settings().coverage_verify_ip_limit, "coverage-verify-ip", client_ip)
    now = now or utcnow()
    challenge = session.get(CoverageChallenge, challenge_id)
    typed = "".join(ch for ch in code if ch.isdigit())
    expected = challenge.code_hash if challenge is not None else _code_hash(challenge_id, "-")
    matches = hmac.compare_digest(expected, _code_hash(challenge_id, typed))
    # counted outside the transaction, which a refusal rolls back
    if challenge is None or challenge.expires_at <= now or not throttle.allowed(ATTEMPTS, "challenge", challenge_id):
        raise ChallengeFailed
    if not matches or challenge.person_id is None:
        throttle.hit(ATTEMPTS, "challenge", challenge_id)
        raise ChallengeFailed
    challenge.verified_at = now
    challenge.expires_at = min(challenge.expires_at, now + dt.timedelta(minutes=CODE_MINUTES))
    session.flush()
    return Verified(challenge.person_id, challenge.id)
