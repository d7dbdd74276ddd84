"""``jangkau db``: migrate and inspect the database."""

from __future__ import annotations

import typer

from jangkau.clikit import console
from jangkau.db.engine import make_engine
from jangkau.db.migrate import current_revision, upgrade
from jangkau.db.privileges import grant_app_role
from jangkau.errors import InvalidInput

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
    try:
        statements = grant_app_role(make_engine(), role)
    except ValueError as exc:
        raise InvalidInput.for_field("role", str(exc), str(exc)) from exc
    for statement in statements:
        console.print(statement)
    console.print(f"[bold]{role}[/] may read and write; the audit log is append-only to it.")
