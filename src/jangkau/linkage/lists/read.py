"""Read an outside list (CSV, XLSX, Parquet) into plain text columns, with a saved column mapping.

:func:`read_list` reads; :func:`jangkau.linkage.lists.validate.load_list` reads and checks every row.  A list arrives as
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
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jangkau.errors import InvalidInput
from jangkau.i18n import N_, bilingual
from jangkau.kit.spreadsheet import csv_writer, safe_arrow_table
from jangkau.linkage.lists.headers import IGNORE, propose_columns

LIST_COLUMNS = ("row_id", "nik", "name", "birth_date", "sex", "village_code")
REQUIRED_COLUMNS = ("nik", "name", "birth_date")
SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq")


@dataclass
class ColumnMapping:
    """Which source column feeds which of our columns; JSON-serialisable so it can be saved per source.

    Attributes:
        columns: source column name -> our column name (one of ``LIST_COLUMNS``, or ``""``: not used).  Source
            columns not named here are mapped by their header (our names, or the Indonesian headers of
            :mod:`jangkau.linkage.lists.headers`) to the columns still free.
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
        unknown = sorted(set(data.get("columns", {}).values()) - {*LIST_COLUMNS, IGNORE})
        if unknown:
            raise _bad(
                N_("column mapping names unknown target columns %(unknown)s; allowed: %(allowed)s"),
                "mapping_invalid",
                unknown=unknown,
                allowed=list(LIST_COLUMNS),
            )
        return cls(dict(data.get("columns", {})), data.get("encoding"), data.get("sheet"))


@dataclass
class RawList:
    """A list as read: text columns named as ours, plus what reading noticed."""

    columns: dict[str, list[str]]
    n_rows: int
    source: str
    notes: list[str] = field(default_factory=list)


def _bad(text: str, code: str, **params: object) -> InvalidInput:
    """A refusal of the list file: ``text`` is an English catalog msgid (``N_``), ``params`` fill it."""
    return InvalidInput(*bilingual(text, **params), code=code)


def _decode(data: bytes, encoding: str | None, notes: list[str]) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _bad(
                N_(
                    "the file is not valid %(encoding)s (byte %(start)s: %(byte)s); "
                    "declare its real encoding, e.g. --encoding cp1252 for a CSV saved by Excel"
                ),
                "encoding_invalid",
                encoding=encoding,
                start=exc.start,
                byte=repr(data[exc.start : exc.start + 1]),
            ) from exc
        except LookupError as exc:
            raise _bad(N_("unknown encoding %(encoding)s"), "encoding_unknown", encoding=repr(encoding)) from exc
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
            N_(
                "sheet %(sheet)s has merged header cells (rows %(r0)s-%(r1)s, columns %(c0)s-%(c1)s); "
                "unmerge them so that row 1 holds one column name per column"
            ),
            "xlsx_merged_header",
            sheet=repr(sheet.name),
            r0=r0 + 1,
            r1=r1 + 1,
            c0=c0 + 1,
            c1=c1 + 1,
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
    positions = _positions(header, mapping)
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        raise _bad(
            N_("the list has no column %(missing)s (found %(header)s); rename the columns or give a column mapping"),
            "list_column_missing",
            missing=missing,
            header=header,
        )
    return positions


def _positions(header: list[str], mapping: ColumnMapping) -> dict[str, int]:
    """Our column -> its position in ``header``: the mapping's choices first, then the proposals of the headers."""
    wanted = {_key(src): dst for src, dst in mapping.columns.items()}
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        target = wanted.get(_key(name))
        if target and target not in positions:
            positions[target] = i
    proposed = propose_columns([h for h in header if _key(h) not in wanted])
    for i, name in enumerate(header):
        target = proposed.get(name)
        if target and target not in positions:
            positions[target] = i
    return positions


def _read_table(path: Path, suffix: str, mapping: ColumnMapping, notes: list[str]) -> tuple[list[str], list[list[str]]]:
    if suffix == ".csv":
        return _transpose(_read_csv(path, mapping, notes))
    if suffix == ".xlsx":
        return _transpose(_read_xlsx(path, mapping))
    return _read_parquet(path)


_MAGIC = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".xlsx"), (b"\xd0\xcf\x11\xe0", ".xls"), (b"PAR1", ".parquet"))
_READS_AS = {".csv": ".csv", ".txt": ".csv", ".xlsx": ".xlsx", ".xlsm": ".xlsx", ".parquet": ".parquet",
             ".pq": ".parquet"}  # fmt: skip


def content_kind(path: Path) -> str:
    """What the file holds, from its first bytes: ``.pdf``, ``.xlsx`` (a zip), ``.xls``, ``.parquet``, ``.csv``
    (text), ``.bin`` (other binary) or ``.empty``."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        return ".empty"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return ".bin" if b"\x00" in head else ".csv"


def _suffix_to_read(path: Path) -> str:
    """The format to read the file as, once its content is known to match its name.

    Raises:
        InvalidInput: an unknown type, an empty file, a PDF, an old ``.xls`` workbook, other binary content, or
            content of another kind than the name says (a CSV named ``.xlsx``).
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _bad(N_("cannot read %(name)s: use one of %(suffixes)s"), "list_format_unknown",
                   name=path.name, suffixes=list(SUPPORTED_SUFFIXES))  # fmt: skip
    kind = content_kind(path)
    if kind == ".empty":
        raise _bad(N_("the list %(name)s is empty"), "list_empty", name=path.name)
    if kind == ".pdf":
        raise _bad(N_("%(name)s is a PDF document, not a list: send the spreadsheet itself (CSV or XLSX)"),
                   "list_is_pdf", name=path.name)  # fmt: skip
    if kind == ".xls":
        raise _bad(N_("%(name)s is an old Excel 97-2003 workbook (.xls): open it in a spreadsheet and save it as "
                      ".xlsx or CSV"), "list_is_xls", name=path.name)  # fmt: skip
    if kind == ".bin":
        raise _bad(N_("%(name)s is not a text, Excel or Parquet file: send the list as CSV or XLSX"),
                   "list_not_a_table", name=path.name)  # fmt: skip
    if kind != _READS_AS[suffix]:
        raise _bad(N_("%(name)s is named %(suffix)s but holds %(kind)s: save it again as %(kind)s, or give it the "
                      "name that matches (%(right)s)"), "list_content_mismatch", name=path.name,
                   suffix=suffix.lstrip(".").upper(), kind=kind.lstrip(".").upper(), right=kind)  # fmt: skip
    return kind


def _read_checked(path: Path, mapping: ColumnMapping, notes: list[str]) -> tuple[list[str], list[list[str]]]:
    """The header and the text columns of a list file, its format known from its content.

    Raises:
        InvalidInput: the file is missing, empty, of another kind than a list, or unreadable.
    """
    if not path.is_file():
        raise _bad(N_("list file %(path)s does not exist"), "list_not_found", path=path)
    kind = _suffix_to_read(path)
    try:
        header, columns = _read_table(path, kind, mapping, notes)
    except InvalidInput:
        raise
    except Exception as exc:  # csv, calamine and pyarrow raise many error types for a broken or mislabelled file
        raise _bad(
            N_(
                "%(name)s cannot be read as %(kind)s (%(error)s); "
                "check that the file really is what its name says, or save it again"
            ),
            "list_unreadable",
            name=path.name,
            kind=kind.lstrip(".").upper(),
            error=f"{type(exc).__name__}: {str(exc)[:120]}",
        ) from exc
    if not columns or not columns[0]:
        raise _bad(N_("the list %(name)s has no data rows"), "list_empty", name=path.name)
    return header, columns


@dataclass
class ListSample:
    """The header of a list, the columns proposed for it, and its first rows (for the preview)."""

    header: list[str]
    proposed: dict[str, str]
    rows: list[list[str]]
    n_rows: int
    notes: list[str]


def sample_list(path: Path, mapping: ColumnMapping | None = None, n: int = 5) -> ListSample:
    """Read a list's header and first ``n`` rows, and propose our column for each source column.

    Args:
        path: the list file.
        mapping: a mapping chosen before (it wins over the proposals for the columns it names).
        n: how many rows to show.

    Raises:
        InvalidInput: as :func:`read_list`, except a missing column (the preview lets the officer choose one).
    """
    mapping = mapping or ColumnMapping()
    notes: list[str] = []
    header, columns = _read_checked(path, mapping, notes)
    positions = _positions(header, mapping)
    proposed = {header[i]: target for target, i in positions.items()}
    rows = [[column[r] for column in columns] for r in range(min(n, len(columns[0])))]
    return ListSample(header, proposed, rows, len(columns[0]), notes)


def read_list(path: Path, mapping: ColumnMapping | None = None) -> RawList:
    """Read a list file into text columns named as ours.

    Args:
        path: a ``.csv``, ``.xlsx`` or ``.parquet`` file.
        mapping: source column -> our column, the encoding and the sheet; ``None`` for our column names and the
            Indonesian headers city offices use.

    Returns:
        The :class:`RawList` (every cell as stripped text, ``""`` when empty).

    Raises:
        InvalidInput: unknown file type, content that is not a list or not what the name says, wrong encoding, merged
            XLSX header, a missing required column, or no data rows at all.
    """
    mapping = mapping or ColumnMapping()
    notes: list[str] = []
    header, columns = _read_checked(path, mapping, notes)
    positions = _apply_mapping(header, mapping)
    return RawList({name: columns[pos] for name, pos in positions.items()}, len(columns[0]), str(path), notes)


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
