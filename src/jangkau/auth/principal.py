"""Who is asking: the authenticated user with role, permissions and territory scope."""

from __future__ import annotations

from dataclasses import dataclass

from jangkau.auth.errors import Forbidden as Forbidden  # re-exported: jobs and notify import it from here
from jangkau.auth.roles import PERMISSIONS, Permission, Role
from jangkau.i18n import N_, bilingual
from jangkau.regions.codes import is_within

EVERYWHERE: tuple[str, ...] = ("",)


@dataclass(frozen=True)
class Principal:
    """The caller. ``scope`` holds region-code prefixes; ``("",)`` means the whole country."""

    user_id: int | None
    username: str
    role: Role
    scope: tuple[str, ...]
    agent_kind: str | None = None
    person_id: int | None = None
    employer_id: int | None = None
    home: tuple[str, ...] = ()
    """The regions an account was set up for. For workers, employers and sponsors this only preselects places on
    forms; it never lets them see anyone (their ``scope`` is empty: they see by ownership)."""

    def can(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        """Raise :class:`Forbidden` unless the role has ``permission``."""
        if not self.can(permission):
            raise Forbidden(
                *bilingual(
                    N_("Your role (%(role)s) may not do this (%(permission)s)"),
                    role=self.role.value,
                    permission=permission.value,
                )
            )

    def sees(self, region_code: str) -> bool:
        """Whether a region lies inside the user's territory."""
        return any(prefix == "" or is_within(region_code, prefix) for prefix in self.scope)


OPERATOR = Principal(user_id=None, username="cli", role=Role.ADMIN, scope=EVERYWHERE)
