"""The audit log: who did what, when, to which record, with the before and after state."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import repository as repo
from jangkau.auth.models import AuditEvent, AuditSeal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.auth.throttle import digest
from jangkau.clikit import to_json
from jangkau.db.base import utcnow
from jangkau.kit.spreadsheet import csv_writer

_SOURCE: ContextVar[str | None] = ContextVar("audit_source_ip", default=None)


def set_source(address: str | None) -> None:
    """Where the current request comes from (set by the web edge for each request), recorded with its events."""
    _SOURCE.set(address)


ANONYMOUS = Principal(user_id=None, username="anonymous", role=Role.WORKER, scope=())

# Fields never written to the audit log in clear.
_MASKED = {"password", "password_hash", "token", "token_hash"}


def _dump(data: dict[str, Any] | None) -> str | None:
    if data is None:
        return None
    clean = {k: ("***" if k in _MASKED else v) for k, v in data.items()}
    return to_json(clean)


def record(
    session: Session,
    principal: Principal,
    action: str,
    entity: str,
    entity_id: object = None,
    *,
    region_code: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one event (in the caller's transaction: it is kept exactly when the change is).

    Args:
        action: ``create``, ``update``, ``read_full`` (a staff read of a full personal record), ``login``, ...
        entity: ``person``, ``membership``, ``user``, ...
    """
    record_many(session, principal, [Entry(action, entity, entity_id, region_code, before, after)])


@dataclass(frozen=True)
class Entry:
    """One event of :func:`record_many` (the arguments of :func:`record`)."""

    action: str
    entity: str
    entity_id: object = None
    region_code: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(session: Session, principal: Principal, entries: Sequence[Entry]) -> None:
    """Append several events of one change at once (one INSERT), in the caller's transaction, in the order given."""
    source, now = _SOURCE.get(), utcnow()
    rows = [
        {
            "at": now,
            "user_id": principal.user_id,
            "actor": principal.username,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": None if entry.entity_id is None else str(entry.entity_id),
            "region_code": entry.region_code,
            "source_ip": source,
            "before": _dump(entry.before),
            "after": _dump(entry.after),
        }
        for entry in entries
    ]
    repo.add_audit_rows(session, rows)


def record_anonymous(
    session: Session,
    action: str,
    entity: str,
    entity_id: object = None,
    *,
    region_code: str | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one event done by a visitor who is not signed in (e.g. a coverage check proven by a one-time code)."""
    record(session, ANONYMOUS, action, entity, entity_id, region_code=region_code, after=after)


def unknown_username(typed: str) -> str:
    """How the audit log names a username that matches no account: a keyed digest, never what was typed."""
    return "unknown:" + digest(typed.strip().lower())[:16]


def record_login(session: Session, username: str, user_id: int | None, client: str, channel: str, outcome: str) -> None:
    """Append one sign-in attempt: who typed which username, from which address, through the page or the API, and
    how it ended (``ok``, ``wrong_password``, ``throttled``, ``totp_wrong``, ...). The password never is.

    A refused attempt raises and rolls the request back: the sign-in edges commit this row before raising. A username
    that names no account is kept only as :func:`unknown_username` (what was typed may be a password typed into the
    wrong field); repeated attempts with it still share one value.
    """
    username = username if user_id is not None else unknown_username(username)
    repo.add_audit(
        session,
        AuditEvent(
            user_id=user_id,
            actor=username[:80],
            action="login" if outcome in ("ok", "password_ok") else "login_failed",
            entity="user",
            entity_id=None if user_id is None else str(user_id),
            source_ip=client,
            after=_dump({"username": username, "ip": client, "channel": channel, "outcome": outcome}),
        ),
    )


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "user_id": event.user_id,
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "region_code": event.region_code,
        "source_ip": event.source_ip,
        "before": json.loads(event.before) if event.before else None,
        "after": json.loads(event.after) if event.after else None,
    }


def export_csv(session: Session) -> str:
    """The whole audit log as CSV (before/after as JSON text)."""
    out = io.StringIO()
    writer = csv_writer(out)
    columns = ["id", "at", "user_id", "actor", "action", "entity", "entity_id", "region_code", "before", "after"]
    writer.writerow(columns)
    for event in repo.all_audit(session):
        writer.writerow([getattr(event, c) for c in columns])
    return out.getvalue()


# --- the daily seal: a hash chain over the log -------------------------------------------------------------------

GENESIS = "0" * 64


@dataclass(frozen=True)
class SealProblem:
    """A sealed day whose events no longer give its digest (a row edited, removed or backdated), or a broken link."""

    day: dt.date
    reason: str


def _canonical(event: AuditEvent) -> str:
    at = event.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    fields = [event.id, at, event.user_id, event.actor, event.action, event.entity, event.entity_id]
    return json.dumps([*fields, event.region_code, event.source_ip, event.before, event.after], ensure_ascii=False)


def _day_digest(previous: str, events: Sequence[AuditEvent]) -> str:
    chain = hashlib.sha256(previous.encode())
    for event in events:
        chain.update(b"\n" + _canonical(event).encode())
    return chain.hexdigest()


def seal(session: Session, today: dt.date | None = None) -> list[AuditSeal]:
    """Seal every complete day (before ``today``, UTC) not sealed yet, each digest chained to the one before.

    Run daily (cron or the task queue). Returns the new seals.
    """
    today = today or utcnow().date()
    last = repo.last_seal(session)
    previous = last.digest if last else GENESIS
    start = last.day + dt.timedelta(days=1) if last else repo.first_audit_day(session)
    made: list[AuditSeal] = []
    day = start
    while day is not None and day < today:
        events = repo.audit_of_day(session, day)
        made.append(repo.add_seal(session, _seal_of(day, events, previous)))
        previous = made[-1].digest
        day += dt.timedelta(days=1)
    return made


def _seal_of(day: dt.date, events: Sequence[AuditEvent], previous: str) -> AuditSeal:
    return AuditSeal(
        day=day,
        events=len(events),
        first_event_id=events[0].id if events else None,
        last_event_id=events[-1].id if events else None,
        previous_digest=previous,
        digest=_day_digest(previous, events),
    )


def verify(session: Session) -> tuple[int, list[SealProblem]]:
    """Recompute every sealed day from the log. Returns the number of days checked and what does not match."""
    problems: list[SealProblem] = []
    previous = GENESIS
    seals = repo.all_seals(session)
    for stored in seals:
        if stored.previous_digest != previous:
            problems.append(SealProblem(stored.day, "the chain is broken: the previous day's digest differs"))
        events = repo.audit_of_day(session, stored.day)
        if len(events) != stored.events:
            problems.append(SealProblem(stored.day, f"{stored.events} events were sealed, {len(events)} are there now"))
        elif _day_digest(stored.previous_digest, events) != stored.digest:
            problems.append(SealProblem(stored.day, "an event of this day was changed after it was sealed"))
        previous = stored.digest
    return len(seals), problems


def full_reads_of(session: Session, entity: str, entity_id: object, limit: int = 50) -> Sequence[AuditEvent]:
    """Who read the full record of ``entity`` ``entity_id`` (``read_full`` events), newest first."""
    return repo.audit_of_record(session, entity, str(entity_id), ("read_full",), limit)
