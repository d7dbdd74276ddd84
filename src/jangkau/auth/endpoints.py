"""``/api/v1/auth/token`` (OAuth2 password flow) and ``/api/v1/me``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from jangkau.auth.deps import client_address, current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import PERMISSIONS
from jangkau.auth.service import LoginAttempt, authenticate, issue_api_token
from jangkau.config import get_settings
from jangkau.errors import JangkauError
from jangkau.webkit import get_session

router = APIRouter(tags=["auth"])


@router.post("/auth/token")
def token(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    totp: str = Form("", max_length=10, description="the 6-digit authenticator code, for accounts with TOTP"),
    session: Session = Depends(get_session),
) -> dict[str, Any]:
    """Exchange a username and password for a bearer token (for integrations).

    An account with a second factor also sends the current code as ``totp`` (clients that only know the OAuth2
    fields may send it as ``client_secret``). Failed attempts are throttled (429 with Retry-After) per username and
    IP, per IP and per username; every attempt is in the audit log.
    """
    code = totp or form.client_secret or None
    attempt = LoginAttempt(form.username, form.password, client_address(request), "api", code)
    try:
        user = authenticate(session, attempt)
    except JangkauError:
        session.commit()  # the refused attempt's audit row outlives the request's rollback (nothing else is written)
        raise
    value, stored = issue_api_token(session, user, name="oauth2-password")
    return {
        "access_token": value,
        "token_type": "bearer",
        "expires_in": get_settings().api_token_days * 86400,
        "expires_at": stored.expires_at.isoformat(),
    }


@router.get("/me")
def me(principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Who the token or session belongs to: role, scope and permissions."""
    return {
        "username": principal.username,
        "role": principal.role.value,
        "agent_kind": principal.agent_kind,
        "scope": list(principal.scope),
        "permissions": sorted(p.value for p in PERMISSIONS[principal.role]),
    }
