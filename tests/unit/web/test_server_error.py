"""A bug's 500 is in the error shape, says nothing of the exception, and closes the kept-open connection cleanly."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jangkau.db.engine import make_engine
from jangkau.web.app import create_app


def test_a_bug_answers_500_in_the_error_shape_with_connection_close() -> None:
    app = create_app(make_engine("sqlite://"))

    @app.get("/api/v1/bug")
    def bug() -> None:
        raise RuntimeError("secret detail 1271011204880007")

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/bug")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text
    assert response.headers["connection"] == "close"
