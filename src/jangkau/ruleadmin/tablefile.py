"""A new version of any rule table from a TOML file in the shape of the shipped ones (``rules/data/<id>/*.toml``).

The minimum wages have their own CSV/XLSX import with row checks (:mod:`jangkau.ruleadmin.imports`); the other
tables (BPU bands and rates, JKP parameters, fine rates, relaxations, ...) change rarely and have no common row
shape. Their new versions are written as the shipped files are (the export gives the current one to start from)
and checked here against the shape of the version they follow: the same keys, the same kinds of value, at every
level. Metadata (dates, instrument, status) comes from the form, not from the file.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Mapping
from typing import Any

from jangkau.errors import FieldError
from jangkau.i18n import N_, bilingual, pgettext
from jangkau.ruleadmin.errors import NoSuchTable, NotToml, OtherTable, RuleFileShape
from jangkau.rules.tables import has_table, table

_META = {"id", "version", "valid_from", "valid_to", "citation", "status", "unconfirmed", "title"}
_DATE = "$date"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "table"
    return "list"


def _texts(context: str, text: str) -> tuple[str, str]:
    """``(English, Indonesian)`` of a catalog text with a context (one English word, two Indonesian meanings)."""
    return pgettext(context, text, "en"), pgettext(context, text, "id")


def _compare(new: Any, old: Any, path: str, problems: list[FieldError]) -> None:
    if _kind(new) != _kind(old):
        problems.append(
            FieldError(
                path,
                *bilingual(
                    N_("must be %(old)s as in the version in force, not %(new)s"), old=_kind(old), new=_kind(new)
                ),
            )
        )
        return
    if isinstance(old, Mapping):
        for key in sorted(set(old) - set(new)):
            problems.append(FieldError(f"{path}.{key}".lstrip("."), *_texts("table key", "missing")))
        for key in sorted(set(new) - set(old)):
            problems.append(FieldError(f"{path}.{key}".lstrip("."), *bilingual(N_("not a key of this table"))))
        for key in sorted(set(new) & set(old)):
            _compare(new[key], old[key], f"{path}.{key}".lstrip("."), problems)
    elif isinstance(old, list) and old:
        for index, item in enumerate(new):
            _compare(item, old[0], f"{path}[{index}]", problems)


def read_table_file(rule_id: str, content: bytes, valid_from: dt.date) -> dict[str, Any]:
    """The data of a new version of ``rule_id`` from a TOML file, checked against the version it follows.

    Raises:
        InvalidInput: unknown table, unreadable TOML, another table's id, or every difference of shape (all listed).
    """
    if not has_table(rule_id):
        raise NoSuchTable(rule_id)
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NotToml(str(exc)) from exc
    if raw.get("id", rule_id) != rule_id:
        raise OtherTable(str(raw["id"]), rule_id)
    data = {k: v for k, v in raw.items() if k not in _META}
    versions = table(rule_id).versions
    reference = table(rule_id).find(valid_from) or versions[-1]
    problems: list[FieldError] = []
    _compare(data, dict(reference.data), "", problems)
    if problems:
        raise RuleFileShape(rule_id, reference.version, problems)
    return data


def dumps(data: Mapping[str, Any]) -> str:
    """Rule data as JSON for the database; TOML dates survive as ``{"$date": "YYYY-MM-DD"}``."""

    def encode(value: Any) -> Any:
        if isinstance(value, dt.date):
            return {_DATE: value.isoformat()}
        raise TypeError(f"cannot store {value!r}")

    return json.dumps(data, sort_keys=True, default=encode)


def loads(text: str) -> dict[str, Any]:
    """The inverse of :func:`dumps`."""

    def decode(value: dict[str, Any]) -> Any:
        if set(value) == {_DATE}:
            return dt.date.fromisoformat(value[_DATE])
        return value

    loaded: dict[str, Any] = json.loads(text, object_hook=decode)
    return loaded
