"""Backups that restore: ``pg_dump``/``pg_restore`` (custom format) on PostgreSQL, the online backup API on SQLite.

Next to every backup ``FILE`` lies ``FILE.meta.json`` with the migration revision, the database kind and when it
was taken. A restore refuses a database that already has tables (unless forced), a backup of the other kind, and a
backup from a revision newer than this code knows, naming both revisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, inspect, select
from sqlalchemy.engine import URL

from jangkau import __version__
from jangkau.db.errors import (
    BackupDescriptionInvalid,
    BackupFileExists,
    BackupMissing,
    ClientToolFailed,
    ClientToolMissing,
    NothingToBackUp,
    RestoreNewerRevision,
    RestoreTargetNotEmpty,
    RestoreWrongKind,
)
from jangkau.db.migrate import current_revision, is_known_revision, schema_state, script_head


@dataclass(frozen=True)
class BackupInfo:
    """What the sidecar file says about a backup."""

    revision: str
    dialect: str
    taken_at: str
    jangkau_version: str


def meta_path(path: Path) -> Path:
    """Where the sidecar of backup ``path`` lives."""
    return path.with_name(path.name + ".meta.json")


def backup(engine: Engine, path: Path) -> BackupInfo:
    """Write a consistent copy of the database to ``path`` and its sidecar; refuses to overwrite a file."""
    if path.exists() or meta_path(path).exists():
        raise BackupFileExists(path)
    revision = current_revision(engine)
    if revision is None:
        raise NothingToBackUp()
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(Path(str(engine.url.database)), path)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"], engine.url)
    info = BackupInfo(revision, engine.dialect.name, dt.datetime.now(dt.UTC).isoformat(), __version__)
    meta_path(path).write_text(json.dumps(asdict(info), indent=2) + "\n", encoding="utf-8")
    return info


def read_info(path: Path) -> BackupInfo:
    """The sidecar of backup ``path`` (refused when the backup or its sidecar is missing or not ours)."""
    meta = meta_path(path)
    if not path.is_file() or not meta.is_file():
        raise BackupMissing(path, meta.name)
    try:
        return BackupInfo(**json.loads(meta.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise BackupDescriptionInvalid(meta.name) from exc


def restore(engine: Engine, path: Path, *, force: bool = False) -> BackupInfo:
    """Restore backup ``path`` into the database of ``engine`` (empty, or replaced when ``force``).

    Raises:
        RestoreRefused: the database has tables and ``force`` is not set, the backup is of the other database
            kind, or it comes from a revision newer than this code knows.
    """
    info = read_info(path)
    _check_compatible(engine, info)
    tables = inspect(engine).get_table_names()
    if tables and not force:
        raise RestoreTargetNotEmpty(len(tables))
    if engine.dialect.name == "sqlite":
        engine.dispose()
        _sqlite_copy(path, Path(str(engine.url.database)))
    else:
        _pg_restore(engine, path, clean=bool(tables))
    return info


def _check_compatible(engine: Engine, info: BackupInfo) -> None:
    if info.dialect != engine.dialect.name:
        raise RestoreWrongKind(info.dialect, engine.dialect.name)
    # a backup taken before 0021_merge_heads may name several branch heads, comma-separated
    newer = [rev for rev in info.revision.split(",") if rev and not is_known_revision(rev)]
    if newer:
        raise RestoreNewerRevision(info.revision, script_head())


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the app writes."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def _pg_restore(engine: Engine, path: Path, *, clean: bool) -> None:
    engine.dispose()
    args = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        args += ["--clean", "--if-exists"]
    _run([*args, str(path)], engine.url, database_flag=True)


def _run(args: list[str], url: URL, *, database_flag: bool = False) -> None:
    """Run a PostgreSQL client tool against ``url`` (the password goes in the environment, not the arguments)."""
    if shutil.which(args[0]) is None:
        raise ClientToolMissing(args[0])
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    command = [*args, f"--dbname={target}"] if database_flag else [*args, target]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
        raise ClientToolFailed(args[0], reason)


def fingerprints(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 over the rows (in primary-key order) of every table: equal before and after a
    restore means the data came back whole (the rehearsal compares these)."""
    out: dict[str, tuple[int, str]] = {}
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            digest = hashlib.sha256()
            count = 0
            order = list(table.primary_key.columns) or list(table.columns)
            for row in connection.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            out[table.name] = (count, digest.hexdigest())
    return out


def schema_is_current(engine: Engine) -> bool:
    """Whether the restored database is at this code's head (else `jangkau db upgrade` brings it there)."""
    return schema_state(engine).up_to_date
