"""``Idempotency-Key`` for POST requests: a retry returns the first answer and creates nothing new.

The first response is stored in the same transaction as the change it reports, so either both exist or
neither. A concurrent duplicate that loses the race (e.g. a NIK conflict) rolls its transaction back, looks the
record up again and replays it once the winner has committed (no savepoint: the request had written nothing
before the change; and it holds at most one pooled connection).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth import repository as auth_repo
from jangkau.auth.models import IdempotencyRecord
from jangkau.auth.principal import Principal
from jangkau.clikit import compact_json
from jangkau.errors import N_, FieldError, FieldRefusal, InvalidInput, JangkauError, bilingual

MAX_KEY = 100


class KeyReused(InvalidInput):
    """The Idempotency-Key was already used for a different request."""

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("This Idempotency-Key was already used for a different request; use a new key")),
            code="idempotency_key_reused",
            fields=[FieldError("Idempotency-Key", *bilingual(N_("already used for another request")))],
        )


class KeyLength(FieldRefusal):
    """An Idempotency-Key has 1-100 characters."""

    def __init__(self) -> None:
        super().__init__("Idempotency-Key", N_("must be 1-%(max)s characters"), max=MAX_KEY)


def request_fingerprint(method: str, path: str, body: Any) -> str:
    payload = json.dumps([method, path, body], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class StoredJSON(JSONResponse):
    """A JSON answer whose text is already written (the stored record's body): sent as it is, not parsed and dumped
    again."""

    def render(self, content: Any) -> bytes:
        return str(content).encode()


def _answer(status: int, text: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return StoredJSON(text, status_code=status, headers=headers)


def _replay(record: IdempotencyRecord, fingerprint: str) -> JSONResponse:
    if record.request_hash != fingerprint:
        raise KeyReused
    return _answer(record.status_code, record.body, {"Idempotent-Replay": "true"})


def run_idempotent(
    session: Session,
    _factory: sessionmaker[Session] | None,
    principal: Principal,
    key: str | None,
    fingerprint: str,
    produce: Callable[[], tuple[int, dict[str, Any]]],
) -> JSONResponse:
    """Run ``produce`` once per (user, key); later calls with the same key replay its response.

    Args:
        session: the request's session (the change and the record commit together). It must hold nothing to keep
            but what ``produce`` writes: a refusal rolls it back whole before looking for a concurrent winner.
        _factory: unused, kept for the callers (the lookup after a lost race uses ``session``, not a second
            connection).
        key: the ``Idempotency-Key`` header, or ``None`` to just run ``produce``.
        fingerprint: what the request was (a reused key with another request is refused).
    """
    if key is None or principal.user_id is None:
        status, body = produce()
        return _answer(status, compact_json(body))
    if not 1 <= len(key) <= MAX_KEY:
        raise KeyLength
    existing = auth_repo.idempotency_record(session, principal.user_id, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        status, body = produce()
        text = compact_json(body)
        record = IdempotencyRecord(
            user_id=principal.user_id, key=key, request_hash=fingerprint, status_code=status, body=text
        )
        auth_repo.add_idempotency_record(session, record)
    except (JangkauError, IntegrityError):
        # A concurrent request with the same key may have won (its change made ours clash, or its record did).
        # Nothing of this request's transaction is kept (before ``produce`` it only read), so it is rolled back
        # whole; in READ COMMITTED the next statement sees what the winner committed. The session gives its
        # connection back on rollback: a request never holds two connections from the pool.
        session.rollback()
        winner = auth_repo.idempotency_record(session, principal.user_id, key)
        if winner is not None:
            return _replay(winner, fingerprint)
        raise
    return _answer(status, text)
