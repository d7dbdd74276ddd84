"""``/api/v1/auth/token`` (OAuth2 password flow) and ``/api/v1/me``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import PERMISSIONS
from jangkau.auth.service import authenticate, issue_api_token
from jangkau.config import get_settings
from jangkau.webkit import get_session

router = APIRouter(tags=["auth"])


@router.post("/auth/token")
def token(form: OAuth2PasswordRequestForm = Depends(), session: Session = Depends(get_session)) -> dict[str, Any]:
    """Exchange a username and password for a bearer token (for integrations)."""
    user = authenticate(session, form.username, form.password)
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
