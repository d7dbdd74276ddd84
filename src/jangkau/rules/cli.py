"""``jangkau rules``: the rules engine from the command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="Contribution, benefit, lapse and budget rules.", no_args_is_help=True)
