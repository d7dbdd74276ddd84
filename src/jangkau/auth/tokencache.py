"""Who an API token belongs to, remembered for a few seconds per process (``auth_cache_seconds``).

A bearer request needed three queries (token, user, territory) before its own work. The answer is kept for at most
``auth_cache_seconds`` and never past the token's expiry. Any change to an account, its territory or a token made
through this process's sessions empties the cache when it is flushed and again when it commits (a lookup that
started before the commit does not store what it read). A change made by another process (another worker, the
CLI) is seen within ``auth_cache_seconds``; 0 turns the cache off.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from jangkau.auth.models import ApiToken, User, UserScope
from jangkau.auth.principal import Principal

_WATCHED = (User, UserScope, ApiToken)
_WATCHED_TABLES = frozenset(m.__tablename__ for m in _WATCHED)
_CHANGED = "jangkau_auth_changed"
_MAX_ENTRIES = 10_000


class PrincipalCache:
    """(database, token hash) -> principal, each entry until a monotonic deadline; thread-safe."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[float, Principal]] = {}
        self._lock = threading.Lock()
        self.generation = 0

    def get(self, key: tuple[str, str]) -> Principal | None:
        found = self._entries.get(key)
        if found is None:
            return None
        until, principal = found
        if time.monotonic() >= until:
            with self._lock:
                self._entries.pop(key, None)
            return None
        return principal

    def put(self, key: tuple[str, str], principal: Principal, seconds: float, generation: int) -> None:
        """Remember ``principal`` for ``seconds``, unless the cache was emptied since ``generation`` was read."""
        if seconds <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return  # an account or token changed while this lookup ran: what it read may be stale
            if len(self._entries) >= _MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + seconds, principal)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.generation += 1


CACHE = PrincipalCache()


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, _WATCHED) for obj in changed):
        session.info[_CHANGED] = True
        CACHE.clear()


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        table: Any = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _WATCHED_TABLES:
            state.session.info[_CHANGED] = True
            CACHE.clear()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        CACHE.clear()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
