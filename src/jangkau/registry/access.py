"""Who may see which person: territory for staff and field agents, ownership for everyone else.

This is the one place that decides. Staff and agents who read the register see the people of their territory (a
region-code prefix).
Workers, employers and sponsors have no territory (:data:`jangkau.auth.service.PUBLIC_ROLES`); they see

- a worker: themselves, and the people they registered (register-someone-else, the JMO way);
- an employer: its own workers (memberships with it) and the people it registered, plus what higher domains add
  (the applicants to its vacancies, from ``jobs``);
- a sponsor: what higher domains add (the members of its programmes, from ``funding``).

Higher domains add ownership through :func:`register_owned_persons` (registry may not import them). A domain that
is not loaded adds nothing, so a missing extension hides records rather than showing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission, Role
from jangkau.db.scope import scope_filter
from jangkau.registry.errors import MembershipNotFound, PersonNotFound
from jangkau.registry.models import Membership, Person
from jangkau.registry.schemas import Registrar

OwnedPersons = Callable[[Principal], "Select[Any] | CompoundSelect[Any] | None"]
"""Given the caller, a ``SELECT person_id ...`` of the people it owns, or ``None`` when it owns none that way."""

_EXTENSIONS: dict[Role, list[OwnedPersons]] = {Role.WORKER: [], Role.EMPLOYER: [], Role.SPONSOR: []}


def register_owned_persons(role: Role, owned: OwnedPersons) -> None:
    """Let a higher domain add the people a role owns (called once, when that domain's access module loads)."""
    if owned not in _EXTENSIONS[role]:
        _EXTENSIONS[role].append(owned)


def _own_conditions(principal: Principal) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if principal.person_id is not None:
        conditions.append(Person.id == principal.person_id)
        conditions.append(Person.registered_by_person_id == principal.person_id)
    if principal.role in (Role.WORKER, Role.EMPLOYER) and principal.user_id is not None:
        kind = "participant" if principal.role is Role.WORKER else "employer"
        conditions.append(and_(Person.registered_by_kind == kind, Person.registered_by_label == principal.username))
    if principal.role is Role.EMPLOYER and principal.employer_id is not None:
        workers = select(Membership.person_id).where(Membership.employer_id == principal.employer_id)
        conditions.append(Person.id.in_(workers))
    for owned in _EXTENSIONS.get(principal.role, []):
        query = owned(principal)
        if query is not None:
            conditions.append(Person.id.in_(query))
    return conditions


def person_filter(principal: Principal) -> ColumnElement[bool]:
    """SQL condition on :class:`Person`: the people the caller may see (territory or ownership)."""
    # territory shows people only to roles that read the register (a rules admin has a territory, but no people)
    territory = principal.scope if principal.can(Permission.REGISTRY_READ) else ()
    conditions = [scope_filter(Person.village_code, territory), *_own_conditions(principal)]
    return or_(*conditions) if conditions else false()


def owns(principal: Principal) -> bool:
    """Whether the caller sees people by ownership rather than by territory."""
    return principal.role in _EXTENSIONS


def visible_person(session: Session, principal: Principal, person_id: int) -> Person | None:
    """The person if the caller may see them, else ``None`` (as if they did not exist)."""
    return session.scalars(select(Person).where(Person.id == person_id, person_filter(principal))).first()


def visible_person_by_nik(session: Session, principal: Principal, nik: str) -> Person | None:
    """The person with ``nik`` if the caller may see them, else ``None``."""
    return session.scalars(select(Person).where(Person.nik == nik, person_filter(principal))).first()


def person_or_404(session: Session, principal: Principal, person_id: int) -> Person:
    """The person, or :class:`NotFound` when missing or not the caller's to see (the two are not told apart)."""
    person = visible_person(session, principal, person_id)
    if person is None:
        raise PersonNotFound
    return person


def membership_or_404(session: Session, principal: Principal, membership_id: int) -> tuple[Membership, Person]:
    """A membership and its person if the caller may see the person, else :class:`NotFound`."""
    row = session.execute(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.id == membership_id, person_filter(principal))
    ).first()
    if row is None:
        raise MembershipNotFound
    return row[0], row[1]


def registrar_for(principal: Principal) -> Registrar:
    """How the register records who enrolled: an agent, a user, a participant (the JMO way) or an employer."""
    if principal.role is Role.FIELD_AGENT:
        return Registrar("agent", principal.username)
    if principal.role is Role.WORKER:
        return Registrar("participant", principal.username, principal.person_id)
    if principal.role is Role.EMPLOYER:
        return Registrar("employer", principal.username)
    return Registrar("user", principal.username)
