"""The column-wise check of plain rows gives exactly what the per-row checks give (kept values, issues, order)."""

from __future__ import annotations

import datetime as dt

import pytest

from jangkau.linkage.lists import plain_rows as validate_fast
from jangkau.linkage.lists.read import RawList
from jangkau.linkage.lists.validate import ValidatedList, validate_list

TODAY = dt.date(2026, 11, 21)
ROWS = [
    # row_id, nik, name, birth_date, sex, village_code
    ("a", "1271011508800001", "Budi", "1980-08-15", "L", "12.71.01.1001"),  # plain
    ("b", "1271015508800001", "Ani", "15-08-1980", "p", "1271011001"),  # plain, women's day + 40, lower-case sex
    ("c", "1271011508800001", "Budi", "1980-08-16", "L", ""),  # stated birth date differs: a warning
    ("d", "1271011508800001", "Budi", "1980-08-15", "P", ""),  # stated sex differs: a warning
    ("e", "1271013102800001", "Cici", "", "", "12.71.01.1001"),  # 31 February in the NIK: invalid
    ("f", "1271012902010001", "Dodi", "", "", ""),  # 29-02-2001 does not exist
    ("g", "1271012902000001", "Dodi", "2000-02-29", "L", ""),  # 29-02-2000 does
    ("h", "9971011508800001", "Eko", "1980-08-15", "L", ""),  # province 99 does not exist
    ("i", "1270011508800001", "Eko", "1980-08-15", "L", ""),  # regency 70 is not used
    ("j", "1271011508800000", "Eko", "1980-08-15", "L", ""),  # serial 0000
    ("k", "1271 0115 0880 0001", "Fajar", "1980-08-15", "L", ""),  # separators: cleaned by the per-row path
    ("l", "1271011512300001", "Gita", "", "L", ""),  # year 30 is 1930 (2030 is in the future): plain
    ("m", "", "Hana", "1899-12-31", "P", "12.71.01.1001"),  # too old: blanked with a warning
    ("n", "", "Hana", "1990-13-01", "P", "12.71.01.1001"),  # month 13
    ("o", "", "Indah", "1990-02-28", "W", "12.71.01.1001"),  # no NIK, plain
    ("p", "", "Indah", "1990/02/28", "W", "12.71.01.1001"),  # another date form: per-row path
    ("q", "", "Joko", "2027-01-01", "L", ""),  # future birth date
    ("r", "", "", "1990-01-01", "L", "12.71.01.1001"),  # no name
    ("", "1271011508800002", "Kiki", "1980-08-15", "L", ""),  # no row_id: the line number
    ("a", "1271011508800003", "Lina", "1980-08-15", "L", ""),  # duplicate row_id
    ("s", "1271011508800004", "Mira", "1980-08-15", "X", ""),  # unknown sex code
    ("t", "1271011508800005", "Nani", "1980-08-15", "L", "12.71.01.10x1"),  # not a region code
    ("u", "", "Oki", "", "", ""),  # nothing to link by
    ("v", "", "", "", "", ""),  # empty row
    ("w", "12710115088000011", "Putri", "1980-08-15", "P", ""),  # 17 digits
    ("x", "", "Rudi", "", "L", "12.71.01.1001"),  # no NIK, no birth date, a village: kept (per-row path)
]


def _raw(rows: list[tuple[str, ...]]) -> RawList:
    names = ("row_id", "nik", "name", "birth_date", "sex", "village_code")
    return RawList({n: [r[k] for r in rows] for k, n in enumerate(names)}, len(rows), "test")


def _per_row_only(monkeypatch: pytest.MonkeyPatch, raw: RawList) -> ValidatedList:
    def nothing_plain(raw_: RawList, today: dt.date) -> tuple[object, list[int]]:
        table, _ = original(raw_, today)
        return table.slice(0, 0), list(range(raw_.n_rows))

    original = validate_fast.clean_rows
    monkeypatch.setattr(validate_fast, "clean_rows", nothing_plain)
    try:
        return validate_list(raw, today=TODAY)
    finally:
        monkeypatch.undo()


def test_plain_rows_are_kept_exactly_as_the_per_row_checks_keep_them(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _raw(ROWS)
    fast = validate_list(raw, today=TODAY)
    slow = _per_row_only(monkeypatch, raw)
    assert fast.table.equals(slow.table)
    assert fast.issues == slow.issues
    assert fast.rejected_rows == slow.rejected_rows


def test_only_rows_without_any_issue_take_the_column_path() -> None:
    table, others = validate_fast.clean_rows(_raw(ROWS), TODAY)
    plain = set(table.column("row_id").to_pylist())
    assert plain == {"b", "g", "l", "o", "20"}, "the rest need a reason or a warning"
    assert "a" not in plain  # its row_id is used twice
    assert len(others) == len(ROWS) - len(plain)
