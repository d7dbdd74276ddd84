"""Lists as city offices send them: Indonesian headers mapped to our columns, and each value read the way offices
write it (NIKs with spaces, dots, an apostrophe; dates as 12-05-1980, 12 Mei 1980 or an Excel serial day)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jangkau.errors import InvalidInput
from jangkau.linkage.lists.headers import header_key, is_known, propose_columns, target_for
from jangkau.linkage.lists.read import ColumnMapping, read_list, sample_list
from jangkau.linkage.lists.validate import check_row
from jangkau.linkage.lists.values import Unreadable, birth_date, nik_text, place_and_date, sex_code, village_key

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Nama", "name"), ("NAMA LENGKAP", "name"), ("Nama Lengkap ", "name"), ("NIK", "nik"), ("No KTP", "nik"),
        ("No. KTP", "nik"), ("Nomor Induk Kependudukan", "nik"), ("Tgl Lahir", "birth_date"),
        ("Tgl. Lahir", "birth_date"), ("Tanggal Lahir", "birth_date"), ("TTL", "birth_date"),
        ("Tempat, Tanggal Lahir", "birth_date"), ("Jenis Kelamin", "sex"), ("JK", "sex"), ("L/P", "sex"),
        ("Kelurahan", "village_code"), ("Desa", "village_code"), ("Kel/Desa", "village_code"),
        ("village_code", "village_code"), ("birth_date", "birth_date"), ("No", "row_id"),
        ("Alamat", ""), ("No HP", ""), ("Pekerjaan", ""),
    ],
)  # fmt: skip
def test_each_header_city_offices_write_maps_to_our_column(header: str, target: str) -> None:
    assert target_for(header) == target


def test_known_but_unused_headers_are_told_apart_from_unknown_ones() -> None:
    assert is_known("Alamat")
    assert is_known("No HP")
    assert is_known("Nama")
    assert not is_known("Kolom 7")
    assert header_key(" Tgl.  Lahir ") == "tgl lahir"


def test_a_proposal_takes_the_first_column_for_each_of_ours_once() -> None:
    header = ["No", "NIK", "Nama Lengkap", "Nama", "TTL", "L/P", "Kelurahan", "Alamat", "No HP"]
    assert propose_columns(header) == {
        "No": "row_id", "NIK": "nik", "Nama Lengkap": "name", "TTL": "birth_date", "L/P": "sex",
        "Kelurahan": "village_code",
    }  # fmt: skip


@pytest.mark.parametrize(
    "written",
    ["1271014508850003", "1271 0145 0885 0003", "1271.0145.0885.0003", "'1271014508850003", "1271-0145-0885-0003",
     " 1271014508850003 ", "1271014508850003.0", "\u20181271014508850003"],
)  # fmt: skip
def test_a_nik_written_with_separators_or_a_text_prefix_reads_as_its_16_digits(written: str) -> None:
    assert nik_text(written) == "1271014508850003"


@pytest.mark.parametrize(
    ("written", "reason"),
    [("3.27E+15", "scientific notation"), ("1.27101E+15", "scientific notation"), ("3,27e15", "scientific"),
     ("271014508850003", "15 digits"), ("12710145088", "11 digits"), ("12710145O8850003", "other than digits")],
)  # fmt: skip
def test_a_nik_that_lost_its_digits_is_refused_with_the_reason(written: str, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        nik_text(written)


@pytest.mark.parametrize(
    "written",
    ["12-05-1980", "12/05/1980", "12.05.1980", "12 Mei 1980", "12 MEI 1980", "12-Mei-1980", "12 May 1980",
     "1980-05-12", "1980-05-12 00:00:00", "19800512", "29353", "29353.0", "Medan, 12-05-1980", "MEDAN, 12 Mei 1980",
     "Medan 12/05/1980"],
)  # fmt: skip
def test_a_birth_date_reads_in_every_way_lists_write_it(written: str) -> None:
    assert birth_date(written, TODAY) == dt.date(1980, 5, 12)


@pytest.mark.parametrize(
    ("written", "reason"),
    [("31-02-1980", "calendar"), ("12 Mai 1980", "month name"), ("12-05-2030", "between 1900"), ("1980", "not a date"),
     ("kemarin", "not a date")],
)  # fmt: skip
def test_a_birth_date_that_is_no_date_is_refused_with_the_reason(written: str, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        birth_date(written, TODAY)


def test_ttl_splits_into_place_and_date() -> None:
    assert place_and_date("Medan, 12-05-1980") == ("Medan", "12-05-1980")
    assert place_and_date("Pematang Siantar 1 Januari 1990") == ("Pematang Siantar", "1 Januari 1990")
    assert place_and_date("12-05-1980") == ("", "12-05-1980")


@pytest.mark.parametrize(
    ("written", "code"),
    [("L", "L"), ("l", "L"), ("Laki-laki", "L"), ("LAKI - LAKI", "L"), ("Pria", "L"), ("P", "P"), ("Perempuan", "P"),
     ("wanita", "P")],
)  # fmt: skip
def test_sex_reads_as_l_or_p(written: str, code: str) -> None:
    assert sex_code(written) == code


def test_an_unknown_sex_is_refused() -> None:
    with pytest.raises(Unreadable, match="not L/P"):
        sex_code("X")


def test_village_names_compare_without_the_kelurahan_prefix_or_case() -> None:
    keys = {village_key(v) for v in ("Kel. Sei Sikambing B", "KELURAHAN SEI SIKAMBING B", "sei  sikambing b")}
    assert keys == {"sei sikambing b"}
    assert village_key("Kelambir") == "kelambir"


def test_a_row_as_a_city_writes_it_is_kept_with_clean_values() -> None:
    clean, issues = check_row(("'1271 0152 0585 0001", "Siti Aminah", "12 Mei 1985", "Perempuan", ""), TODAY)
    assert clean == ("1271015205850001", "Siti Aminah", dt.date(1985, 5, 12), "P", None)
    assert issues == []
    clean, issues = check_row(("3.27E+15", "Siti Aminah", "12 Mei 1985", "P", ""), TODAY)
    assert clean is not None
    assert clean[0] is None
    assert any("scientific notation" in i.reason for i in issues)


CITY_CSV = """No;NIK;Nama Lengkap;TTL;L/P;Kelurahan;Alamat;No HP
1;'1271 0152 0585 0001;Siti Aminah;Medan, 12 Mei 1985;P;Pasar Baru;Jl. Mawar 3;0812000001
2;1271.0115.0880.0001;M. Yusuf;Medan, 15-08-1980;L;Pusat Pasar;Jl. Melati 9;0812000002
"""


def test_a_city_csv_with_indonesian_headers_reads_without_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "kepling.csv"
    path.write_text(CITY_CSV, encoding="utf-8")
    raw = read_list(path)
    assert set(raw.columns) == {"row_id", "nik", "name", "birth_date", "sex", "village_code"}
    assert raw.columns["name"] == ["Siti Aminah", "M. Yusuf"]
    sample = sample_list(path, ColumnMapping({"Alamat": ""}), n=1)
    assert sample.proposed["TTL"] == "birth_date"
    assert "Alamat" not in sample.proposed
    assert sample.rows == [["1", "'1271 0152 0585 0001", "Siti Aminah", "Medan, 12 Mei 1985", "P", "Pasar Baru",
                            "Jl. Mawar 3", "0812000001"]]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("daftar.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "is a PDF"),
        ("daftar.xlsx", b"NIK,Nama,Tgl Lahir\n1271014508850003,A,1-1-1985\n", "holds CSV"),
        ("daftar.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "holds XLSX"),
        ("daftar.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Excel 97-2003"),
        ("daftar.csv", b"\x00\x01\x02\x03binary", "not a text"),
        ("daftar.csv", b"", "is empty"),
        ("daftar.csv", b"  \n\n", "is empty"),
        ("daftar.xlsx", b"PK\x03\x04 broken zip", "cannot be read as XLSX"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused_clearly(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=says) as refused:
        sample_list(path)
    assert refused.value.message_id  # also in Bahasa Indonesia
