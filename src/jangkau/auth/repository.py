"""All SQL of the auth domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from jangkau.auth.models import (
    ApiToken,
    AuditEvent,
    AuditSeal,
    IdempotencyRecord,
    PasswordReset,
    User,
    UserScope,
    UserSession,
)
from jangkau.kit.pagination import Page, PageRequest


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


AUDIT_TABLE = cast(Table, AuditEvent.__table__)


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def add_user(session: Session, user: User, scope: Sequence[str]) -> User:
    session.add(user)
    session.flush()
    set_scope(session, user.id, scope)
    return user


def set_scope(session: Session, user_id: int, scope: Sequence[str]) -> None:
    session.execute(delete(UserScope).where(UserScope.user_id == user_id))
    if scope:
        session.execute(insert(UserScope), [{"user_id": user_id, "region_prefix": p} for p in sorted(set(scope))])


def scope_of(session: Session, user_id: int) -> tuple[str, ...]:
    return tuple(
        session.scalars(
            select(UserScope.region_prefix).where(UserScope.user_id == user_id).order_by(UserScope.region_prefix)
        )
    )


def list_users(session: Session, page: PageRequest, text: str = "") -> Page[User]:
    """Accounts by username; ``text`` keeps those whose username or full name contains it (any case)."""
    conditions = []
    if text.strip():
        like = "%" + text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            func.lower(User.username).like(like, escape="\\") | func.lower(User.full_name).like(like, escape="\\")
        )
    total = session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    rows = session.scalars(
        select(User).where(*conditions).order_by(User.username).offset(page.offset).limit(page.size)
    ).all()
    return Page.of(list(rows), total, page)


def add_token(session: Session, token: ApiToken) -> ApiToken:
    session.add(token)
    session.flush()
    return token


def token_by_hash(session: Session, hashed: str, now: dt.datetime) -> ApiToken | None:
    return session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hashed, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
    ).first()


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc()).limit(200))
    )


def token_of(session: Session, user_id: int, token_id: int) -> ApiToken | None:
    return session.scalars(select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.id == token_id)).first()


def add_session(session: Session, row: UserSession) -> UserSession:
    session.add(row)
    session.flush()
    return row


def open_session_of(session: Session, user_id: int, session_id: int, now: dt.datetime) -> UserSession | None:
    return session.scalars(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
        )
    ).first()


def open_sessions(session: Session, user_id: int, now: dt.datetime) -> list[UserSession]:
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None), UserSession.expires_at > now)
            .order_by(UserSession.id.desc())
            .limit(200)
        )
    )


def end_open_sessions(session: Session, user_id: int, now: dt.datetime) -> None:
    session.execute(
        update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None)).values(ended_at=now)
    )


def add_audit(session: Session, event: AuditEvent) -> None:
    session.add(event)
    session.flush()


def add_audit_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append events (column values) with one multi-row INSERT, after flushing what the session holds (as
    :func:`add_audit` does). The ids follow the order given."""
    session.flush()
    session.execute(insert(AUDIT_TABLE), list(rows))  # Core, compiled once: the events are not read back


def list_audit(
    session: Session, page: PageRequest, entity: str | None = None, user_id: int | None = None
) -> Page[AuditEvent]:
    conditions = []
    if entity:
        conditions.append(AuditEvent.entity == entity)
    if user_id is not None:
        conditions.append(AuditEvent.user_id == user_id)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions)) or 0
    rows = session.scalars(
        select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc()).offset(page.offset).limit(page.size)
    ).all()
    return Page.of(list(rows), total, page)


def all_audit(session: Session) -> Sequence[AuditEvent]:
    return session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def idempotency_record(session: Session, user_id: int, key: str) -> IdempotencyRecord | None:
    return session.get(IdempotencyRecord, (user_id, key))


def add_idempotency_record(session: Session, record: IdempotencyRecord) -> None:
    session.add(record)
    session.flush()


def audit_of_day(session: Session, day: dt.date) -> Sequence[AuditEvent]:
    """The events of one UTC day, read afresh from the database (not from the session's cache), in id order."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.at >= start, AuditEvent.at < start + dt.timedelta(days=1))
        .order_by(AuditEvent.id)
        .execution_options(populate_existing=True)
    ).all()


def first_audit_day(session: Session) -> dt.date | None:
    first = session.scalar(select(AuditEvent.at).order_by(AuditEvent.id).limit(1))
    return first.astimezone(dt.UTC).date() if first is not None else None


def last_seal(session: Session) -> AuditSeal | None:
    return session.scalars(select(AuditSeal).order_by(AuditSeal.day.desc()).limit(1)).first()


def all_seals(session: Session) -> Sequence[AuditSeal]:
    return session.scalars(select(AuditSeal).order_by(AuditSeal.day)).all()


def add_seal(session: Session, seal: AuditSeal) -> AuditSeal:
    session.add(seal)
    session.flush()
    return seal


def audit_of_record(
    session: Session, entity: str, entity_id: str, actions: Sequence[str], limit: int
) -> Sequence[AuditEvent]:
    """The audit events of one record with one of ``actions``, newest first."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id, AuditEvent.action.in_(actions))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()


def add_reset(session: Session, reset: PasswordReset) -> PasswordReset:
    session.add(reset)
    session.flush()
    return reset


def open_reset(session: Session, hashed: str, now: dt.datetime) -> PasswordReset | None:
    """The unused, unexpired link with this token hash (locked for update where the database can)."""
    return session.scalars(
        select(PasswordReset)
        .where(PasswordReset.token_hash == hashed, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now)
        .with_for_update()
    ).first()


def end_resets(session: Session, user_id: int, now: dt.datetime) -> None:
    """Close every unused link of the user (a newer one was made, or the password was set)."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )


def scopes_of(session: Session, user_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The territory prefixes of several users at once."""
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(UserScope.user_id, UserScope.region_prefix)
        .where(UserScope.user_id.in_(list(user_ids)))
        .order_by(UserScope.region_prefix)
    )
    for user_id, prefix in rows:
        found.setdefault(user_id, []).append(prefix)
    return {k: tuple(v) for k, v in found.items()}


def count_users(session: Session, *, active: bool | None = None) -> int:
    conditions = [] if active is None else [User.is_active.is_(active)]
    return session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
