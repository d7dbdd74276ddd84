"""Accounts: create users, sign in with lockout, issue and check API tokens, build the caller's Principal."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth import repository as repo
from jangkau.auth.models import ApiToken, User
from jangkau.auth.principal import EVERYWHERE, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.secrets import MIN_PASSWORD_LENGTH, hash_password, new_api_token, token_hash, verify_password
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.errors import Conflict, FieldError, InvalidInput, JangkauError
from jangkau.regions import repository as regions
from jangkau.regions.codes import parse_region_code

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")


class LoginFailed(JangkauError):
    """Wrong username or password, or a locked account (HTTP 401)."""

    def __init__(self, message: str, message_id: str, code: str = "login_failed") -> None:
        super().__init__(message, message_id, code, 401)


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: Role
    password: str
    scope: tuple[str, ...]
    agent_kind: AgentKind | None = None
    institution: str | None = None
    person_id: int | None = None
    employer_id: int | None = None


def create_user(session: Session, data: NewUser, by: Principal) -> User:
    """Create an account.

    Raises:
        InvalidInput: bad username, short password, unknown scope region, a field agent without a kind.
        Conflict: the username is taken.
    """
    errors = _user_errors(session, data)
    if errors:
        text = "; ".join(f"{e.field}: {e.message}" for e in errors)
        raise InvalidInput(f"The account has errors: {text}", f"Akun belum benar: {text}", fields=errors)
    if repo.user_by_username(session, data.username) is not None:
        raise Conflict(f"Username {data.username} is taken", f"Nama pengguna {data.username} sudah dipakai")
    user = repo.add_user(
        session,
        User(
            username=data.username,
            full_name=data.full_name,
            role=data.role.value,
            agent_kind=data.agent_kind.value if data.agent_kind else None,
            institution=data.institution,
            password_hash=hash_password(data.password),
            person_id=data.person_id,
            employer_id=data.employer_id,
        ),
        [parse_region_code(p).code if p else "" for p in data.scope],
    )
    audit.record(
        session,
        by,
        "create",
        "user",
        user.id,
        after={"username": user.username, "role": user.role, "scope": list(data.scope)},
    )
    return user


def _user_errors(session: Session, data: NewUser) -> list[FieldError]:
    errors: list[FieldError] = []
    if not _USERNAME.match(data.username):
        errors.append(
            FieldError(
                "username",
                "3-60 lowercase letters, digits, dot, dash or underscore",
                "3-60 huruf kecil, angka, titik, strip atau garis bawah",
            )
        )
    if len(data.password) < MIN_PASSWORD_LENGTH:
        errors.append(
            FieldError(
                "password", f"at least {MIN_PASSWORD_LENGTH} characters", f"minimal {MIN_PASSWORD_LENGTH} karakter"
            )
        )
    if data.role is Role.FIELD_AGENT and data.agent_kind is None:
        errors.append(
            FieldError(
                "agent_kind",
                "a field agent needs a kind (bhabinkamtibmas, babinsa, ...)",
                "petugas lapangan perlu jenis (bhabinkamtibmas, babinsa, ...)",
            )
        )
    if not data.scope:
        errors.append(
            FieldError(
                "scope",
                "give at least one region (e.g. 12.71), or '' for the whole country",
                "isi minimal satu wilayah (mis. 12.71)",
            )
        )
    for prefix in data.scope:
        if prefix == "":
            continue
        try:
            code = parse_region_code(prefix, "scope").code
        except InvalidInput as exc:
            errors.extend(exc.fields)
            continue
        if not regions.exists(session, code):
            errors.append(FieldError("scope", f"region {code} does not exist", f"wilayah {code} tidak ada"))
    return errors


PUBLIC_ROLES = frozenset({Role.WORKER, Role.EMPLOYER, Role.SPONSOR})
"""Roles that see people by ownership (their own records, those they registered, their workers or members),
never by territory: their ``scope`` is empty, so every territory-filtered query returns nothing to them."""


def principal_for(session: Session, user: User) -> Principal:
    role = Role(user.role)
    home = repo.scope_of(session, user.id) or ()
    return Principal(
        user_id=user.id,
        username=user.username,
        role=role,
        scope=() if role in PUBLIC_ROLES else home,
        agent_kind=user.agent_kind,
        person_id=user.person_id,
        employer_id=user.employer_id,
        home=home,
    )


def authenticate(session: Session, username: str, password: str, now: dt.datetime | None = None) -> User:
    """Check a username and password; lock the account after repeated failures.

    Raises:
        LoginFailed: unknown user, wrong password, inactive or locked account (the message does not say which
            of unknown user or wrong password it was).
    """
    settings = get_settings()
    now = now or utcnow()
    user = repo.user_by_username(session, username.strip().lower())
    if user is None or not user.is_active:
        verify_password(hash_password("x" * MIN_PASSWORD_LENGTH), password)  # same work either way
        raise LoginFailed("Wrong username or password", "Nama pengguna atau kata sandi salah")
    if user.locked_until and user.locked_until > now:
        minutes = int((user.locked_until - now).total_seconds() // 60) + 1
        raise LoginFailed(
            f"Too many failed logins: the account is locked for {minutes} more minutes",
            f"Terlalu banyak gagal masuk: akun dikunci {minutes} menit lagi",
            code="account_locked",
        )
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= settings.lockout_threshold:
            user.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
            user.failed_logins = 0
        session.flush()
        raise LoginFailed("Wrong username or password", "Nama pengguna atau kata sandi salah")
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    return user


def issue_api_token(session: Session, user: User, name: str = "api") -> tuple[str, ApiToken]:
    """A new API token for ``user`` (returned once; only its hash is stored)."""
    token, hashed = new_api_token()
    expires = utcnow() + dt.timedelta(days=get_settings().api_token_days)
    return token, repo.add_token(session, ApiToken(user_id=user.id, token_hash=hashed, name=name, expires_at=expires))


def principal_from_token(session: Session, token: str) -> Principal | None:
    """The principal of a valid, unexpired, unrevoked token; ``None`` otherwise."""
    stored = repo.token_by_hash(session, token_hash(token), utcnow())
    if stored is None:
        return None
    user = repo.user_by_id(session, stored.user_id)
    if user is None or not user.is_active:
        return None
    return principal_for(session, user)


def end_sessions(session: Session, user: User) -> None:
    """Invalidate every session cookie of the user (logout everywhere)."""
    user.session_version += 1
    session.flush()


__all__ = ["EVERYWHERE", "LoginFailed", "NewUser", "authenticate", "create_user", "principal_for"]
