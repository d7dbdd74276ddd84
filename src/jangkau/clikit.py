"""Helpers shared by the domain CLIs: JSON output, Rich tables and progress, and the error exit."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from jangkau.errors import FieldError, InvalidInput
from jangkau.kit.errors import InputInvalid

console = Console()
err_console = Console(stderr=True)

EXIT_BAD_INPUT = 2


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "as_dict"):
        return value.as_dict()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    """JSON text for CLI output: dates as ISO strings, Decimals as strings, enums by value."""
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


def compact_json(data: Any) -> str:
    """:func:`to_json` without spaces: for answers and stored records rather than people."""
    return json.dumps(data, default=_default, ensure_ascii=False, separators=(",", ":"))


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on standard output (no Rich markup, so it can be piped)."""
    sys.stdout.write(to_json(data) + "\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a readable table."""
    out = Table(title=title)
    for column in columns:
        out.add_column(column)
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    console.print(out)


def key_values(title: str, data: Mapping[str, Any]) -> None:
    """Print a two-column table of names and values."""
    table(title, ["", ""], [(k, v) for k, v in data.items()])


@contextmanager
def progress(transient: bool = False) -> Iterator[Progress]:
    """A Rich progress bar on standard error (so that ``--json`` output stays clean)."""
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=transient,
    )
    with bar:
        yield bar


def pydantic_to_invalid(exc: ValidationError) -> InvalidInput:
    """Turn a pydantic validation error into an InvalidInput that names each field."""
    fields = [FieldError(".".join(str(p) for p in err["loc"]) or "input", err["msg"]) for err in exc.errors()]
    return InputInvalid(fields)
