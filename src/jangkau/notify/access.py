"""Who sees which messages and consent: a worker their own; staff the messages of their territory."""

from __future__ import annotations

from jangkau.auth.principal import Forbidden, Principal
from jangkau.auth.roles import Permission


def own_person(principal: Principal) -> int:
    """The person a worker speaks for (their own consent and messages).

    Raises:
        Forbidden: the account is not a worker's own.
    """
    principal.require(Permission.OWN_COVERAGE)
    if principal.person_id is None:
        raise Forbidden("This account is not linked to a person", "Akun ini tidak terhubung dengan seseorang")
    return principal.person_id


def message_scope(principal: Principal) -> tuple[str, ...]:
    """The territory whose messages a staff member sees (masked addresses).

    Raises:
        Forbidden: the role may not read the register.
    """
    principal.require(Permission.REGISTRY_READ)
    return principal.scope
