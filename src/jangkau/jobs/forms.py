"""Page forms that create something: all or nothing, and once per form.

Each such form carries a one-time ``form_token`` (random, made when the form is shown). The first submission stores
an idempotency record keyed by the user and the token in the same transaction as the change; a second submission of
the same form (a double click, a browser retry) finds it and is sent where the first one went, creating nothing.
A submission the services refuse is rolled back to a savepoint, so nothing is half-saved even though the page then
answers normally with the form and the message.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.models import IdempotencyRecord
from jangkau.auth.principal import Principal
from jangkau.errors import JangkauError

PREFIX = "form:"
MAX_TOKEN = 60


def message(exc: Exception) -> str:
    """What a page shows for a refusal: the service's Bahasa Indonesia message, or each invalid field."""
    if isinstance(exc, JangkauError):
        return exc.message_id or exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return str(exc)


def split_list(text: str) -> list[str]:
    """A comma- or line-separated form field as a list."""
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


def new_token() -> str:
    """A one-time token for a form shown now."""
    return secrets.token_urlsafe(18)


def submit_once(session: Session, principal: Principal, token: str, path: str, produce: Callable[[], str]) -> str:
    """Run ``produce`` (which returns where to go next) once per (user, form token), all or nothing.

    Args:
        token: the form's one-time token; empty or missing runs ``produce`` without the once-only check.
        path: the form's action: the record is per (form, token), so forms of one page may share a token.

    Returns:
        Where to send the browser: ``produce``'s answer, or the first submission's one for a repeated token.

    Raises:
        Whatever ``produce`` raises, after rolling its changes back.
    """
    token = token.strip()[:MAX_TOKEN]
    if not token or principal.user_id is None:
        with session.begin_nested():
            return produce()
    fingerprint = hashlib.sha256(path.encode()).hexdigest()
    key = f"{PREFIX}{fingerprint[:16]}:{token}"  # one record per form: a page may show several with one token
    existing = auth_repo.idempotency_record(session, principal.user_id, key)
    if existing is not None:
        return str(json.loads(existing.body)["redirect"])
    record = IdempotencyRecord(user_id=principal.user_id, key=key, request_hash=fingerprint, status_code=303, body="{}")
    try:
        with session.begin_nested():
            auth_repo.add_idempotency_record(session, record)
    except IntegrityError:
        # a concurrent submission of the same form won (PostgreSQL waited for it to commit): go where it went
        winner = auth_repo.idempotency_record(session, principal.user_id, key)
        if winner is None:
            raise
        return str(json.loads(winner.body)["redirect"])
    try:
        with session.begin_nested():
            target = produce()
    except Exception:
        session.delete(record)
        session.flush()
        raise
    record.body = json.dumps({"redirect": target})
    session.flush()
    return target
