"""An outside list as the city sends it: the officer uploads, sees the columns proposed for its Indonesian headers
and the first rows read, corrects or confirms, and only then is it imported; villages named in the list are found
by name and shown by name; a file that is not a list gets its reason next to the file field, never a 500."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient
from tests.webclient import client_as

from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.linkage.models import LinkageList, LinkageRow, LinkageUpload
from jangkau.tasks.models import TaskRecord

CITY_CSV = """No;NIK;Nama Lengkap;TTL;L/P;Kelurahan;Alamat;No HP
1;'1271 0152 0585 0001;Siti Aminah;Medan, 12 Mei 1985;Perempuan;Kel. Pasar Baru;Jl. Mawar 3;0812000001
2;1271.0115.0880.0001;M. Yusuf;Medan, 15-08-1980;L;PUSAT PASAR;Jl. Melati 9;0812000002
3;3.27E+15;Rina Marlina;03/02/2001;P;12.71.02.1002;Jl. Kenanga 1;0812000003
"""


def _officer(session: Session, username: str = "pratinjau.officer") -> Principal:
    user = create_user(session, NewUser(username, "Officer", Role.REGION_OFFICER, "a-long-password-1", ("12.71",)),
                       OPERATOR)  # fmt: skip
    return Principal(user.id, user.username, Role.REGION_OFFICER, ("12.71",))


def _send(client: TestClient, name: str, content: bytes, source: str = "Kepling Medan") -> object:
    token = re.search(r'name="once" value="([^"]+)"', client.get("/linkage").text)
    assert token is not None
    client.cookies.set("jangkau_csrf", "t")
    form = {"source": source, "csrf_token": "t", "once": token.group(1)}
    return client.post("/linkage/preview", files={"file": (name, content, "text/csv")}, data=form)


def _form(page: str) -> dict[str, str]:
    """The preview form's fields as the browser would send them (selected options)."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return {**fields, "csrf_token": "t"}


@pytest.mark.usefixtures("immediate")
def test_the_officer_sees_the_proposed_columns_and_rows_then_confirms_the_import(session: Session) -> None:
    client = client_as(session, _officer(session))
    sent = _send(client, "kepling.csv", CITY_CSV.encode())
    assert sent.status_code == 303, sent.text  # type: ignore[attr-defined]
    location = sent.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/linkage/uploads/\d+", location)
    assert session.scalar(select(func.count()).select_from(LinkageList)) == 0  # nothing imported before confirming
    page = client.get(location)
    assert page.status_code == 200
    form = _form(page.text)
    headers = {form[k]: form[k.replace("header_", "column_")] for k in form if k.startswith("header_")}
    assert headers == {"No": "row_id", "NIK": "nik", "Nama Lengkap": "name", "TTL": "birth_date", "L/P": "sex",
                       "Kelurahan": "village_code", "Alamat": "", "No HP": ""}  # fmt: skip
    rows = page.text.split('id="preview-rows"')[1]
    assert "12 Mei 1985" in rows
    assert "15 Agustus 1980" in rows
    assert "Pasar Baru" in rows
    assert "Pusat Pasar" in rows
    assert "Sei Sikambing B" in rows
    assert "scientific notation" in rows  # the Excel-mangled NIK says why it is not used
    digits = re.sub(r"\D", "", page.text)
    assert "1271015205850001" not in digits  # NIKs masked on the preview, in the rows and the first values
    assert "1271011508800001" not in digits
    assert "0812000001" not in page.text  # a phone column shows no values at all
    assert "Jl. Mawar" not in page.text
    confirmed = client.post(location + "/confirm", data=form)
    assert confirmed.status_code == 303, confirmed.text
    task = session.get_one(TaskRecord, int(confirmed.headers["location"].rsplit("/", 1)[1]))
    assert task.status == "done", task.error
    listing = session.get_one(LinkageList, json.loads(task.result or "{}")["list_id"])
    assert (listing.rows_read, listing.rows_kept, listing.rows_rejected) == (3, 3, 0)
    kept = session.scalars(select(LinkageRow).where(LinkageRow.list_id == listing.id).order_by(LinkageRow.line))
    assert [(r.nik, r.village_code, r.sex) for r in kept] == [
        ("1271015205850001", "12.71.01.1001", "P"), ("1271011508800001", "12.71.01.1002", "L"),
        (None, "12.71.02.1002", "P"),
    ]  # fmt: skip
    detail = client.get(f"/linkage/lists/{listing.id}?show=not_registered").text
    assert "Pasar Baru" in detail
    assert "Sei Sikambing B" in detail
    assert ">12.71.01.1001<" not in detail


@pytest.mark.usefixtures("immediate")
def test_a_corrected_column_is_kept_and_a_missing_one_is_named_next_to_the_columns(session: Session) -> None:
    client = client_as(session, _officer(session))
    location = _send(client, "kepling.csv", CITY_CSV.encode()).headers["location"]  # type: ignore[attr-defined]
    form = _form(client.get(location).text)
    nik_column = next(k.replace("header_", "column_") for k, v in form.items() if v == "NIK")
    refused = client.post(location + "/confirm", data={**form, nik_column: ""})
    assert refused.status_code == 422
    assert 'id="mapping-error"' in refused.text
    assert re.search(rf'<select name="{nik_column}"[^>]*>\s*<option value="" selected', refused.text)  # choice kept
    assert session.get_one(LinkageUpload, int(location.rsplit("/", 1)[1])).list_id is None
    other = client_as(session, _officer(session, "lain.officer"))
    assert other.get(location).status_code == 404  # only the uploader sees the preview
    done = client.post(location + "/confirm", data=form)
    assert done.status_code == 303
    again = client.post(location + "/confirm", data=form)  # the same form sent twice: one import
    assert again.headers["location"] == done.headers["location"]
    assert session.scalar(select(func.count()).select_from(LinkageList)) == 1


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("daftar.csv", b"%PDF-1.4\n1 0 obj\n", "PDF"),
        ("daftar.xlsx", b"NIK,Nama\n1271014508850003,A\n", "CSV"),
        ("daftar.csv", b"", "kosong"),
        ("daftar.docx", b"hello", ".csv"),
    ],
)
def test_a_file_that_is_not_a_list_gets_its_reason_next_to_the_file_field(
    session: Session, name: str, content: bytes, says: str
) -> None:
    client = client_as(session, _officer(session))
    refused = _send(client, name, content, source="Dinsos")
    assert refused.status_code == 422, refused.text  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    error = re.search(r'<span class="field-error" id="import-error" role="alert">([^<]+)</span>', text)
    assert error is not None
    assert says in error.group(1)
    assert 'value="Dinsos"' in text  # the source as typed
    assert session.scalar(select(func.count()).select_from(LinkageUpload)) == 0
