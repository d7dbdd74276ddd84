"""Bad input never makes a 5xx: every refusal of the web edge is a 4xx in the documented error shape.

One test per root cause, on SQLite and PostgreSQL (the ``session`` fixture runs both backends).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.errors import InvalidInput
from jangkau.linkage import imports

ADMIN = Principal(None, "admin.uji", Role.ADMIN, ("",))
VILLAGE = "12.71.01.1001"


@pytest.fixture
def client(session: Session) -> TestClient:
    return client_as(session, ADMIN)


def refusal(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is ``status`` with ``{"error": {"code": code, "message", "message_id", "fields"}}``."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["message_id"]
    assert isinstance(error["fields"], list)
    return error


def person(nik: str = "1271011204880007", **extra: Any) -> dict[str, Any]:
    return {"nik": nik, "full_name": "Rudi Hartono", "birth_date": "1988-04-12", "sex": "L", "village_code": VILLAGE}


def test_integer_beyond_64_bits_in_path_is_refused(client: TestClient) -> None:
    refusal(client.get(f"/api/v1/persons/{2**64}"), 422, "value_out_of_range")


def test_nul_byte_in_text_is_refused_or_stored(client: TestClient, session: Session) -> None:
    response = client.get("/api/v1/persons", params={"q": "Rudi\x00"})
    if session.get_bind().dialect.name == "postgresql":  # PostgreSQL text cannot hold NUL
        refusal(response, 422, "value_out_of_range")
    else:
        assert response.status_code == 200, response.text


def test_start_date_centuries_ahead_is_refused(client: TestClient) -> None:
    body = {"person": person(), "programs": ["jkk", "jkm"], "start_date": "2999-01-01"}
    error = refusal(client.post("/api/v1/enrolments", json=body), 422, "value_out_of_range")
    assert "1900-2200" in error["message"]


@pytest.mark.parametrize(
    ("body", "why"),
    [(b'{"nik": "\xff\xfe"}', "invalid UTF-8"), (b"[" * 50_000 + b"]" * 50_000, "nested 50,000 deep")],
)
def test_unreadable_json_body_is_refused(client: TestClient, body: bytes, why: str) -> None:
    response = client.post("/api/v1/persons", content=body, headers={"Content-Type": "application/json"})
    refusal(response, 400, "body_unreadable")


def test_unknown_address_and_method_are_refused_in_shape(client: TestClient) -> None:
    refusal(client.get("/api/v1/no-such-thing"), 404, "not_found")
    response = client.delete("/api/v1/persons")
    refusal(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize("name", [".", "..", "../.."])
def test_upload_named_dot_or_dotdot_is_refused(client: TestClient, name: str) -> None:
    files = {"file": (name, b"npp,month\n", "text/csv")}
    error = refusal(client.post("/api/v1/compliance/imports/reports", files=files), 422, "file_name_invalid")
    assert error["fields"][0]["field"] == "file"
    statement = client.post("/api/v1/funding/statements", files=files, data={"channel": "bank"})
    refusal(statement, 422, "file_name_invalid")


def test_broken_csv_is_refused(client: TestClient) -> None:
    files = {"file": ("reports.csv", b"npp,month\nA1\rB,2025-01\n", "text/csv")}
    refusal(client.post("/api/v1/compliance/imports/reports", files=files), 422, "statement_invalid")


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "no workbook here")
    return buffer.getvalue()


@pytest.mark.parametrize("content", [b"nik,name,birth_date\n1,a,b\n", _zip_without_workbook()])
def test_linkage_import_of_a_file_that_is_no_workbook_is_refused(session: Session, content: bytes) -> None:
    # the API queues the import (202); the worker's import refuses the file like this, and the task shows the reason
    with pytest.raises(InvalidInput) as refused:
        imports.import_upload(session, ADMIN, "daftar.xlsx", content, "dinsos")
    # a CSV named .xlsx is named as such; a zip without a workbook cannot be read as XLSX
    assert refused.value.code in ("list_content_mismatch", "list_unreadable")
    assert "XLSX" in refused.value.message


def test_receipt_of_a_wage_earner_membership_shows(client: TestClient) -> None:
    employer = {"registration_number": "NPP-UJI-1", "name": "CV Uji", "business_sector": "retail",
                "size_class": "small", "jkk_risk_group": 1, "village_code": VILLAGE}  # fmt: skip
    employer_id = client.post("/api/v1/employers", json=employer).json()["id"]
    created = client.post("/api/v1/persons", json=person("1271011204880015"))
    assert created.status_code == 201, created.text
    membership = {"person_id": created.json()["person"]["id"], "segment": "pu", "programs": ["jkk", "jkm", "jht"],
                  "start_date": "2026-01-01", "employer_id": employer_id, "wage": 4_000_000}  # fmt: skip
    opened = client.post("/api/v1/memberships", json=membership)
    assert opened.status_code == 201, opened.text
    receipt = client.get(f"/enrol/receipt/{opened.json()['id']}")
    assert receipt.status_code == 200, receipt.text
    assert "Rudi Hartono" in receipt.text
