"""PostgreSQL: the application connects as a role that may not change the past.

Migrations run as the database owner. The web app and the workers connect as a separate login role that may read
and write the domain tables but may only INSERT and SELECT on the audit log and its seals: no UPDATE, DELETE or
TRUNCATE (on top of the triggers that refuse them even to the owner), and no ALTER or DROP, since it owns nothing.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from jangkau.db.errors import AppRoleNameInvalid, AppRoleNeedsPostgres

APPEND_ONLY = ("audit_event", "audit_seal")
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(engine: Engine, role: str) -> list[str]:
    """Give ``role`` (an existing login role) what the application needs, run as the owner after migrating.

    Returns the statements run. Also sets default privileges, so tables of later migrations are covered.

    Raises:
        AppRoleNeedsPostgres: not PostgreSQL.
        AppRoleNameInvalid: a role name that is not a plain identifier.
    """
    if engine.dialect.name != "postgresql":
        raise AppRoleNeedsPostgres()
    if not _ROLE.match(role):
        raise AppRoleNameInvalid(role)
    append_only = ", ".join(APPEND_ONLY)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    return statements
