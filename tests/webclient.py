"""The whole web app on a test's session, signed in as a given principal (no login form, no cookie)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal, optional_principal
from jangkau.auth.principal import Principal
from jangkau.web.app import create_app
from jangkau.web.kit import get_session


def client_as(session: Session, principal: Principal, raise_server_exceptions: bool = True) -> TestClient:
    """Pages and API of ``create_app`` reading and writing through ``session`` (so the test's rollback undoes
    them), every request made by ``principal``; redirects are returned, not followed (a bug's exception is raised
    in the test unless ``raise_server_exceptions`` is off: then it is the 500 a client would get)."""
    app = create_app(session.get_bind())  # type: ignore[arg-type]

    def who(request: Request) -> Principal:
        request.state.principal = principal
        return principal

    def db() -> Iterator[Session]:
        yield session

    app.dependency_overrides[current_principal] = who
    app.dependency_overrides[optional_principal] = who
    app.dependency_overrides[get_session] = db
    return TestClient(app, follow_redirects=False, raise_server_exceptions=raise_server_exceptions)
