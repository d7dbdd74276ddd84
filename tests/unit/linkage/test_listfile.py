"""List import: every file form and every bad input a city sends, with real files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jangkau.errors import InvalidInput
from jangkau.linkage.lists.read import ColumnMapping, read_list
from jangkau.linkage.lists.validate import REJECTED, WARNING, load_list

HEADER = "row_id,nik,name,birth_date,sex,village_code"
GOOD = [
    "r1,3515140508680001,Budi Santoso,1968-08-05,L,35.15.14.2001",
    "r2,3515144508680002,Siti Aminah,05-08-1968,P,3515142001",
]


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_reads_csv_and_normalises_dates_sex_and_region_codes(tmp_path: Path) -> None:
    result = load_list(write_csv(tmp_path / "l.csv", [HEADER, *GOOD]))
    rows = result.table.to_pylist()
    assert [r["row_id"] for r in rows] == ["r1", "r2"]
    assert rows[1]["birth_date"] == dt.date(1968, 8, 5)
    assert rows[1]["village_code"] == "35.15.14.2001"
    assert rows[1]["sex"] == "P"
    assert result.n_rejected == 0


def test_semicolon_csv_from_excel_is_read(tmp_path: Path) -> None:
    lines = [HEADER.replace(",", ";"), *(g.replace(",", ";") for g in GOOD)]
    assert load_list(write_csv(tmp_path / "l.csv", lines)).table.num_rows == 2


def test_latin1_file_declared_utf8_gives_a_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [HEADER, "r1,,José Ramos,1970-01-01,L,35.15.14.2001"], "latin-1")
    with pytest.raises(InvalidInput) as err:
        read_list(path, ColumnMapping(encoding="utf-8"))
    assert err.value.code == "encoding_invalid"
    assert "--encoding" in err.value.message
    assert "pengodean" in err.value.message_id


def test_undeclared_latin1_is_detected_with_a_warning(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "l.csv", [HEADER, "r1,,José Ramos,1970-01-01,L,35.15.14.2001"], "latin-1")
    result = load_list(path)
    assert result.table.column("name").to_pylist() == ["José Ramos"]
    assert any(i.field == "file" and "cp1252" in i.reason for i in result.issues)


def test_xlsx_is_read(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["No", "NIK", "Nama", "Tgl Lahir", "JK", "Kode Desa"])
    sheet.append([1, "3515140508680001", "Budi Santoso", dt.datetime(1968, 8, 5), "L", "35.15.14.2001"])
    book.save(tmp_path / "l.xlsx")
    mapping = ColumnMapping(
        {
            "No": "row_id",
            "NIK": "nik",
            "Nama": "name",
            "Tgl Lahir": "birth_date",
            "JK": "sex",
            "Kode Desa": "village_code",
        }
    )
    rows = load_list(tmp_path / "l.xlsx", mapping).table.to_pylist()
    assert rows[0]["row_id"] == "1"
    assert rows[0]["birth_date"] == dt.date(1968, 8, 5)


def test_xlsx_with_merged_header_cells_gives_a_clear_error(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Data pekerja rentan"
    sheet.merge_cells("A1:C1")
    sheet.append(["nik", "name", "birth_date"])
    book.save(tmp_path / "l.xlsx")
    with pytest.raises(InvalidInput) as err:
        read_list(tmp_path / "l.xlsx")
    assert err.value.code == "xlsx_merged_header"
    assert "merged" in err.value.message
    assert "digabung" in err.value.message_id


def test_parquet_is_read(tmp_path: Path) -> None:
    table = pa.table({"nik": ["3515140508680001"], "name": ["Budi"], "birth_date": [dt.date(1968, 8, 5)]})
    pq.write_table(table, tmp_path / "l.parquet")
    rows = load_list(tmp_path / "l.parquet").table.to_pylist()
    assert rows[0]["nik"] == "3515140508680001"
    assert rows[0]["row_id"] == "2"


def test_empty_list_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        load_list(write_csv(tmp_path / "l.csv", [HEADER]))
    assert err.value.code == "list_empty"


def test_missing_required_column_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        load_list(write_csv(tmp_path / "l.csv", ["nik,name", "3515140508680001,Budi"]))
    assert err.value.code == "list_column_missing"
    assert "birth_date" in err.value.message


def test_all_niks_invalid_is_refused(tmp_path: Path) -> None:
    lines = ["nik,name,birth_date", "3.51514E+15,Budi,1968-08-05", "12345,Ani,1970-01-01"]
    with pytest.raises(InvalidInput) as err:
        load_list(write_csv(tmp_path / "l.csv", lines))
    assert err.value.code == "list_nik_all_invalid"


def test_invalid_nik_with_name_and_date_is_kept_blanked_with_a_warning(tmp_path: Path) -> None:
    lines = [HEADER, *GOOD, "r3,3515149908680001,Ani Lestari,1970-01-01,P,35.15.14.2001"]
    result = load_list(write_csv(tmp_path / "l.csv", lines))
    row = result.table.to_pylist()[2]
    assert row["row_id"] == "r3"
    assert row["nik"] is None
    assert row["name"] == "Ani Lestari"
    assert any(i.row_id == "r3" and i.severity == WARNING and i.field == "nik" for i in result.issues)


def test_unlinkable_rows_are_rejected_with_reasons_never_dropped_silently(tmp_path: Path) -> None:
    lines = [HEADER, *GOOD, "r3,123,,,,", "r1,3515140508680001,Budi,1968-08-05,L,", "r5,,,,,"]
    result = load_list(write_csv(tmp_path / "l.csv", lines))
    assert result.table.num_rows == 2
    reasons = {r["row_id"]: r["reason"] for r in result.rejected_rows}
    assert set(reasons) == {"r3", "r1", "r5"}
    assert reasons["r1"] == "duplicate row_id"
    assert "not enough to link" in reasons["r3"]
    assert result.table.num_rows + result.n_rejected == result.n_read
    assert sum(1 for i in result.issues if i.severity == REJECTED) == 3


def test_suspicious_values_are_blanked_with_warnings(tmp_path: Path) -> None:
    lines = [HEADER, *GOOD, "r3,,Ani,31-02-1970,X,99.99.99.9999", "r4,3515140508680003,Ana,1969-08-05,L,"]
    result = load_list(write_csv(tmp_path / "l.csv", lines))
    fields = {(i.row_id, i.field) for i in result.issues if i.severity == WARNING}
    assert {("r3", "birth_date"), ("r3", "sex"), ("r3", "village_code"), ("r4", "nik")} <= fields


def test_column_mapping_round_trips_through_json() -> None:
    mapping = ColumnMapping({"NIK KTP": "nik", "Nama Lengkap": "name"}, encoding="cp1252", sheet="Data")
    again = ColumnMapping.from_dict(json.loads(json.dumps(mapping.as_dict())))
    assert again == mapping


def test_mapping_to_an_unknown_column_is_refused() -> None:
    with pytest.raises(InvalidInput):
        ColumnMapping.from_dict({"columns": {"NIK": "nomor"}})
