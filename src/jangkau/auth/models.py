"""Users, their territory, API tokens, the audit log and idempotency records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.auth.roles import AgentKind, Role
from jangkau.db.base import Base, Timestamps, utcnow
from jangkau.db.types import BigId, UtcDateTime

ROLES = tuple(r.value for r in Role)
AGENT_KINDS = tuple(k.value for k in AgentKind)


class User(Base, Timestamps):
    """A person who signs in: staff, field agent, sponsor, employer or worker."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint(f"agent_kind IS NULL OR agent_kind IN {AGENT_KINDS}", name="agent_kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(150))
    role: Mapped[str] = mapped_column(String(20))
    agent_kind: Mapped[str | None] = mapped_column(String(20))
    institution: Mapped[str | None] = mapped_column(String(150))
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # unused since login throttling (issue 16)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # unused: no hard lockout any more
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # base32; set on enrolment, confirmed by a code
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # the last accepted 30 s step: no replay

    @property
    def has_totp(self) -> bool:
        """Whether sign-in asks for a TOTP code (enrolled and confirmed)."""
        return self.totp_secret is not None and self.totp_confirmed_at is not None


class UserScope(Base):
    """One region prefix of a user's territory (``12.71`` = Kota Medan; ``""`` = the whole country)."""

    __tablename__ = "user_scope"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    region_prefix: Mapped[str] = mapped_column(String(13), primary_key=True)


class UserSession(Base):
    """One sign-in through the page: the session cookie names it, so it can be listed and ended on its own."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ip: Mapped[str] = mapped_column(String(45))
    user_agent: Mapped[str] = mapped_column(String(200))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class PasswordReset(Base):
    """A one-time link to set a new password, made by an administrator: only the token's SHA-256 hash is stored;
    it works once (``used_at``) and until ``expires_at``. A newer link for the same user ends the older ones."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """An API token for integrations; only its SHA-256 hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """Append-only record of a change or of a staff read of a full personal record."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40), index=True)
    region_code: Mapped[str | None] = mapped_column(String(13))
    source_ip: Mapped[str | None] = mapped_column(String(45))  # where the request came from (None: CLI, task)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class IdempotencyRecord(Base):
    """The first response to a request carrying an ``Idempotency-Key``, replayed to retries."""

    __tablename__ = "idempotency_record"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditSeal(Base):
    """The digest of one day of the audit log, chained to the previous day's: editing any sealed row shows."""

    __tablename__ = "audit_seal"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    first_event_id: Mapped[int | None] = mapped_column(BigInteger)
    last_event_id: Mapped[int | None] = mapped_column(BigInteger)
    previous_digest: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
