"""The audit log: who did what, when, to which record, with the before and after state."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import repository as repo
from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import Principal
from jangkau.clikit import to_json
from jangkau.kit.spreadsheet import csv_writer

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
    repo.add_audit(
        session,
        AuditEvent(
            user_id=principal.user_id,
            actor=principal.username,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            region_code=region_code,
            before=_dump(before),
            after=_dump(after),
        ),
    )


def record_login(session: Session, username: str, user_id: int | None, client: str, channel: str, outcome: str) -> None:
    """Append one sign-in attempt: who typed which username, from which address, through the page or the API, and
    how it ended (``ok``, ``wrong_password``, ``throttled``, ``totp_wrong``, ...). The password never is.

    A refused attempt raises and rolls the request back: the sign-in edges commit this row before raising.
    """
    repo.add_audit(
        session,
        AuditEvent(
            user_id=user_id,
            actor=username[:80],
            action="login" if outcome in ("ok", "password_ok") else "login_failed",
            entity="user",
            entity_id=None if user_id is None else str(user_id),
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
