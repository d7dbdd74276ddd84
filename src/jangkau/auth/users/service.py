"""User administration (``users.manage``): create and edit accounts, deactivate and reactivate them, and make a
one-time link with which a user sets their own password. Every change is in the audit log."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth import repository as repo
from jangkau.auth.errors import AccountInvalid, OwnAccountChange, PasswordNotChanged, ResetLinkInvalid
from jangkau.auth.models import PasswordReset, User
from jangkau.auth.principal import Principal
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.secrets import hash_password, password_problems, token_hash
from jangkau.auth.service import USERNAME, NewUser, create_user, end_sessions
from jangkau.db.base import utcnow
from jangkau.errors import FieldError
from jangkau.i18n import N_, bilingual
from jangkau.regions.service import RegionChoice, find_by_name

RESET_LINK_HOURS = 72
"""How long a one-time password link works (it also ends when used or when a newer link is made)."""

STAFF_ROLES = (
    Role.BRANCH_OFFICER,
    Role.REGION_OFFICER,
    Role.OPD_OFFICER,
    Role.FIELD_AGENT,
    Role.RULES_ADMIN,
    Role.ADMIN,
)
"""The roles an administrator gives in the browser. Worker, employer and sponsor accounts belong to a person, an
employer or a programme and are made where those are (self-service, the employer's page, ``sponsors grant``)."""

_CODE_IN_TEXT = re.compile(r"\(([\d.]+)\)\s*$")


@dataclass(frozen=True)
class AccountForm:
    """What the user form sends, as typed (kept on the page when refused)."""

    full_name: str
    role: str
    region: str = ""
    region_code: str = ""
    agent_kind: str = ""
    institution: str = ""
    whole_country: bool = False


@dataclass(frozen=True)
class Account:
    """A checked form: the values an account is made or changed with."""

    full_name: str
    role: Role
    scope: tuple[str, ...]
    agent_kind: AgentKind | None
    institution: str | None


def region_choices(session: Session, text: str) -> list[RegionChoice]:
    """The regions that the form's region text could mean (to choose from when there are several)."""
    return find_by_name(session, text) if text.strip() and not _CODE_IN_TEXT.search(text) else []


def check_form(
    session: Session, form: AccountForm, username: str | None = None, current_role: str | None = None
) -> Account:
    """Turn the form into an :class:`Account`: a name, a role given in the browser, a kind for a field agent, and a
    territory found by region name (``Kota Medan``), code (``12.71``) or a suggestion (``Kota Medan (12.71)``);
    several regions are separated by ``;``.

    Raises:
        AccountInvalid: naming each field that is wrong (a region name that fits several regions says so); with
            ``username`` (a new account) also a malformed or taken username. ``current_role`` (an account being
            edited) stays allowed even when it is not one given in the browser (a worker's account keeps its role).
    """
    errors: list[FieldError] = [] if username is None else _username_errors(session, username)
    if not form.full_name.strip():
        errors.append(FieldError("full_name", *bilingual(N_("give the person's full name"))))
    elif len(form.full_name.strip()) > 150:
        errors.append(FieldError("full_name", *bilingual(N_("at most %(n)s characters"), n=150)))
    allowed = {r.value for r in STAFF_ROLES} | ({current_role} if current_role else set())
    role = Role(form.role) if form.role in allowed and form.role in {r.value for r in Role} else None
    if role is None:
        errors.append(FieldError("role", *bilingual(N_("choose a role"))))
    kind = AgentKind(form.agent_kind) if form.agent_kind in {k.value for k in AgentKind} else None
    if role is Role.FIELD_AGENT and kind is None:
        errors.append(FieldError("agent_kind", *bilingual(N_("choose the kind of field agent"))))
    scope = ("",) if form.whole_country else _scope(session, form, errors)
    if errors or role is None:
        raise AccountInvalid(errors)
    institution = form.institution.strip()[:150] or None
    return Account(form.full_name.strip(), role, scope, kind if role is Role.FIELD_AGENT else None, institution)


def _username_errors(session: Session, username: str) -> list[FieldError]:
    name = username.strip().lower()
    if not USERNAME.match(name):
        return [FieldError("username", *bilingual(N_("3-60 lowercase letters, digits, dot, dash or underscore")))]
    if repo.user_by_username(session, name) is not None:
        return [FieldError("username", *bilingual(N_("Username %(username)s is taken"), username=name))]
    return []


def _scope(session: Session, form: AccountForm, errors: list[FieldError]) -> tuple[str, ...]:
    if form.region_code.strip():
        texts = [form.region_code.strip()]
    else:
        texts = [t.strip() for t in form.region.split(";") if t.strip()]
    if not texts:
        errors.append(FieldError("region", *bilingual(N_("type the name of the region the user works in"))))
        return ()
    codes: list[str] = []
    for text in texts:
        code = _CODE_IN_TEXT.search(text)
        found = find_by_name(session, code.group(1) if code else text)
        if len(found) == 1:
            codes.append(found[0].code)
        elif not found:
            errors.append(FieldError("region", *bilingual(N_("no region is called %(name)s"), name=text)))
        else:
            errors.append(
                FieldError("region", *bilingual(N_("several regions are called %(name)s: choose one"), name=text))
            )
    return tuple(codes)


def create_account(session: Session, username: str, account: Account, by: Principal) -> User:
    """Create an account with a password nobody knows: the administrator makes a one-time link for the user next.

    Raises:
        AccountInvalid: a bad username. UsernameTaken: another account has it.
    """
    name = username.strip().lower()
    password = secrets.token_urlsafe(24)
    while password_problems(password, name, account.role.value):
        password = secrets.token_urlsafe(24)
    data = NewUser(
        username=name,
        full_name=account.full_name,
        role=account.role,
        password=password,
        scope=account.scope,
        agent_kind=account.agent_kind,
        institution=account.institution,
    )
    return create_user(session, data, by)


def update_account(session: Session, user: User, account: Account, by: Principal) -> None:
    """Change a user's name, role, kind, institution and territory (in force from the user's next request).

    Raises:
        OwnAccountChange: an administrator taking away their own role.
    """
    if user.id == by.user_id and account.role.value != user.role:
        raise OwnAccountChange
    before = _state(session, user)
    user.full_name = account.full_name
    user.role = account.role.value
    user.agent_kind = account.agent_kind.value if account.agent_kind else None
    user.institution = account.institution
    repo.set_scope(session, user.id, account.scope)
    session.flush()
    after = _state(session, user)
    if after != before:
        audit.record(session, by, "update", "user", user.id, before=before, after=after)


def _state(session: Session, user: User) -> dict[str, object]:
    return {
        "full_name": user.full_name,
        "role": user.role,
        "agent_kind": user.agent_kind,
        "institution": user.institution,
        "scope": list(repo.scope_of(session, user.id)),
    }


def set_active(session: Session, user: User, active: bool, by: Principal) -> None:
    """Deactivate (the user can no longer sign in, every session and open password link ends; API tokens stop
    working) or reactivate an account.

    Raises:
        OwnAccountChange: an administrator deactivating their own account.
    """
    if not active and user.id == by.user_id:
        raise OwnAccountChange
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_sessions(session, user)
        repo.end_resets(session, user.id, utcnow())
    session.flush()
    audit.record(session, by, "reactivate" if active else "deactivate", "user", user.id)


def make_reset_link(session: Session, user: User, by: Principal) -> str:
    """A new one-time password token for ``user`` (shown once; only its hash is stored); older links end.

    Returns:
        The token, to put in ``/password/<token>``.
    """
    now = utcnow()
    repo.end_resets(session, user.id, now)
    token = secrets.token_urlsafe(32)
    repo.add_reset(
        session,
        PasswordReset(
            user_id=user.id,
            token_hash=token_hash(token),
            created_by=by.user_id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=RESET_LINK_HOURS),
        ),
    )
    audit.record(session, by, "password_link", "user", user.id, after={"hours": RESET_LINK_HOURS})
    return token


def reset_user(session: Session, token: str) -> User:
    """The active user whose unused, unexpired link this is.

    Raises:
        ResetLinkInvalid: unknown, used, expired or replaced link, or an inactive account.
    """
    found = repo.open_reset(session, token_hash(token.strip()[:100]), utcnow())
    user = repo.user_by_id(session, found.user_id) if found is not None else None
    if user is None or not user.is_active:
        raise ResetLinkInvalid
    return user


def set_password_by_link(session: Session, token: str, password: str, repeated: str) -> User:
    """Set the password with a one-time link: the policy applies, the link ends, every session of the user ends.

    Raises:
        ResetLinkInvalid: see :func:`reset_user`. PasswordNotChanged: a weak password, or the two do not match.
    """
    user = reset_user(session, token)
    errors = [FieldError("new_password", en, id_) for en, id_ in password_problems(password, user.username, user.role)]
    if password != repeated:
        errors.append(FieldError("repeat_password", *bilingual(N_("the two passwords differ"))))
    if errors:
        raise PasswordNotChanged(errors)
    user.password_hash = hash_password(password)
    repo.end_resets(session, user.id, utcnow())
    end_sessions(session, user)
    me = Principal(user_id=user.id, username=user.username, role=Role(user.role), scope=())
    audit.record(session, me, "set_password_by_link", "user", user.id)
    return user


def user_counts(session: Session) -> dict[str, int]:
    """Active and deactivated accounts (the administrator's home page)."""
    active = repo.count_users(session, active=True)
    return {"active": active, "inactive": repo.count_users(session) - active}
