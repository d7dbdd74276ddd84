"""Accounts: create users, sign in (throttled, audited, TOTP), issue and check API tokens, build the Principal."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import NoReturn

from limits import parse as parse_limit
from sqlalchemy.orm import Session

from jangkau.auth import audit, throttle, tokencache
from jangkau.auth import repository as repo
from jangkau.auth.errors import (
    AccountInvalid,
    LoginFailed,
    PasswordNotChanged,
    SecondFactorActive,
    SecondFactorEnrolmentRequired,
    SecondFactorRequired,
    SessionNotFound,
    TokenNotFound,
    UsernameTaken,
    WrongTotpCode,
)
from jangkau.auth.models import ApiToken, User, UserSession
from jangkau.auth.principal import EVERYWHERE, Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.secrets import (
    hash_password,
    new_api_token,
    new_totp_secret,
    password_problems,
    token_hash,
    totp_step,
    verify_password,
)
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.db.engine import database_name
from jangkau.errors import FieldError, InvalidInput, JangkauError
from jangkau.i18n import N_, bilingual
from jangkau.regions import repository as regions
from jangkau.regions.codes import parse_region_code

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
"""What a username may be: 3-60 lowercase letters, digits, dot, dash or underscore, not starting with a sign."""
_DUMMY_HASH = hash_password("not-a-real-password-x")


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
        raise AccountInvalid(errors)
    if repo.user_by_username(session, data.username) is not None:
        raise UsernameTaken(data.username)
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
    if not USERNAME.match(data.username):
        errors.append(FieldError("username", *bilingual(N_("3-60 lowercase letters, digits, dot, dash or underscore"))))
    errors.extend(
        FieldError("password", en, id_) for en, id_ in password_problems(data.password, data.username, data.role.value)
    )
    if data.role is Role.FIELD_AGENT and data.agent_kind is None:
        errors.append(
            FieldError("agent_kind", *bilingual(N_("a field agent needs a kind (bhabinkamtibmas, babinsa, ...)")))
        )
    if not data.scope:
        errors.append(
            FieldError("scope", *bilingual(N_("give at least one region (e.g. 12.71), or '' for the whole country")))
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
            errors.append(FieldError("scope", *bilingual(N_("region %(code)s does not exist"), code=code)))
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


@dataclass(frozen=True)
class LoginAttempt:
    """One sign-in: what was typed, from where (``client``: the peer address; behind a reverse proxy this is the
    proxy's), through which door (``page`` or ``api``)."""

    username: str
    password: str
    client: str
    channel: str
    totp: str | None = None  # the API sends it with the password; the page asks for it in a second step


_WRONG = bilingual(N_("Wrong username or password"))


def _limits(setting: str) -> list[str]:
    return [part.strip() for part in setting.split(";") if part.strip()]


def _login_keys(username: str, client: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each login limit with its counter key: (username, IP) tight, IP loose, username across IPs high."""
    settings = get_settings()
    name, ip = throttle.digest(username), throttle.digest(client)
    keyed = [
        (settings.login_limit_user_ip, ("login-user-ip", name, ip)),
        (settings.login_limit_ip, ("login-ip", ip)),
        (settings.login_limit_user, ("login-user", name)),
    ]
    return [(limit, key) for setting, key in keyed for limit in _limits(setting)]


def _check_throttle(username: str, client: str) -> None:
    """Raise :class:`Throttled` (429, Retry-After) when any login limit is used up; counts nothing."""
    limiter = throttle.get_throttle()
    waits = [
        limiter.retry_after(parse_limit(limit), *key)
        for limit, key in _login_keys(username, client)
        if not limiter.allowed(limit, *key)
    ]
    if waits:
        raise throttle.Throttled(max(waits))


def _count_failure(username: str, client: str) -> None:
    limiter = throttle.get_throttle()
    for limit, key in _login_keys(username, client):
        with contextlib.suppress(throttle.Throttled):
            limiter.hit(limit, *key)


def _forget_failures(username: str, client: str) -> None:
    """After a good password the typo count of this (username, IP) starts again; the other counters stay."""
    limiter = throttle.get_throttle()
    for limit, key in _login_keys(username, client):
        if key[0] == "login-user-ip":
            limiter.clear(limit, *key)


def _refuse(session: Session, attempt: LoginAttempt, user: User | None, outcome: str, error: JangkauError) -> NoReturn:
    """Count the failure, write its audit row, raise ``error``."""
    _count_failure(attempt.username, attempt.client)
    audit.record_login(session, attempt.username, user.id if user else None, attempt.client, attempt.channel, outcome)
    raise error


def authenticate(session: Session, attempt: LoginAttempt, *, second_step: bool = False) -> User:
    """Check a sign-in; every attempt, refused or not, is written to the audit log in ``session``.

    Failures are counted in the rate-limit storage (never in the database, so a rollback does not undo them) per
    (username, client IP), per IP and per username; when a limit is used up the attempt is refused with 429 before
    the password is even checked. There is no hard lockout: the real user's own IP keeps its allowance.
    With ``second_step`` (the page) a TOTP account is not asked for its code here: the caller asks next.

    Raises:
        Throttled: too many failures (429 with Retry-After).
        LoginFailed: unknown user, wrong password, inactive account, wrong TOTP code (the message does not say
            which of unknown user or wrong password it was).
        SecondFactorRequired: a TOTP account signing in through the API without a code.
        SecondFactorEnrolmentRequired: an API sign-in of a role that must use TOTP, not set up yet.
    """
    username = attempt.username.strip().lower()
    attempt = dataclasses.replace(attempt, username=username)
    user = repo.user_by_username(session, username)
    try:
        _check_throttle(username, attempt.client)
    except throttle.Throttled:
        audit.record_login(session, username, user.id if user else None, attempt.client, attempt.channel, "throttled")
        raise
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, attempt.password)  # same work either way
        _refuse(session, attempt, user, "unknown_user" if user is None else "inactive", LoginFailed(*_WRONG))
    if not verify_password(user.password_hash, attempt.password):
        _refuse(session, attempt, user, "wrong_password", LoginFailed(*_WRONG))
    if second_step:
        outcome = "password_ok" if user.has_totp else "ok"
    else:
        _api_second_factor(session, attempt, user)
        outcome = "ok"
    _forget_failures(username, attempt.client)
    audit.record_login(session, username, user.id, attempt.client, attempt.channel, outcome)
    return user


def _api_second_factor(session: Session, attempt: LoginAttempt, user: User) -> None:
    if user.has_totp:
        if not attempt.totp:
            _refuse(session, attempt, user, "totp_missing", SecondFactorRequired())
        _check_code(session, attempt, user)
    elif needs_totp_enrolment(user):
        _refuse(session, attempt, user, "totp_not_enrolled", SecondFactorEnrolmentRequired())


def _check_code(session: Session, attempt: LoginAttempt, user: User) -> None:
    step = totp_step(user.totp_secret or "", attempt.totp or "", user.totp_last_step)
    if step is None:
        _refuse(
            session,
            attempt,
            user,
            "totp_wrong",
            LoginFailed(*bilingual(N_("Wrong or already used code")), code="totp_failed"),
        )
    user.totp_last_step = step
    session.flush()


def second_factor(session: Session, user: User, code: str, client: str, channel: str = "page") -> User:
    """The page's second step: check the TOTP code of ``user`` (whose password was right moments ago).

    Raises:
        Throttled: too many failures. LoginFailed: a wrong or replayed code.
    """
    attempt = LoginAttempt(user.username, "", client, channel, code)
    try:
        _check_throttle(user.username, client)
    except throttle.Throttled:
        audit.record_login(session, user.username, user.id, client, channel, "throttled")
        raise
    _check_code(session, attempt, user)
    audit.record_login(session, user.username, user.id, client, channel, "ok")
    return user


def needs_totp_enrolment(user: User) -> bool:
    """Whether the user's role must use a second factor (``JANGKAU_TOTP_REQUIRED_ROLES``) and has none yet."""
    return user.role in get_settings().totp_roles() and not user.has_totp


def issue_api_token(session: Session, user: User, name: str = "api") -> tuple[str, ApiToken]:
    """A new API token for ``user`` (returned once; only its hash is stored)."""
    token, hashed = new_api_token()
    expires = utcnow() + dt.timedelta(days=get_settings().api_token_days)
    return token, repo.add_token(session, ApiToken(user_id=user.id, token_hash=hashed, name=name, expires_at=expires))


def principal_from_token(session: Session, token: str) -> Principal | None:
    """The principal of a valid, unexpired, unrevoked token; ``None`` otherwise.

    A valid token's principal is remembered for ``auth_cache_seconds`` (:mod:`jangkau.auth.tokencache`).
    """
    key = (database_name(session), token_hash(token))
    cached = tokencache.CACHE.get(key)
    if cached is not None:
        return cached
    generation = tokencache.CACHE.generation
    now = utcnow()
    stored = repo.token_by_hash(session, key[1], now)
    if stored is None:
        return None
    user = repo.user_by_id(session, stored.user_id)
    if user is None or not user.is_active:
        return None
    if needs_totp_enrolment(user):
        raise SecondFactorEnrolmentRequired
    principal = principal_for(session, user)
    seconds = min(get_settings().auth_cache_seconds, (stored.expires_at - now).total_seconds())
    tokencache.CACHE.put(key, principal, seconds, generation)
    return principal


def end_sessions(session: Session, user: User) -> None:
    """Invalidate every session cookie of the user (logout everywhere)."""
    user.session_version += 1
    repo.end_open_sessions(session, user.id, utcnow())
    session.flush()


def open_session(session: Session, user: User, client: str, user_agent: str) -> UserSession:
    """Record a page sign-in; its id goes into the session cookie."""
    now = utcnow()
    row = UserSession(
        user_id=user.id,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=get_settings().session_max_age_seconds),
        ip=client[:45],
        user_agent=user_agent[:200],
    )
    return repo.add_session(session, row)


def session_is_open(session: Session, user_id: int, session_id: int) -> bool:
    return repo.open_session_of(session, user_id, session_id, utcnow()) is not None


def sessions_of(session: Session, user: User) -> list[UserSession]:
    """The user's signed-in sessions that are still open, newest first."""
    return repo.open_sessions(session, user.id, utcnow())


def end_session(session: Session, user: User, session_id: int, by: Principal) -> None:
    """End one session of ``user`` (its cookie stops working at once).

    Raises:
        NotFound: no open session of this user with that id.
    """
    row = repo.open_session_of(session, user.id, session_id, utcnow())
    if row is None:
        raise SessionNotFound(session_id)
    row.ended_at = utcnow()
    session.flush()
    audit.record(session, by, "end_session", "user", user.id, after={"session_id": session_id})


def end_sessions_by(session: Session, user: User, by: Principal) -> None:
    """End every session of ``user`` on behalf of ``by`` (the user or an admin), audited."""
    end_sessions(session, user)
    audit.record(session, by, "end_sessions", "user", user.id)


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first (revoked and expired ones included, marked)."""
    return repo.tokens_of(session, user.id)


def revoke_token(session: Session, user: User, token_id: int, by: Principal) -> ApiToken:
    """Revoke one of ``user``'s API tokens (a token of another user is not found).

    Raises:
        NotFound: no such token of this user.
    """
    stored = repo.token_of(session, user.id, token_id)
    if stored is None:
        raise TokenNotFound(token_id)
    if stored.revoked_at is None:
        stored.revoked_at = utcnow()
        session.flush()
        audit.record(session, by, "revoke_token", "api_token", stored.id, after={"user_id": user.id})
    return stored


def change_password(session: Session, user: User, current: str, new: str, by: Principal) -> None:
    """Change the user's own password (the policy applies) and end the user's other sessions.

    Raises:
        InvalidInput: the current password is wrong, or the new one breaks the policy.
    """
    errors = [FieldError("new_password", en, id_) for en, id_ in password_problems(new, user.username, user.role)]
    if not verify_password(user.password_hash, current):
        errors.insert(0, FieldError("current_password", *bilingual(N_("wrong password"))))
    if errors:
        raise PasswordNotChanged(errors)
    user.password_hash = hash_password(new)
    end_sessions(session, user)
    audit.record(session, by, "change_password", "user", user.id)


def start_totp(session: Session, user: User) -> str:
    """A new TOTP secret for the user, in force once :func:`confirm_totp` sees a code from it.

    Raises:
        Conflict: the user already has a confirmed second factor (an admin resets it first).
    """
    if user.has_totp:
        raise SecondFactorActive
    user.totp_secret = new_totp_secret()
    session.flush()
    return user.totp_secret


def confirm_totp(session: Session, user: User, code: str, by: Principal) -> None:
    """Switch the second factor on after a correct code from the app.

    Raises:
        InvalidInput: no enrolment started, or a wrong code.
    """
    step = totp_step(user.totp_secret, code, None) if user.totp_secret and not user.has_totp else None
    if step is None:
        raise WrongTotpCode
    user.totp_confirmed_at = utcnow()
    user.totp_last_step = step
    session.flush()
    audit.record(session, by, "enrol_totp", "user", user.id)


def reset_totp(session: Session, user: User, by: Principal) -> None:
    """Remove the user's second factor (an admin, for a lost phone); the user enrols again at next sign-in."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    end_sessions(session, user)
    audit.record(session, by, "reset_totp", "user", user.id)


__all__ = ["EVERYWHERE", "LoginAttempt", "LoginFailed", "NewUser", "authenticate", "create_user", "principal_for"]
