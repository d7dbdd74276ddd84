"""Check every row of a list; keep what linkage can use, and say why for every row rejected or doubted.

Nothing is dropped silently: each rejected row and each warning is an :class:`Issue` with its line number.
A row with an invalid NIK but a name and a birth date or village is *kept*, with the NIK blanked and a
warning, because linkage can still find the person by name, birth date and area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from jangkau.linkage.errors import AllNiksInvalid, AllRowsRejected
from jangkau.linkage.lists.columns import _SEX, LIST_SCHEMA, _village
from jangkau.linkage.lists.read import LIST_COLUMNS, ColumnMapping, RawList, read_list
from jangkau.linkage.lists.values import Unreadable, birth_date, sex_code, village_key
from jangkau.linkage.lists.values import nik_text as read_nik
from jangkau.registry.nik import Sex, check_nik

REJECTED = "rejected"
WARNING = "warning"


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
    """Parse a birth date as lists write it (:func:`~jangkau.linkage.lists.values.birth_date`); ``None`` when it is
    not a plausible date."""
    try:
        return birth_date(text, today)
    except Unreadable:
        return None


def _sex(text: str) -> Sex | None:
    sex = _SEX.get(text.upper())
    if sex is None:
        try:
            sex = Sex(sex_code(text))
        except Unreadable:
            return None
    return sex


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
    sex = _sex(sex_text) if sex_text else None
    if sex_text and sex is None:
        warn("sex", f"sex {sex_text!r} is not L/P; blanked")
    village = _village(village_text) if village_text else None
    if village_text and village is None:
        warn("village_code", f"{village_text!r} is not a region code; blanked")
    nik = _check_nik(nik_text, born, sex, today, warn) if nik_text else None
    if nik is None and not (name and (born or village)):
        return _NO_LINK
    if not name:
        warn("name", "no name: linked by NIK only")
    return nik, name or None, born, sex.value if sex else None, village


def _check_nik(written: str, born: dt.date | None, sex: Sex | None, today: dt.date, warn: Warn) -> str | None:
    try:
        digits = read_nik(written)
    except Unreadable as exc:
        warn("nik", f"invalid NIK ({exc}); blanked, linked by name")
        return None
    result = check_nik(digits, birth_date=born, sex=sex, today=today)
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


def name_villages(raw: RawList, villages: Mapping[str, str]) -> None:
    """Write the code of each village given by name (``"Kel. Sei Sikambing B"``) in place of the name.

    Args:
        raw: the list as read; its ``village_code`` column is changed in place.
        villages: :func:`~jangkau.linkage.lists.values.village_key` of a village name -> its code (the villages of
            the uploader's area; a name found twice there is left out by the caller, and stays as written).
    """
    column = raw.columns.get("village_code")
    if not column or not villages:
        return
    raw.columns["village_code"] = [villages.get(village_key(v), v) if v and _village(v) is None else v
                                   for v in column]  # fmt: skip


def load_list(
    path: Path, mapping: ColumnMapping | None = None, villages: Mapping[str, str] | None = None
) -> ValidatedList:
    """Read a list file and check every row (the entry point of list import).

    Args:
        path: the list file (CSV, XLSX or Parquet).
        mapping: column mapping, encoding and sheet; ``None`` for our column names and detected encoding.
        villages: village names of the uploader's area -> codes (see :func:`name_villages`).

    Returns:
        The kept rows, every issue and every rejected row with its reason.

    Raises:
        InvalidInput: the file cannot be read as a list, or no row of it can be used (see :func:`read_list`
            and :func:`jangkau.linkage.lists.validate.validate_list`).
    """
    raw = read_list(path, mapping)
    name_villages(raw, villages or {})
    return validate_list(raw)


def check_row(values: tuple[str, str, str, str, str], today: dt.date) -> tuple[tuple[object, ...] | None, list[Issue]]:
    """Check one row (``nik, name, birth_date, sex, village_code`` as written) the way an import would.

    Returns:
        The clean ``(nik, name, birth_date, sex, village_code)`` or ``None`` when the row would be rejected, and the
        row's issues (the rejection's reason among them).
    """
    issues: list[Issue] = []
    checked = _check_fields(values, _Warner(issues), today)
    if isinstance(checked, str):
        return None, [*issues, Issue(0, "", REJECTED, "row", checked)]
    return checked, issues
