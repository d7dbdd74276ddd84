"""``jangkau db``: migrate and inspect the database."""

from __future__ import annotations

import typer

from jangkau.clikit import console
from jangkau.db.engine import make_engine
from jangkau.db.migrate import current_revision, upgrade

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
