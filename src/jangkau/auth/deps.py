"""FastAPI dependencies: who is calling (API token or session cookie) and whether they may."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from jangkau.auth import repository as repo
from jangkau.auth.errors import ApiCsrfFailed, SecondFactorEnrolmentRequired
from jangkau.auth.errors import NotAuthenticated as NotAuthenticated  # re-exported: web.py imports it from here
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.auth.secrets import SessionSigner
from jangkau.auth.service import (
    needs_totp_enrolment,
    principal_for,
    principal_from_token,
    session_is_open,
)
from jangkau.i18n import N_, bilingual
from jangkau.web.kit import get_session

SESSION_COOKIE = "jangkau_session"
# What a user whose role must use TOTP reaches before enrolling: the security page, sign-out, the language switch.
ENROLMENT_PATHS = ("/account/security", "/logout", "/login", "/lang/")


def client_address(request: Request) -> str:
    """The peer's IP address. Behind a reverse proxy this is the proxy's address, so per-IP login limits then count
    every client together: run uvicorn with ``--proxy-headers --forwarded-allow-ips`` set to the proxy."""
    return request.client.host if request.client else "unknown"


def signer(request: Request) -> SessionSigner:
    found: SessionSigner = request.app.state.session_signer
    return found


def optional_principal(request: Request, session: Session = Depends(get_session)) -> Principal | None:
    """The caller if signed in (bearer token first, then the session cookie), else ``None``."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    principal = _from_bearer(request, session) or _from_cookie(request, session)
    request.state.principal = principal
    return principal


def _from_bearer(request: Request, session: Session) -> Principal | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    principal = principal_from_token(session, header[7:].strip())
    if principal is None:
        raise NotAuthenticated(*bilingual(N_("The API token is invalid, expired or revoked")))
    return principal


CSRF_HEADER = "x-requested-with"
CSRF_HEADER_VALUE = "jangkau"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _from_cookie(request: Request, session: Session) -> Principal | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    if (
        request.url.path.startswith("/api/")
        and request.method not in _SAFE_METHODS
        and request.headers.get(CSRF_HEADER, "").lower() != CSRF_HEADER_VALUE
    ):
        raise ApiCsrfFailed
    data = signer(request).loads(cookie)
    if data is None:
        return None
    user = repo.user_by_id(session, data.user_id)
    if user is None or not user.is_active or user.session_version != data.version:
        return None
    if not session_is_open(session, user.id, data.session_id):  # ended on the security page, or expired
        return None
    request.state.session_id = data.session_id
    if needs_totp_enrolment(user) and not request.url.path.startswith(ENROLMENT_PATHS):
        raise SecondFactorEnrolmentRequired
    return principal_for(session, user)


def current_principal(principal: Principal | None = Depends(optional_principal)) -> Principal:
    """The signed-in caller; 401 (API) or a redirect to the login page (pages) otherwise."""
    if principal is None:
        raise NotAuthenticated
    return principal


def require(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency that lets through only callers whose role has ``permission`` (403 otherwise)."""

    def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        principal.require(permission)
        return principal

    return dependency
