"""``jangkau db``: migrate and inspect the database."""

from __future__ import annotations

from pathlib import Path

import typer

from jangkau.clikit import console, emit_json
from jangkau.db.backup import backup, fingerprints, restore, schema_is_current
from jangkau.db.engine import make_engine
from jangkau.db.migrate import current_revision, upgrade
from jangkau.db.privileges import grant_app_role

app = typer.Typer(help="Database schema: migrate and inspect.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Apply every pending migration."""
    engine = make_engine()
    upgrade(engine)
    console.print(f"Database at revision [bold]{current_revision(engine)}[/] ({engine.url.render_as_string()})")


@app.command("current")
def current_command() -> None:
    """Show the revision the database is at."""
    console.print(current_revision(make_engine()) or "(not migrated)")


@app.command("grant-app-role")
def grant_app_role_command(
    role: str = typer.Argument(..., help="The login role the web app and workers connect as (PostgreSQL)"),
) -> None:
    """Let the application's role read and write, but only append to the audit log (run as the owner)."""
    statements = grant_app_role(make_engine(), role)  # refusals: jangkau.db.errors.AppRole*
    for statement in statements:
        console.print(statement)
    console.print(f"[bold]{role}[/] may read and write; the audit log is append-only to it.")


@app.command("checksums")
def checksums_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON (to compare two databases with diff)"),
) -> None:
    """Row count and checksum of every table: run it before a backup and after a restore rehearsal, and compare."""
    sums = fingerprints(make_engine())
    if as_json:
        emit_json({name: {"rows": rows, "sha256": digest} for name, (rows, digest) in sums.items()})
        return
    for name, (rows, digest) in sums.items():
        console.print(f"{name:40} {rows:>12,} {digest[:16]}")


def backup_command(
    file: Path = typer.Argument(..., help="The backup file to write (FILE.meta.json is written next to it)"),
) -> None:
    """Back up the database: pg_dump custom format on PostgreSQL, the online backup API on SQLite."""
    info = backup(make_engine(), file)
    console.print(f"Backup written to [bold]{file}[/] at revision {info.revision} ({info.dialect})")


def restore_command(
    file: Path = typer.Argument(..., help="A file written by `jangkau backup`"),
    force: bool = typer.Option(False, "--force", help="Replace the contents of a database that is not empty"),
) -> None:
    """Restore a backup into the configured database (an empty one, unless --force)."""
    engine = make_engine()
    info = restore(engine, file, force=force)
    console.print(f"Restored {file} (revision {info.revision}, taken {info.taken_at})")
    if not schema_is_current(make_engine()):
        console.print("The backup is from an older revision: run `jangkau db upgrade` before `jangkau serve`")
