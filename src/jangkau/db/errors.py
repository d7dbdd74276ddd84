"""Named refusals of the database edge: a schema that is not current, backups that cannot be restored."""

from __future__ import annotations

from jangkau.errors import JangkauError


class SchemaNotCurrent(JangkauError):
    """The database is not at the migrations this code ships (HTTP 503: the service cannot run on it)."""

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message, message_id, "schema_not_current", 503)


class DatabaseUnreachable(JangkauError):
    """The configured database does not answer (HTTP 503)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The database does not answer ({reason}); check JANGKAU_DATABASE_URL and that the server runs",
            f"Basis data tidak menjawab ({reason}); periksa JANGKAU_DATABASE_URL dan bahwa servernya berjalan",
            "database_unreachable",
            503,
        )


class RestoreRefused(JangkauError):
    """A restore that would lose data or break the schema (HTTP 409)."""

    def __init__(self, message: str, message_id: str, code: str) -> None:
        super().__init__(message, message_id, code, 409)


class BackupFailed(JangkauError):
    """pg_dump / pg_restore failed or is missing, or the backup file is not one of ours (HTTP 422)."""

    def __init__(self, message: str, message_id: str) -> None:
        super().__init__(message, message_id, "backup_failed", 422)
