"""Request bodies are bounded on the stream, per address: a chunked upload without Content-Length gets 413 too."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.config import Settings

ADMIN = Principal(None, "admin.uji", Role.ADMIN, ("",))
LIMITED = Settings(max_upload_bytes=20_000, body_limits={"/api/v1/compliance/imports/evidence": 2_000})


def limited_client(session: Session) -> TestClient:
    client = client_as(session, ADMIN)
    client.app.state.settings = LIMITED  # type: ignore[attr-defined]
    return client


def chunks(total: int, size: int = 1_000) -> Iterator[bytes]:
    """A body of ``total`` bytes sent in chunks: httpx sends it chunked, without Content-Length."""
    yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n\r\n'
    for _ in range(total // size):
        yield b"a" * size


def test_chunked_upload_over_the_limit_is_refused_with_413(session: Session) -> None:
    response = limited_client(session).post(
        "/api/v1/compliance/imports/reports",
        content=chunks(100_000),
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["details"]["limit_bytes"] == 20_000


def test_declared_length_over_the_limit_is_refused_before_reading(session: Session) -> None:
    response = limited_client(session).post("/api/v1/persons", content=b"{" + b" " * 3_000_000 + b"}")
    assert response.status_code == 413
    assert response.json()["error"]["details"]["limit_bytes"] == Settings().max_body_bytes


def test_an_address_has_its_own_limit(session: Session) -> None:
    client = limited_client(session)
    files = {"file": ("evidence.csv", b"x" * 5_000, "text/csv")}
    small = client.post("/api/v1/compliance/imports/evidence", files=files, data={"kind": "bpjs"})
    assert small.status_code == 413
    assert small.json()["error"]["details"]["limit_bytes"] == 2_000
    allowed = client.post("/api/v1/compliance/imports/reports", files=files)
    assert allowed.status_code != 413
