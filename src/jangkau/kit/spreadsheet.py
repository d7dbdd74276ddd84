"""Spreadsheet-safe exports: text that a spreadsheet program would run as a formula is made inert.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (CSV/formula injection: ``=HYPERLINK(...)`` in a name exfiltrates data when an
officer opens the export). Every CSV export goes through :func:`csv_writer` (such text gets a leading ``'``, which
the programs show as a text marker), every XLSX export writes strings as string cells (:func:`xlsx_write_row`,
:func:`openpyxl_row`), and Arrow tables written as CSV through :func:`safe_arrow_table`. Only strings are touched:
a negative number in a numeric column stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[=+\\-@\\t\\r]"


def safe_cell(value: Any) -> Any:
    """``value`` with a ``'`` in front when it is text a spreadsheet would take for a formula; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` whose rows pass through :func:`safe_cell`."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **options: Any) -> SafeCsvWriter:
    """A CSV writer for exports (same options as :func:`csv.writer`)."""
    return SafeCsvWriter(out, **options)


def xlsx_write_row(sheet: Any, row: int, col: int, values: Sequence[Any], cell_format: Any = None) -> None:
    """XlsxWriter's ``write_row`` with every string written as a string cell, never as a formula or a number."""
    for j, value in enumerate(values):
        if isinstance(value, str):
            sheet.write_string(row, col + j, value, cell_format)
        else:
            sheet.write(row, col + j, value, cell_format)


def openpyxl_row(sheet: Any, values: Sequence[Any]) -> None:
    """openpyxl's ``append`` with strings kept as text (openpyxl would store ``=...`` as a formula)."""
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"  # set after the value: assigning "=..." makes openpyxl mark the cell a formula


def safe_arrow_table(table: Any) -> Any:
    """A ``pyarrow.Table`` with :func:`safe_cell` applied to every string column (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = table.column(i)
            risky = pc.fill_null(pc.match_substring_regex(column, _FORMULA_PATTERN), False)
            quoted = pc.binary_join_element_wise(pa.scalar("'", field.type), column, pa.scalar("", field.type))
            table = table.set_column(i, field, pc.if_else(risky, quoted, column))
    return table
