"""Check every row of a list; keep what linkage can use, and say why for every row rejected or doubted.

Nothing is dropped silently: each rejected row and each warning is an :class:`Issue` with its line number.
A row with an invalid NIK but a name and a birth date or village is *kept*, with the NIK blanked and a
warning, because linkage can still find the person by name, birth date and area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from jangkau.linkage.errors import AllNiksInvalid, AllRowsRejected
from jangkau.linkage.lists.columns import _SEX, LIST_SCHEMA, _village
from jangkau.linkage.lists.read import LIST_COLUMNS, ColumnMapping, RawList, read_list
from jangkau.registry.nik import Sex, check_nik, clean_nik

REJECTED = "rejected"
WARNING = "warning"
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")


@dataclass(frozen=True)
class Issue:
    """One rejected or doubtful row: where, which field, why."""

    line: int
    row_id: str
    severity: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "row_id": self.row_id, "severity": self.severity, "field": self.field,
                "reason": self.reason}  # fmt: skip


@dataclass
class ValidatedList:
    """The rows kept (an Arrow table in ``LIST_SCHEMA``), the issues, and the rejected rows' raw values."""

    table: pa.Table
    issues: list[Issue] = field(default_factory=list)
    rejected_rows: list[dict[str, str]] = field(default_factory=list)
    n_read: int = 0

    @property
    def n_rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def n_warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)


@lru_cache(maxsize=100_000)
def parse_date(text: str, today: dt.date) -> dt.date | None:
    """Parse a birth date in the usual Indonesian and ISO forms; ``None`` when it is not a plausible date."""
    for fmt in _DATE_FORMATS:
        try:
            value = dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
        return value if dt.date(1900, 1, 1) <= value <= today else None
    return None


@dataclass
class _Warner:
    """Collects the warnings of the row being checked (one object reused for every row)."""

    issues: list[Issue]
    line: int = 0
    row_id: str = ""

    def __call__(self, field_name: str, reason: str) -> None:
        self.issues.append(Issue(self.line, self.row_id, WARNING, field_name, reason))


Warn = Callable[[str, str], None]
_NO_LINK = "no valid NIK, and not enough to link by name (needs a name and a birth date or village)"


def _check_fields(values: tuple[str, str, str, str, str], warn: Warn, today: dt.date) -> tuple[object, ...] | str:
    """Return the clean ``(nik, name, birth_date, sex, village_code)``, or the reason to reject the row."""
    nik_text, name, born_text, sex_text, village_text = values
    if not (nik_text or name or born_text or village_text):
        return "empty row: no NIK, name, birth date or village"
    born = parse_date(born_text, today) if born_text else None
    if born_text and born is None:
        warn("birth_date", f"{born_text!r} is not a birth date between 1900 and today; blanked")
    sex = _SEX.get(sex_text.upper()) if sex_text else None
    if sex_text and sex is None:
        warn("sex", f"sex {sex_text!r} is not L/P; blanked")
    village = _village(village_text) if village_text else None
    if village_text and village is None:
        warn("village_code", f"{village_text!r} is not a region code; blanked")
    nik = _check_nik(clean_nik(nik_text), born, sex, today, warn) if nik_text else None
    if nik is None and not (name and (born or village)):
        return _NO_LINK
    if not name:
        warn("name", "no name: linked by NIK only")
    return nik, name or None, born, sex.value if sex else None, village


def _check_nik(nik_text: str, born: dt.date | None, sex: Sex | None, today: dt.date, warn: Warn) -> str | None:
    result = check_nik(nik_text, birth_date=born, sex=sex, today=today)
    if not result.valid:
        warn("nik", "invalid NIK (" + "; ".join(result.errors) + "); blanked, linked by name")
        return None
    for warning in result.warnings:
        warn("nik", warning)
    return result.nik


def validate_list(raw: RawList, *, today: dt.date | None = None) -> ValidatedList:
    """Check every row of a list read by :func:`~jangkau.linkage.lists.read.read_list`.

    Args:
        raw: the list as read.
        today: reference date for "not in the future" (defaults to today).

    Returns:
        The kept rows, every issue and the raw values of every rejected row.

    Raises:
        InvalidInput: the list has no data rows, every row is rejected, or every NIK given is invalid
            (usually a wrong column mapping or numbers mangled by a spreadsheet).
    """
    today = today or dt.date.today()
    issues: list[Issue] = [Issue(0, "", WARNING, "file", note) for note in raw.notes]
    kept: list[tuple[object, ...]] = []
    rejected: list[dict[str, str]] = []
    seen: set[str] = set()
    blank = [""] * raw.n_rows
    ids, *fields = (raw.columns.get(name, blank) for name in LIST_COLUMNS)
    from jangkau.linkage.lists.plain_rows import clean_rows

    fast, slow = clean_rows(raw, today)
    warn = _Warner(issues)
    for i in slow:
        values = (fields[0][i], fields[1][i], fields[2][i], fields[3][i], fields[4][i])
        line, row_id = i + 2, ids[i] or str(i + 2)
        warn.line, warn.row_id = line, row_id
        checked = "duplicate row_id" if row_id in seen else _check_fields(values, warn, today)
        if isinstance(checked, str):
            issues.append(Issue(line, row_id, REJECTED, "row", checked))
            rejected.append({"line": str(line), "row_id": row_id, "reason": checked, **_raw_values(raw, i)})
            continue
        seen.add(row_id)
        kept.append((row_id, line, *checked))
    _refuse_unusable(raw, issues, len(kept) + fast.num_rows)
    columns: list[tuple[object, ...]] = list(zip(*kept, strict=True)) if kept else [() for _ in LIST_SCHEMA.names]
    table = pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, LIST_SCHEMA, strict=True)],
                                 schema=LIST_SCHEMA)  # fmt: skip
    if fast.num_rows:
        table = pa.concat_tables([fast, table]).sort_by("line") if table.num_rows else fast
    return ValidatedList(table, issues, rejected, raw.n_rows)


def _raw_values(raw: RawList, i: int) -> dict[str, str]:
    return {name: column[i] for name, column in raw.columns.items() if name != "row_id"}


def _refuse_unusable(raw: RawList, issues: list[Issue], n_kept: int) -> None:
    niks = [v for v in raw.columns.get("nik", []) if v]
    bad_niks = sum(1 for i in issues if i.field == "nik" and i.reason.startswith("invalid NIK"))
    if niks and bad_niks == len(niks):
        raise AllNiksInvalid(bad_niks, len(niks))
    if n_kept == 0:
        raise AllRowsRejected(raw.n_rows)


def load_list(path: Path, mapping: ColumnMapping | None = None) -> ValidatedList:
    """Read a list file and check every row (the entry point of list import).

    Args:
        path: the list file (CSV, XLSX or Parquet).
        mapping: column mapping, encoding and sheet; ``None`` for our column names and detected encoding.

    Returns:
        The kept rows, every issue and every rejected row with its reason.

    Raises:
        InvalidInput: the file cannot be read as a list, or no row of it can be used (see :func:`read_list`
            and :func:`jangkau.linkage.lists.validate.validate_list`).
    """
    from jangkau.linkage.lists.validate import validate_list

    return validate_list(read_list(path, mapping))
