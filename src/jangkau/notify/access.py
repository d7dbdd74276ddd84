"""Who sees which messages and consent: a worker their own; staff the messages of their territory."""

from __future__ import annotations

from dataclasses import dataclass

from jangkau.auth.principal import Forbidden, Principal
from jangkau.auth.roles import Permission, Role
from jangkau.i18n import N_, bilingual


@dataclass(frozen=True)
class Holder:
    """Whose consent and messages a page shows: a worker's (``person_id``) or a field agent's (``user_id``)."""

    person_id: int | None = None
    user_id: int | None = None


def own_person(principal: Principal) -> int:
    """The person a worker speaks for (their own consent and messages).

    Raises:
        Forbidden: the account is not a worker's own.
    """
    principal.require(Permission.OWN_COVERAGE)
    if principal.person_id is None:
        raise Forbidden(*bilingual(N_("This account is not linked to a person")))
    return principal.person_id


def own_holder(principal: Principal) -> Holder:
    """A worker's own person, or a field agent's own account (the agent's daily list of follow-ups).

    Raises:
        Forbidden: the account is neither a worker's own nor a field agent's.
    """
    if principal.role == Role.FIELD_AGENT and principal.user_id is not None:
        return Holder(user_id=principal.user_id)
    return Holder(person_id=own_person(principal))


def message_scope(principal: Principal) -> tuple[str, ...]:
    """The territory whose messages a staff member sees (masked addresses).

    Raises:
        Forbidden: the role may not read the register.
    """
    principal.require(Permission.REGISTRY_READ)
    return principal.scope
