"""``jangkau link``: list linkage from the command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="Link outside lists to the register and find duplicates.", no_args_is_help=True)
