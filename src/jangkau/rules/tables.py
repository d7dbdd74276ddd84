"""Rule tables as data: one TOML file per regulation version under ``rules/data/<rule id>/``.

Every file carries ``id``, ``version``, ``valid_from``, optional ``valid_to`` (inclusive; absent = still in
force), ``citation`` (regulation and article and/or the source keys of REFERENCE.md), ``status``
(confirmed / secondary / derived / unconfirmed) and optionally ``unconfirmed``: a list of open questions that
become warnings whenever the version is used. Every other key is the rule's own data.

The shipped files are the seed. Versions that the people who run Jangkau add (``jangkau.ruleadmin``, kept in the
database) are handed in with :func:`install` and win from their ``valid_from``; this module never reads the
database. Tables renewed every year (:data:`CARRIED_FORWARD`) are never silent when the date asked is after their
last version: the latest known version is used, marked UNCONFIRMED, with a warning naming the table and the date.

A version is chosen by the date of the legal event. For a contribution *month* the version in force on the
month's **last day** is used (so JKP's 2025-02-07 change counts from contribution month 2025-02, and a table
starting on 1 March applies to March); a change inside the month is reported as a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from jangkau.kit.money import Rounding
from jangkau.kit.months import Month
from jangkau.rules.errors import NoRuleInForce
from jangkau.rules.model import RuleRef, Status, Trail

# Tables renewed on a known schedule (a decree or announcement each year): past their last version, the latest
# known one is carried forward as UNCONFIRMED instead of refusing the date.
CARRIED_FORWARD_PREFIXES = ("min_wage.", "jp_wage_cap", "jp_benefit_bounds")

_META = {"id", "version", "valid_from", "valid_to", "citation", "status", "unconfirmed", "title"}


class RuleDataError(Exception):
    """A rule data file is malformed (a bug in the data, caught by the tests)."""


@dataclass(frozen=True)
class Version:
    """One version of one rule, as read from its data file."""

    id: str
    version: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    status: Status
    unconfirmed: tuple[str, ...]
    data: Mapping[str, Any]
    source: str

    @property
    def ref(self) -> RuleRef:
        return RuleRef(self.id, self.version, self.valid_from, self.valid_to, self.citation, self.status)

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def record(self, trail: Trail) -> Version:
        """Add this version (and its open questions as warnings) to ``trail``; returns ``self``."""
        trail.use(self.ref, self.unconfirmed)
        return self

    def span(self) -> str:
        return f"{self.valid_from.isoformat()} to {self.valid_to.isoformat() if self.valid_to else 'open end'}"


@dataclass(frozen=True)
class RuleTable:
    """All versions of one rule, ordered by ``valid_from``, non-overlapping."""

    id: str
    versions: tuple[Version, ...]

    def find(self, day: dt.date) -> Version | None:
        """The version in force on ``day``, or None."""
        return next((v for v in self.versions if v.in_force(day)), None)

    def at(self, day: dt.date, field: str) -> Version:
        """The version in force on ``day`` (for a yearly table past its last version: the latest, UNCONFIRMED).

        Raises:
            InvalidInput: no version covers ``day``; the message names ``field`` and the dates on file.
        """
        version = self.find(day) or self.carried_forward(day)
        if version is not None:
            return version
        spans = "; ".join(v.span() for v in self.versions)
        raise NoRuleInForce(field, self.id, day.isoformat(), spans)

    def carried_forward(self, day: dt.date) -> Version | None:
        """The latest version, marked UNCONFIRMED, when ``day`` is after every version of a yearly table."""
        if not self.id.startswith(CARRIED_FORWARD_PREFIXES) or not self.versions:
            return None
        last = self.versions[-1]
        if last.valid_to is None or day <= last.valid_to:
            return None
        note = (
            f"MISSING TABLE: no '{self.id}' version for {day.isoformat()}; the latest known "
            f"({last.version}, {last.span()}, {last.citation}) is used instead, UNCONFIRMED"
        )
        return dataclasses.replace(
            last,
            version=f"{last.version} (carried forward)",
            valid_from=last.valid_to + dt.timedelta(days=1),
            valid_to=None,
            status=Status.UNCONFIRMED,
            unconfirmed=(note, *last.unconfirmed),
        )

    def ends_on(self) -> dt.date | None:
        """The last day of the last version (None: open-ended)."""
        return self.versions[-1].valid_to if self.versions else None

    def for_month(self, month: Month, field: str, trail: Trail | None = None) -> Version:
        """The version in force on the last day of ``month``; warns in ``trail`` if it changed inside the month.

        Raises:
            InvalidInput: no version covers the month's last day.
        """
        version = self.at(month.last_day(), field)
        if trail is not None:
            version.record(trail)
            if not version.in_force(month.first_day()):
                trail.warn(
                    f"{self.id} changed inside {month} (version {version.version} from "
                    f"{version.valid_from.isoformat()}); the version in force at the end of the month is used"
                )
        return version


def _as_date(value: Any, key: str, source: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise RuleDataError(f"{source}: {key} must be a TOML date, got {value!r}")


def _read(text: str, source: str) -> Version:
    raw = tomllib.loads(text)
    try:
        valid_to = raw.get("valid_to")
        version = Version(
            id=str(raw["id"]),
            version=str(raw["version"]),
            title=str(raw.get("title", "")),
            valid_from=_as_date(raw["valid_from"], "valid_from", source),
            valid_to=None if valid_to is None else _as_date(valid_to, "valid_to", source),
            citation=str(raw["citation"]),
            status=Status(raw["status"]),
            unconfirmed=tuple(str(x) for x in raw.get("unconfirmed", [])),
            data={k: v for k, v in raw.items() if k not in _META},
            source=source,
        )
    except (KeyError, ValueError) as exc:
        raise RuleDataError(f"{source}: {exc}") from exc
    if version.valid_to is not None and version.valid_to < version.valid_from:
        raise RuleDataError(f"{source}: valid_to is before valid_from")
    return version


def _files() -> Iterator[tuple[str, str]]:
    root = resources.files("jangkau.rules") / "data"
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if not folder.is_dir():
            continue
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".toml"):
                yield f"{folder.name}/{item.name}", item.read_text(encoding="utf-8")


@cache
def seed_tables() -> dict[str, RuleTable]:
    """Every rule table as shipped in ``data/``, keyed by rule id (read once).

    Raises:
        RuleDataError: a malformed file, or two versions of a rule that overlap.
    """
    grouped: dict[str, list[Version]] = {}
    for source, text in _files():
        version = _read(text, source)
        grouped.setdefault(version.id, []).append(version)
    return {rule_id: check_versions(rule_id, versions) for rule_id, versions in grouped.items()}


@dataclass(frozen=True)
class _Installed:
    tables: Mapping[str, RuleTable]
    revision: int


_installed = _Installed({}, 0)


def check_versions(rule_id: str, versions: Sequence[Version]) -> RuleTable:
    """One table from ``versions`` sorted by ``valid_from``.

    Raises:
        RuleDataError: two versions overlap.
    """
    ordered = sorted(versions, key=lambda v: v.valid_from)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise RuleDataError(f"{rule_id}: {earlier.source} overlaps {later.source}")
    return RuleTable(rule_id, tuple(ordered))


def _clip(seed: Version, start: dt.date, end: dt.date | None) -> list[Version]:
    """What is left of ``seed`` outside ``start..end`` (zero, one or two pieces)."""
    left: list[Version] = []
    if seed.valid_from < start:
        seed_end = seed.valid_to if seed.valid_to is not None and seed.valid_to < start else None
        left.append(dataclasses.replace(seed, valid_to=seed_end or start - dt.timedelta(days=1)))
    if end is not None and (seed.valid_to is None or seed.valid_to > end):
        tail_from = max(seed.valid_from, end + dt.timedelta(days=1))
        left.append(dataclasses.replace(seed, valid_from=tail_from))
    return left


def merge(seed: Sequence[Version], managed: Sequence[Version]) -> tuple[Version, ...]:
    """The seed versions with every managed version laid over them: a managed version wins from its
    ``valid_from`` to its ``valid_to`` (open end: for good); what is left of a seed version stays."""
    result = list(seed)
    for version in sorted(managed, key=lambda v: v.valid_from):
        result = [piece for v in result for piece in _clip(v, version.valid_from, version.valid_to)]
        result.append(version)
    return tuple(sorted(result, key=lambda v: v.valid_from))


def install(managed: Mapping[str, Sequence[Version]]) -> int:
    """Lay the managed versions (rule id -> versions added by users) over the seed for this process.

    Returns:
        The new revision (every install gets a new one: caches of derived figures key on it).

    Raises:
        RuleDataError: managed versions of one rule overlap each other.
    """
    global _installed
    seeds = seed_tables()
    merged: dict[str, RuleTable] = {}
    for rule_id, versions in managed.items():
        if not versions:
            continue
        check_versions(rule_id, versions)
        seed = seeds[rule_id].versions if rule_id in seeds else ()
        merged[rule_id] = check_versions(rule_id, merge(seed, versions))
    _installed = _Installed(merged, _installed.revision + 1)
    return _installed.revision


def revision() -> int:
    """Changes whenever :func:`install` lays new managed versions over the seed."""
    return _installed.revision


def all_tables() -> dict[str, RuleTable]:
    """Every rule table in force for this process: the seed with the installed managed versions over it."""
    return {**seed_tables(), **_installed.tables}


def table(rule_id: str) -> RuleTable:
    """The table of one rule.

    Raises:
        RuleDataError: no data file has this id (a bug: ids are fixed in code).
    """
    try:
        return _installed.tables.get(rule_id) or seed_tables()[rule_id]
    except KeyError as exc:
        raise RuleDataError(f"no rule data for {rule_id!r}") from exc


def has_table(rule_id: str) -> bool:
    return rule_id in _installed.tables or rule_id in seed_tables()


# Typed readers for the rule data (a wrong type is a data bug, raised as RuleDataError).


def num(data: Mapping[str, Any], key: str) -> int:
    """An integer (Rupiah, basis points, months) from rule data."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleDataError(f"{key} must be an integer, got {value!r}")
    return value


def opt_num(data: Mapping[str, Any], key: str) -> int | None:
    return None if data.get(key) is None else num(data, key)


def dec(data: Mapping[str, Any], key: str) -> Decimal:
    """A Decimal from an integer or a decimal string (never a float)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RuleDataError(f"{key} must be an integer or a decimal string, got {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise RuleDataError(f"{key}: not a decimal: {value!r}") from exc


def text(data: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise RuleDataError(f"{key} must be a string, got {value!r}")
    return value


def day(data: Mapping[str, Any], key: str) -> dt.date:
    return _as_date(data.get(key), key, "rule data")


def sub(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise RuleDataError(f"{key} must be a table, got {value!r}")
    return value


def rows(data: Mapping[str, Any], key: str) -> Sequence[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
        raise RuleDataError(f"{key} must be an array of tables")
    return value


def ints(data: Mapping[str, Any], key: str) -> tuple[int, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise RuleDataError(f"{key} must be an array of integers")
    return tuple(value)


def texts(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleDataError(f"{key} must be an array of strings")
    return tuple(value)


def rounding(data: Mapping[str, Any]) -> Rounding:
    """The rounding rule written next to the rule (``rounding = "half_up"`` by default)."""
    return Rounding(text(data, "rounding", "half_up"))


def row_status(row: Mapping[str, Any], default: Status) -> Status:
    return Status(text(row, "status", default.value))
