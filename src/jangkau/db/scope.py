"""The territory-scope filter every people query uses: a region code lies under one of the caller's prefixes.

Domain-free (a column of region codes and a set of prefixes), so every domain's repository uses it without
importing the regions domain's repository.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import QueryableAttribute


def scope_filter(column: ColumnElement[str] | QueryableAttribute[str], prefixes: Iterable[str]) -> ColumnElement[bool]:
    """SQL condition: ``column`` (a region code) lies in one of the scope prefixes.

    An empty string prefix means the whole country; no prefix at all means nothing is visible.
    """
    conditions: list[ColumnElement[bool]] = []
    for prefix in prefixes:
        if prefix == "":
            return true()
        conditions.append(column == prefix)
        conditions.append(column.like(prefix + ".%"))
    return or_(*conditions) if conditions else false()
