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

import pyarrow as pa

from jangkau.errors import InvalidInput, JangkauError
from jangkau.linkage.listfile import LIST_COLUMNS, RawList
from jangkau.regions.codes import parse_region_code
from jangkau.registry.nik import Sex, check_nik, clean_nik

REJECTED = "rejected"
WARNING = "warning"
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")
_SEX = {
    **dict.fromkeys(("L", "LK", "LAKI-LAKI", "LAKI LAKI", "PRIA", "M", "MALE", "1"), Sex.MALE),
    **dict.fromkeys(("P", "PR", "PEREMPUAN", "WANITA", "F", "FEMALE", "W", "2"), Sex.FEMALE),
}
LIST_SCHEMA = pa.schema(
    [
        ("row_id", pa.string()),
        ("line", pa.int64()),
        ("nik", pa.string()),
        ("name", pa.string()),
        ("birth_date", pa.date32()),
        ("sex", pa.string()),
        ("village_code", pa.string()),
    ]
)


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


@lru_cache(maxsize=200_000)
def _village(text: str) -> str | None:
    try:
        return parse_region_code(text, "village_code").code
    except JangkauError:
        return None


@dataclass
class _Row:
    line: int
    row_id: str
    raw: dict[str, str]
    add: Callable[[Issue], None]
    out: dict[str, object] = field(default_factory=dict)

    def warn(self, name: str, reason: str) -> None:
        self.add(Issue(self.line, self.row_id, WARNING, name, reason))


def _check_row(row: _Row, today: dt.date) -> str | None:
    """Fill ``row.out``; return the reason when the row must be rejected."""
    raw = row.raw
    name, nik_text = raw.get("name", ""), clean_nik(raw.get("nik", ""))
    if not any(raw.get(k) for k in ("nik", "name", "birth_date", "village_code")):
        return "empty row: no NIK, name, birth date or village"
    born = parse_date(raw["birth_date"], today) if raw.get("birth_date") else None
    if raw.get("birth_date") and born is None:
        row.warn("birth_date", f"{raw['birth_date']!r} is not a birth date between 1900 and today; blanked")
    sex = _SEX.get(raw.get("sex", "").upper()) if raw.get("sex") else None
    if raw.get("sex") and sex is None:
        row.warn("sex", f"sex {raw['sex']!r} is not L/P; blanked")
    village = _village(raw["village_code"]) if raw.get("village_code") else None
    if raw.get("village_code") and village is None:
        row.warn("village_code", f"{raw['village_code']!r} is not a region code; blanked")
    nik = _check_nik(row, nik_text, born, sex, today)
    if nik is None and not (name and (born or village)):
        return "no valid NIK, and not enough to link by name (needs a name and a birth date or village)"
    if not name:
        row.warn("name", "no name: linked by NIK only")
    row.out.update(nik=nik, name=name or None, birth_date=born, village_code=village)
    row.out["sex"] = sex.value if sex else None
    return None


def _check_nik(row: _Row, nik_text: str, born: dt.date | None, sex: Sex | None, today: dt.date) -> str | None:
    if not nik_text:
        return None
    result = check_nik(nik_text, birth_date=born, sex=sex, today=today)
    if not result.valid:
        row.warn("nik", "invalid NIK (" + "; ".join(result.errors) + "); blanked, linked by name")
        return None
    for warning in result.warnings:
        row.warn("nik", warning)
    return result.nik


def validate_list(raw: RawList, *, today: dt.date | None = None) -> ValidatedList:
    """Check every row of a list read by :func:`~jangkau.linkage.listfile.read_list`.

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
    kept: dict[str, list[object]] = {name: [] for name in LIST_SCHEMA.names}
    rejected: list[dict[str, str]] = []
    seen: set[str] = set()
    cols = {name: raw.columns.get(name) for name in LIST_COLUMNS}
    for i in range(raw.n_rows):
        line = i + 2
        values = {k: v[i] for k, v in cols.items() if v is not None}
        row_id = values.get("row_id") or str(line)
        row = _Row(line, row_id, values, issues.append)
        reason = "duplicate row_id" if row_id in seen else _check_row(row, today)
        if reason:
            issues.append(Issue(line, row_id, REJECTED, "row", reason))
            rejected.append({"line": str(line), "row_id": row_id, "reason": reason, **values})
            continue
        seen.add(row_id)
        row.out.update(row_id=row_id, line=line)
        for name in LIST_SCHEMA.names:
            kept[name].append(row.out.get(name))
    _refuse_unusable(raw, issues, len(kept["row_id"]))
    return ValidatedList(pa.Table.from_pydict(kept, schema=LIST_SCHEMA), issues, rejected, raw.n_rows)


def _refuse_unusable(raw: RawList, issues: list[Issue], n_kept: int) -> None:
    niks = [v for v in raw.columns.get("nik", []) if v]
    bad_niks = sum(1 for i in issues if i.field == "nik" and i.reason.startswith("invalid NIK"))
    if niks and bad_niks == len(niks):
        raise InvalidInput(
            f"every NIK in the list is invalid ({bad_niks} of {len(niks)}): check the column mapping, "
            "and that a spreadsheet did not turn NIKs into numbers (e.g. 3.27E+15)",
            f"semua NIK dalam daftar tidak valid ({bad_niks} dari {len(niks)}): periksa pemetaan kolom dan "
            "pastikan NIK tidak diubah menjadi angka oleh spreadsheet (mis. 3,27E+15)",
            code="list_nik_all_invalid",
        )
    if n_kept == 0:
        raise InvalidInput(
            f"no row of the list ({raw.n_rows} rows) can be linked; see the rejected rows",
            f"tidak ada baris daftar ({raw.n_rows} baris) yang dapat ditautkan; lihat baris yang ditolak",
            code="list_all_rejected",
        )
