"""Compliance rules as data: programmes required by employer size (Perpres 109/2013) and the PP 86/2013 ladder.

Read from ``data/obligations.toml``; every result that uses them names the rule (a :class:`RuleRef`) and carries
its open questions as warnings, like the rules engine does.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jangkau.rules import Program, RuleRef, Status, Trail

DATA = Path(__file__).resolve().parents[1] / "data" / "obligations.toml"
SIZE_CLASSES = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class Sanctions:
    """The PP 86/2013 sanction ladder: two written warnings of 10 working days, then a fine of 0.1 % a month."""

    warnings: int
    warning_working_days: int
    fine_bp: int
    fine_window_days: int


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def _ref(name: str) -> tuple[RuleRef, tuple[str, ...]]:
    table = _data()[name]
    valid_from = table["valid_from"]
    assert isinstance(valid_from, dt.date)
    ref = RuleRef(table["id"], table["version"], valid_from, None, table["citation"], Status(table["status"]))
    return ref, tuple(table.get("unconfirmed", ()))


def use(trail: Trail, name: str) -> None:
    """Record the rule ``name`` (``programs_by_size`` or ``sanctions``) in ``trail``."""
    ref, notes = _ref(name)
    trail.use(ref, notes)


def required_programs(size_class: str, trail: Trail | None = None) -> frozenset[Program]:
    """The programmes an employer of ``size_class`` must register its workers in.

    Raises:
        KeyError: an unknown size class (the registry's check constraint prevents it).
    """
    if trail is not None:
        use(trail, "programs_by_size")
    return frozenset(Program(p) for p in _data()["programs_by_size"][size_class])


def sanctions(trail: Trail | None = None) -> Sanctions:
    """The sanction ladder's parameters."""
    if trail is not None:
        use(trail, "sanctions")
    table = _data()["sanctions"]
    return Sanctions(
        int(table["warnings"]),
        int(table["warning_working_days"]),
        int(table["fine_bp"]),
        int(table["fine_window_days"]),
    )
