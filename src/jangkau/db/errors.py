"""Named refusals of the database edge: a schema that is not current, backups that cannot be taken or restored,
an application role that cannot be set up."""

from __future__ import annotations

from pathlib import Path

from jangkau.errors import N_, JangkauError, bilingual
from jangkau.kit.errors import FieldRefusal


class SchemaNotCurrent(JangkauError):
    """The database is not at the migrations this code ships (HTTP 503: the service cannot run on it)."""

    code = "schema_not_current"

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message, message_id, "schema_not_current", 503)


class DatabaseUnreachable(JangkauError):
    """The configured database does not answer (HTTP 503)."""

    code = "database_unreachable"

    def __init__(self, reason: str) -> None:
        text = N_("The database does not answer (%(reason)s); check JANGKAU_DATABASE_URL and that the server runs")
        super().__init__(*bilingual(text, reason=reason), "database_unreachable", 503)


class RestoreRefused(JangkauError):
    """A restore that would lose data or break the schema (HTTP 409)."""

    status = 409

    def __init__(self, message: str, message_id: str, code: str) -> None:
        super().__init__(message, message_id, code, 409)


class RestoreTargetNotEmpty(RestoreRefused):
    """The target database already has tables and ``--force`` was not given."""

    code = "restore_target_not_empty"

    def __init__(self, tables: int) -> None:
        text = N_(
            "The database already has %(tables)s tables; restore into a new, empty database, "
            "or pass --force to replace everything in it"
        )
        super().__init__(*bilingual(text, tables=tables), "restore_target_not_empty")


class RestoreWrongKind(RestoreRefused):
    """A backup of the other database kind (SQLite into PostgreSQL or the reverse)."""

    code = "restore_wrong_kind"

    def __init__(self, backup_kind: str, target_kind: str) -> None:
        text = N_("This is a %(backup)s backup; it cannot be restored into %(target)s")
        super().__init__(*bilingual(text, backup=backup_kind, target=target_kind), "restore_wrong_kind")


class RestoreNewerRevision(RestoreRefused):
    """The backup comes from a migration revision newer than this code knows."""

    code = "restore_newer_revision"

    def __init__(self, revision: str, head: str) -> None:
        text = N_(
            "The backup is at revision %(revision)s, newer than this Jangkau (%(head)s); "
            "restore it with the Jangkau version that made it"
        )
        super().__init__(*bilingual(text, revision=revision, head=head), "restore_newer_revision")


class BackupFailed(JangkauError):
    """pg_dump / pg_restore failed or is missing, or the backup file is not one of ours (HTTP 422)."""

    code = "backup_failed"
    status = 422

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message, message_id, "backup_failed", 422)


class BackupFileExists(BackupFailed):
    """The backup file (or its description) already exists: a backup never overwrites another."""

    def __init__(self, path: Path) -> None:
        text = N_("%(path)s already exists; choose a new file name (a backup never overwrites another)")
        super().__init__(*bilingual(text, path=str(path)))


class NothingToBackUp(BackupFailed):
    """The database was never migrated."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("The database was never migrated: there is nothing to back up")))


class BackupMissing(BackupFailed):
    """The backup file or its description (``FILE.meta.json``) is missing."""

    def __init__(self, path: Path, meta_name: str) -> None:
        text = N_("%(path)s or its description %(meta)s is missing; both are written by `jangkau backup`")
        super().__init__(*bilingual(text, path=str(path), meta=meta_name))


class BackupDescriptionInvalid(BackupFailed):
    """The backup's description file is not one that Jangkau wrote."""

    def __init__(self, meta_name: str) -> None:
        super().__init__(*bilingual(N_("%(meta)s is not a Jangkau backup description"), meta=meta_name))


class ClientToolMissing(BackupFailed):
    """``pg_dump`` or ``pg_restore`` is not installed."""

    def __init__(self, tool: str) -> None:
        text = N_("%(tool)s is not installed; install the PostgreSQL client tools of the server's major version")
        super().__init__(*bilingual(text, tool=tool))


class ClientToolFailed(BackupFailed):
    """``pg_dump`` or ``pg_restore`` exited with an error (its last line is in the message)."""

    def __init__(self, tool: str, reason: str) -> None:
        super().__init__(*bilingual(N_("%(tool)s failed: %(reason)s"), tool=tool, reason=reason))


class AppRoleNeedsPostgres(FieldRefusal):
    """Application roles are a PostgreSQL feature (SQLite has one user)."""

    def __init__(self) -> None:
        super().__init__("role", bilingual(N_("app roles are a PostgreSQL feature; SQLite has one user")))


class AppRoleNameInvalid(FieldRefusal):
    """The role name is not a plain identifier."""

    def __init__(self, role: str) -> None:
        text = N_("%(role)s is not a plain role name (lowercase letters, digits, underscore)")
        super().__init__("role", bilingual(text, role=repr(role)))
