"""Read an outside list (CSV, XLSX, Parquet) into plain text columns, with a saved column mapping.

:func:`load_list` reads and then checks every row with :mod:`jangkau.linkage.validate`.  A list arrives as
the city keeps it: a CSV from Excel in Windows-1252 with semicolons, an XLSX with a two-row merged header,
a Parquet export.
Every failure a person can fix (wrong encoding, merged header, missing column, empty file) is an
:class:`~jangkau.errors.InvalidInput` in English and Bahasa Indonesia.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from jangkau.errors import InvalidInput
from jangkau.kit.spreadsheet import csv_writer, safe_arrow_table

if TYPE_CHECKING:
    from jangkau.linkage.validate import ValidatedList

LIST_COLUMNS = ("row_id", "nik", "name", "birth_date", "sex", "village_code")
REQUIRED_COLUMNS = ("nik", "name", "birth_date")
SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")


@dataclass
class ColumnMapping:
    """Which source column feeds which of our columns; JSON-serialisable so it can be saved per source.

    Attributes:
        columns: source column name -> our column name (one of ``LIST_COLUMNS``).  Source columns not
            named here keep their name when it is one of ours (case- and space-insensitive).
        encoding: the CSV encoding, or ``None`` to detect (UTF-8, else Windows-1252 with a warning).
        sheet: the XLSX sheet name, or ``None`` for the first sheet.
    """

    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    sheet: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "encoding": self.encoding, "sheet": self.sheet}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        """Rebuild a mapping saved with :meth:`as_dict`."""
        unknown = sorted(set(data.get("columns", {}).values()) - set(LIST_COLUMNS))
        if unknown:
            raise InvalidInput(
                f"column mapping names unknown target columns {unknown}; allowed: {list(LIST_COLUMNS)}",
                f"pemetaan kolom menyebut kolom tujuan yang tidak dikenal {unknown}; yang boleh: {list(LIST_COLUMNS)}",
                code="mapping_invalid",
            )
        return cls(dict(data.get("columns", {})), data.get("encoding"), data.get("sheet"))


@dataclass
class RawList:
    """A list as read: text columns named as ours, plus what reading noticed."""

    columns: dict[str, list[str]]
    n_rows: int
    source: str
    notes: list[str] = field(default_factory=list)


def _bad(message: str, message_id: str, code: str) -> InvalidInput:
    return InvalidInput(message, message_id, code=code)


def _decode(data: bytes, encoding: str | None, notes: list[str]) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _bad(
                f"the file is not valid {encoding} (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
                "declare its real encoding, e.g. --encoding cp1252 for a CSV saved by Excel",
                f"berkas bukan {encoding} yang sah (byte {exc.start}); sebutkan pengodean yang benar, "
                "mis. --encoding cp1252 untuk CSV dari Excel",
                "encoding_invalid",
            ) from exc
        except LookupError as exc:
            raise _bad(
                f"unknown encoding {encoding!r}", f"pengodean {encoding!r} tidak dikenal", "encoding_unknown"
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append("file is not UTF-8; read as Windows-1252 (cp1252) - check accented names")
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, mapping: ColumnMapping, notes: list[str]) -> list[list[str]]:
    text = _decode(path.read_bytes(), mapping.encoding, notes)
    sample = text[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _read_xlsx(path: Path, mapping: ColumnMapping) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_name(mapping.sheet) if mapping.sheet else book.get_sheet_by_index(0)
    merged = sheet.merged_cell_ranges or []
    header_merges = [m for m in merged if m[0][0] == 0]
    if header_merges:
        (r0, c0), (r1, c1) = header_merges[0]
        raise _bad(
            f"sheet {sheet.name!r} has merged header cells (rows {r0 + 1}-{r1 + 1}, "
            f"columns {c0 + 1}-{c1 + 1}); unmerge them so that row 1 holds one column name per column",
            f"lembar {sheet.name!r} memiliki sel judul yang digabung (baris {r0 + 1}-{r1 + 1}); pisahkan "
            "sel tersebut agar baris 1 berisi satu nama kolom per kolom",
            "xlsx_merged_header",
        )
    rows = sheet.to_python(skip_empty_area=False)
    return [[_cell_text(v) for v in row] for row in rows if any(_cell_text(v) for v in row)]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


def _read_parquet(path: Path) -> tuple[list[str], list[list[str]]]:
    import pyarrow.compute as pc

    table = pq.read_table(path)
    columns = []
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_floating(col.type):
            whole = pc.all(pc.equal(col, pc.floor(col))).as_py()
            col = pc.cast(col, pa.int64(), safe=False) if whole else col
        text = pc.utf8_trim_whitespace(pc.cast(col, pa.string()))
        columns.append(pc.fill_null(text, "").to_pylist())
    return list(table.column_names), columns


def _transpose(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    if not rows:
        return [], []
    header, body = [str(h) for h in rows[0]], rows[1:]
    return header, [[(r[i].strip() if i < len(r) else "") for r in body] for i in range(len(header))]


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _apply_mapping(header: list[str], mapping: ColumnMapping) -> dict[str, int]:
    wanted = {_key(src): dst for src, dst in mapping.columns.items()}
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        target = wanted.get(_key(name)) or (_key(name) if _key(name) in LIST_COLUMNS else None)
        if target and target not in positions:
            positions[target] = i
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        raise _bad(
            f"the list has no column {missing} (found {header}); rename the columns or give a column mapping",
            f"daftar tidak memiliki kolom {missing} (ada: {header}); ganti nama kolom atau berikan pemetaan kolom",
            "list_column_missing",
        )
    return positions


def _read_table(path: Path, suffix: str, mapping: ColumnMapping, notes: list[str]) -> tuple[list[str], list[list[str]]]:
    if suffix in (".csv", ".txt"):
        return _transpose(_read_csv(path, mapping, notes))
    if suffix in (".xlsx", ".xlsm"):
        return _transpose(_read_xlsx(path, mapping))
    return _read_parquet(path)


def read_list(path: Path, mapping: ColumnMapping | None = None) -> RawList:
    """Read a list file into text columns named as ours.

    Args:
        path: a ``.csv``, ``.xlsx`` or ``.parquet`` file.
        mapping: source column -> our column, the encoding and the sheet; ``None`` for our column names.

    Returns:
        The :class:`RawList` (every cell as stripped text, ``""`` when empty).

    Raises:
        InvalidInput: unknown file type, wrong encoding, merged XLSX header, a missing required column,
            or no data rows at all.
    """
    mapping = mapping or ColumnMapping()
    suffix = path.suffix.lower()
    if not path.is_file():
        raise _bad(f"list file {path} does not exist", f"berkas daftar {path} tidak ada", "list_not_found")
    notes: list[str] = []
    if suffix not in SUPPORTED_SUFFIXES:
        raise _bad(
            f"cannot read {path.name}: use one of {list(SUPPORTED_SUFFIXES)}",
            f"tidak dapat membaca {path.name}: gunakan salah satu dari {list(SUPPORTED_SUFFIXES)}",
            "list_format_unknown",
        )
    try:
        header, columns = _read_table(path, suffix, mapping, notes)
    except InvalidInput:
        raise
    except Exception as exc:  # csv, calamine and pyarrow raise many error types for a broken or mislabelled file
        kind = suffix.lstrip(".").upper()
        raise _bad(
            f"{path.name} cannot be read as {kind} ({type(exc).__name__}: {str(exc)[:120]}); "
            "check that the file really is what its name says, or save it again",
            f"{path.name} tidak bisa dibaca sebagai {kind}; pastikan isi berkas sesuai namanya, atau simpan ulang",
            "list_unreadable",
        ) from exc
    n_rows = len(columns[0]) if columns else 0
    if n_rows == 0:
        raise _bad(
            f"the list {path.name} has no data rows",
            f"daftar {path.name} tidak berisi baris data",
            "list_empty",
        )
    positions = _apply_mapping(header, mapping)
    return RawList({name: columns[pos] for name, pos in positions.items()}, n_rows, str(path), notes)


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    """Write rows as UTF-8 CSV (used for links, clusters and the rejected-row report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


def arrow_to_csv(path: Path, table: pa.Table) -> None:
    """Write an Arrow table as CSV (header, no index)."""
    import pyarrow.csv as pacsv

    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(safe_arrow_table(table), path)


def load_list(path: Path, mapping: ColumnMapping | None = None) -> ValidatedList:
    """Read a list file and check every row (the entry point of list import).

    Args:
        path: the list file (CSV, XLSX or Parquet).
        mapping: column mapping, encoding and sheet; ``None`` for our column names and detected encoding.

    Returns:
        The kept rows, every issue and every rejected row with its reason.

    Raises:
        InvalidInput: the file cannot be read as a list, or no row of it can be used (see :func:`read_list`
            and :func:`jangkau.linkage.validate.validate_list`).
    """
    from jangkau.linkage.validate import validate_list

    return validate_list(read_list(path, mapping))
