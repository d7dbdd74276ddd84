"""``/api/v1/auth/token`` (OAuth2 password flow), ``/api/v1/me`` and the caller's tokens and sessions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth import repository as repo
from jangkau.auth.deps import client_address, current_principal
from jangkau.auth.errors import (
    LoginFailed,
    NotAuthenticated,
    SecondFactorEnrolmentRequired,
    SecondFactorRequired,
    SessionNotFound,
    Throttled,
    TokenNotFound,
)
from jangkau.auth.models import User
from jangkau.auth.principal import Principal
from jangkau.auth.roles import PERMISSIONS
from jangkau.auth.schemas import ApiTokenRead, MeRead, SessionRead, TokenRead
from jangkau.auth.service import (
    LoginAttempt,
    authenticate,
    end_session,
    issue_api_token,
    revoke_token,
    sessions_of,
    tokens_of,
)
from jangkau.config import get_settings
from jangkau.errors import JangkauError
from jangkau.web.kit import get_session

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/token",
    response_model=TokenRead,
    responses=error_responses(LoginFailed, SecondFactorRequired, SecondFactorEnrolmentRequired, Throttled),
)
def token(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    totp: str = Form("", max_length=10, description="the 6-digit authenticator code, for accounts with TOTP"),
    session: Session = Depends(get_session),
) -> TokenRead:
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
    return TokenRead(
        access_token=value,
        token_type="bearer",
        expires_in=get_settings().api_token_days * 86400,
        expires_at=stored.expires_at,
    )


@router.get("/me", response_model=MeRead, responses=error_responses(NotAuthenticated))
def me(principal: Principal = Depends(current_principal)) -> MeRead:
    """Who the token or session belongs to: role, scope and permissions."""
    return MeRead(
        username=principal.username,
        role=principal.role.value,
        agent_kind=principal.agent_kind,
        scope=list(principal.scope),
        permissions=sorted(p.value for p in PERMISSIONS[principal.role]),
    )


def _caller(session: Session, principal: Principal) -> User:
    user = repo.user_by_id(session, principal.user_id or 0)
    if user is None:
        raise NotAuthenticated
    return user


@router.get("/me/tokens", response_model=list[ApiTokenRead], responses=error_responses(NotAuthenticated))
def my_tokens(
    session: Session = Depends(get_session), principal: Principal = Depends(current_principal)
) -> list[ApiTokenRead]:
    """The caller's API tokens, newest first (revoked and expired ones included)."""
    return [ApiTokenRead.model_validate(t) for t in tokens_of(session, _caller(session, principal))]


@router.post("/me/tokens/{token_id}/revoke", response_model=ApiTokenRead, responses=error_responses(TokenNotFound))
def revoke_my_token(
    token_id: int, session: Session = Depends(get_session), principal: Principal = Depends(current_principal)
) -> ApiTokenRead:
    """Revoke one of the caller's API tokens (it stops working at once; the one making this call too)."""
    return ApiTokenRead.model_validate(revoke_token(session, _caller(session, principal), token_id, principal))


@router.get("/me/sessions", response_model=list[SessionRead], responses=error_responses(NotAuthenticated))
def my_sessions(
    session: Session = Depends(get_session), principal: Principal = Depends(current_principal)
) -> list[SessionRead]:
    """The caller's open page sessions (signed in through /login), newest first."""
    return [SessionRead.model_validate(s) for s in sessions_of(session, _caller(session, principal))]


@router.post(
    "/me/sessions/{session_id}/end", status_code=204, response_model=None, responses=error_responses(SessionNotFound)
)
def end_my_session(
    session_id: int, session: Session = Depends(get_session), principal: Principal = Depends(current_principal)
) -> Response:
    """End one of the caller's page sessions."""
    end_session(session, _caller(session, principal), session_id, principal)
    return Response(status_code=204)
