"""Sign in and out, the language switch, and the admin pages (users, audit log)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth import repository as repo
from jangkau.auth.deps import SESSION_COOKIE, current_principal, require, signer
from jangkau.auth.principal import Principal
from jangkau.auth.roles import ROLE_NAMES_ID, Permission, Role
from jangkau.auth.secrets import SessionData, new_csrf_token
from jangkau.auth.service import authenticate, end_sessions
from jangkau.errors import JangkauError
from jangkau.i18n import LANGUAGES
from jangkau.kit.pagination import PageRequest
from jangkau.webkit import LANG_COOKIE, check_csrf, get_session, render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None, expired: int = 0) -> HTMLResponse:
    message = "session_expired" if expired else None
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
    """Check the password; on success set a signed HttpOnly session cookie and go on."""
    try:
        check_csrf(request, csrf_token)
        user = authenticate(session, username, password)
    except JangkauError as exc:  # wrong password, locked account or stale form: keep what was typed
        context = {"next": safe_next(next), "username": username, "error": exc}
        return render(request, "login.html", context, status_code=exc.http_status)
    response = RedirectResponse(safe_next(next), status_code=303)
    cookie = signer(request).dumps(SessionData(user.id, user.session_version, new_csrf_token()))
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


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    session: Session = Depends(get_session),
    _principal: Principal = Depends(require(Permission.USERS_MANAGE)),
    page: int = Query(1, ge=1, le=10_000),
) -> HTMLResponse:
    listing = repo.list_users(session, PageRequest(page, 50))
    rows = [(u, ", ".join(repo.scope_of(session, u.id)) or "—") for u in listing.items]
    names = {r.value: ROLE_NAMES_ID[r] for r in Role}
    return render(request, "admin_users.html", {"page": listing, "rows": rows, "role_names": names})


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
