"""Sign in (with the TOTP step) and out, the language switch, the account security page, the admin pages (users,
a user's tokens/sessions/second factor, audit log)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth import repository as repo
from jangkau.auth.deps import SESSION_COOKIE, client_address, current_principal, require, signer
from jangkau.auth.errors import NotAuthenticated, UserNotFound
from jangkau.auth.models import User
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.auth.secrets import PendingSignIn, SessionData, new_csrf_token, qr_svg_data_uri, totp_uri
from jangkau.auth.service import (
    LoginAttempt,
    authenticate,
    change_password,
    confirm_totp,
    end_session,
    end_sessions,
    end_sessions_by,
    needs_totp_enrolment,
    open_session,
    reset_totp,
    revoke_token,
    second_factor,
    sessions_of,
    start_totp,
    tokens_of,
)
from jangkau.config import get_settings
from jangkau.db.base import utcnow
from jangkau.errors import JangkauError
from jangkau.i18n import LANGUAGES
from jangkau.kit.pagination import PageRequest
from jangkau.web.kit import LANG_COOKIE, check_csrf, get_session, render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, expired: int = 0, password_set: int = 0) -> HTMLResponse:
    message = "password_set" if password_set else "session_expired" if expired else None
    return render(request, "login.html", {"next": safe_next(next), "username": "", "message": message})


@router.post("/login", response_model=None)
def login_submit(
    request: Request,
    session: Session = Depends(get_session),
    username: str = Form("", max_length=60),
    password: str = Form("", max_length=200),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    """Check the password; a TOTP account gets the code step next, the others a signed session cookie.

    A refusal re-renders the form (the request commits, so its audit row stays); 429 carries Retry-After.
    """
    attempt = LoginAttempt(username, password, client_address(request), "page")
    try:
        check_csrf(request, csrf_token)
        user = authenticate(session, attempt, second_step=True)
    except JangkauError as exc:  # wrong password, throttled or stale form: keep what was typed
        context = {"next": safe_next(next), "username": username, "error": exc}
        return _with_retry_after(render(request, "login.html", context, status_code=exc.http_status), exc)
    if user.has_totp:
        pending = PendingSignIn(_secret(request)).dumps(user.id, user.session_version)
        return render(request, "login_totp.html", {"pending": pending, "next": safe_next(next)})
    return _signed_in(request, session, user, next)


@router.post("/login/totp", response_model=None)
def login_totp_submit(
    request: Request,
    session: Session = Depends(get_session),
    pending: str = Form("", max_length=500),
    code: str = Form("", max_length=10),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    """The second step: the authenticator code of the account whose password was right a moment ago."""
    found = PendingSignIn(_secret(request)).loads(pending)
    user = repo.user_by_id(session, found[0]) if found else None
    if user is None or found is None or user.session_version != found[1] or not user.is_active:
        return RedirectResponse("/login?expired=1", status_code=303)
    try:
        check_csrf(request, csrf_token)
        second_factor(session, user, code, client_address(request))
    except JangkauError as exc:
        context = {"pending": pending, "next": safe_next(next), "error": exc}
        return _with_retry_after(render(request, "login_totp.html", context, status_code=exc.http_status), exc)
    return _signed_in(request, session, user, next)


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def _with_retry_after(response: Response, exc: JangkauError) -> Response:
    if "retry_after" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response


def _signed_in(request: Request, session: Session, user: User, next: str) -> Response:
    """Set the session cookie and go on (to the security page first when the role must still enrol TOTP)."""
    target = "/account/security" if needs_totp_enrolment(user) else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    opened = open_session(session, user, client_address(request), request.headers.get("user-agent", ""))
    cookie = signer(request).dumps(SessionData(user.id, user.session_version, new_csrf_token(), opened.id))
    secure = bool(request.app.state.secure_cookies)
    response.set_cookie(
        SESSION_COOKIE, cookie, httponly=True, samesite="lax", secure=secure, max_age=signer(request).max_age
    )
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
    csrf_token: str = Form(""),
) -> RedirectResponse:
    """End every session of the user."""
    check_csrf(request, csrf_token)
    user = repo.user_by_id(session, principal.user_id or 0)
    if user is not None:
        end_sessions(session, user)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def switch_language(request: Request, code: str) -> RedirectResponse:
    """Switch the interface language (id or en) and go back."""
    referer = request.headers.get("referer", "/")
    path = "/" + referer.split("/", 3)[3] if referer.count("/") >= 3 else "/"
    response = RedirectResponse(safe_next(path), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, samesite="lax", max_age=365 * 86400)
    return response


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: Session = Depends(get_session),
    _principal: Principal = Depends(require(Permission.AUDIT_READ)),
    entity: str | None = Query(None, max_length=40),
    page: int = Query(1, ge=1, le=100_000),
) -> HTMLResponse:
    listing = repo.list_audit(session, PageRequest(page, 50), entity=entity)
    return render(request, "admin_audit.html", {"page": listing, "entity": entity or ""})


@router.get("/admin/audit.csv")
def audit_export(
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.AUDIT_READ)),
) -> PlainTextResponse:
    """The whole audit log as CSV."""
    audit.record(session, principal, "export", "audit_log")
    return PlainTextResponse(
        audit.export_csv(session),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="jangkau-audit.csv"'},
    )


@router.get("/account/security", response_class=HTMLResponse)
def security_page(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
) -> HTMLResponse:
    """The signed-in user's second factor, API tokens, password and sessions."""
    return _security(request, session, _me(session, principal), admin_view=False)


def _me(session: Session, principal: Principal) -> User:
    user = repo.user_by_id(session, principal.user_id or 0)
    if user is None:
        raise NotAuthenticated
    return user


def _security(
    request: Request, session: Session, user: User, *, admin_view: bool, error: JangkauError | None = None
) -> HTMLResponse:
    pending_secret = user.totp_secret if user.totp_secret and not user.has_totp and not admin_view else None
    uri = totp_uri(pending_secret, user.username) if pending_secret else None
    context = {
        "subject": user,
        "admin_view": admin_view,
        "base": f"/admin/users/{user.id}/security" if admin_view else "/account/security",
        "tokens": tokens_of(session, user),
        "sessions": sessions_of(session, user),
        "current_session": getattr(request.state, "session_id", None) if not admin_view else None,
        "now": utcnow(),
        "totp_required": needs_totp_enrolment(user) or (user.role in get_settings().totp_roles()),
        "pending_secret": pending_secret,
        "totp_uri": uri,
        "totp_qr": qr_svg_data_uri(uri) if uri else None,
        "error": error,
    }
    return render(request, "account_security.html", context, status_code=error.http_status if error else 200)


@router.post("/account/security/totp", response_model=None)
def security_totp_start(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
    csrf_token: str = Form(""),
) -> Response:
    """Start enrolment: a new secret shown on the page until a code from it is confirmed."""
    user = _me(session, principal)
    try:
        check_csrf(request, csrf_token)
        start_totp(session, user)
    except JangkauError as exc:
        return _security(request, session, user, admin_view=False, error=exc)
    return RedirectResponse("/account/security#totp", status_code=303)


@router.post("/account/security/totp/confirm", response_model=None)
def security_totp_confirm(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
    code: str = Form("", max_length=10),
    csrf_token: str = Form(""),
) -> Response:
    """Switch the second factor on with a code from the app."""
    user = _me(session, principal)
    try:
        check_csrf(request, csrf_token)
        confirm_totp(session, user, code, principal)
    except JangkauError as exc:
        return _security(request, session, user, admin_view=False, error=exc)
    return RedirectResponse("/account/security", status_code=303)


@router.post("/account/security/password", response_model=None)
def security_password(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
    current_password: str = Form("", max_length=200),
    new_password: str = Form("", max_length=200),
    csrf_token: str = Form(""),
) -> Response:
    """Change the password (the policy applies); every other session ends, this one gets a new cookie."""
    user = _me(session, principal)
    try:
        check_csrf(request, csrf_token)
        change_password(session, user, current_password, new_password, principal)
    except JangkauError as exc:
        return _security(request, session, user, admin_view=False, error=exc)
    return _signed_in(request, session, user, "/account/security")


@router.post("/account/security/tokens/{token_id}/revoke", response_model=None)
def security_revoke_token(
    request: Request,
    token_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
    csrf_token: str = Form(""),
) -> Response:
    """Revoke one of the user's own API tokens."""
    check_csrf(request, csrf_token)
    revoke_token(session, _me(session, principal), token_id, principal)
    return RedirectResponse("/account/security", status_code=303)


@router.post("/account/security/sessions/{session_id}/end", response_model=None)
def security_end_session(
    request: Request,
    session_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
    csrf_token: str = Form(""),
) -> Response:
    """End one of the user's own sessions (another device, or this one)."""
    check_csrf(request, csrf_token)
    end_session(session, _me(session, principal), session_id, principal)
    return RedirectResponse("/account/security", status_code=303)


@router.get("/admin/users/{user_id}/security", response_class=HTMLResponse)
def admin_security_page(
    request: Request,
    user_id: int,
    session: Session = Depends(get_session),
    _principal: Principal = Depends(require(Permission.USERS_MANAGE)),
) -> HTMLResponse:
    """An admin's view of a user's tokens, second factor and sessions."""
    return _security(request, session, _subject(session, user_id), admin_view=True)


def _subject(session: Session, user_id: int) -> User:
    user = repo.user_by_id(session, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


@router.post("/admin/users/{user_id}/tokens/{token_id}/revoke", response_model=None)
def admin_revoke_token(
    request: Request,
    user_id: int,
    token_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.USERS_MANAGE)),
    csrf_token: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    revoke_token(session, _subject(session, user_id), token_id, principal)
    return RedirectResponse(f"/admin/users/{user_id}/security", status_code=303)


@router.post("/admin/users/{user_id}/sessions/end", response_model=None)
def admin_end_sessions(
    request: Request,
    user_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.USERS_MANAGE)),
    csrf_token: str = Form(""),
) -> Response:
    """Sign the user out everywhere (every session cookie stops working; API tokens are revoked one by one)."""
    check_csrf(request, csrf_token)
    end_sessions_by(session, _subject(session, user_id), principal)
    return RedirectResponse(f"/admin/users/{user_id}/security", status_code=303)


@router.post("/admin/users/{user_id}/sessions/{session_id}/end", response_model=None)
def admin_end_session(
    request: Request,
    user_id: int,
    session_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.USERS_MANAGE)),
    csrf_token: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    end_session(session, _subject(session, user_id), session_id, principal)
    return RedirectResponse(f"/admin/users/{user_id}/security", status_code=303)


@router.post("/admin/users/{user_id}/totp/reset", response_model=None)
def admin_reset_totp(
    request: Request,
    user_id: int,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.USERS_MANAGE)),
    csrf_token: str = Form(""),
) -> Response:
    """Remove a user's second factor (lost phone); the user sets it up again at the next sign-in."""
    check_csrf(request, csrf_token)
    reset_totp(session, _subject(session, user_id), principal)
    return RedirectResponse(f"/admin/users/{user_id}/security", status_code=303)
