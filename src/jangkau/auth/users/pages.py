"""The administrator's user pages (list, new, edit, deactivate, reactivate, one-time password link) and the page on
which a user sets their password with that link. Forms keep what was typed and name the wrong field; a form sent
twice changes nothing the second time (:func:`jangkau.web.forms.submit_once`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import repository as repo
from jangkau.auth.deps import require
from jangkau.auth.errors import UserNotFound
from jangkau.auth.models import User
from jangkau.auth.principal import Principal
from jangkau.auth.roles import AgentKind, Permission
from jangkau.auth.users import service
from jangkau.auth.users.service import AccountForm
from jangkau.errors import FieldError, JangkauError
from jangkau.kit.pagination import PageRequest
from jangkau.regions.service import provinces_and_regencies, region_names
from jangkau.web.forms import new_token, submit_once
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)
ADMIN = Depends(require(Permission.USERS_MANAGE))
SESSION = Depends(get_session)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    session: Session = SESSION,
    _principal: Principal = ADMIN,
    page: int = Query(1, ge=1, le=10_000),
    q: str = Query("", max_length=60),
) -> HTMLResponse:
    """Every account with its role, territory (by name) and whether it may sign in (``q``: a part of the username
    or the name)."""
    listing = repo.list_users(session, PageRequest(page, 50), q)
    scopes = repo.scopes_of(session, [u.id for u in listing.items])
    names = region_names(session, {p for s in scopes.values() for p in s if p})
    rows = [(u, _scope_text(scopes.get(u.id, ()), names)) for u in listing.items]
    return render(request, "admin_users.html", {"page": listing, "rows": rows, "q": q})


def _scope_text(scope: tuple[str, ...], names: dict[str, str]) -> list[str]:
    return [names.get(p, p) if p else "Indonesia" for p in scope]


def _form_context(session: Session, form: AccountForm, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "roles": [r.value for r in service.STAFF_ROLES],
        "agent_kinds": [k.value for k in AgentKind],
        "suggestions": provinces_and_regencies(session),
        "errors": {},
        "error": None,
        "form_token": new_token(),
        **extra,
    }


def _refused(
    request: Request, session: Session, template: str, form: AccountForm, exc: Exception, **extra: Any
) -> Response:
    fields: dict[str, FieldError] = {}
    status = 422
    general: Any = None
    if isinstance(exc, JangkauError):
        status = exc.http_status
        for f in exc.fields:
            fields.setdefault(f.field, f)
        if not exc.fields or "csrf_token" in fields:
            general = exc
    context = _form_context(session, form, errors=fields, error=general, **extra)
    if "region" in fields:
        context["region_choices"] = service.region_choices(session, form.region)
    return render(request, template, context, status_code=status)


@router.get("/admin/users/new", response_class=HTMLResponse)
def new_user_page(request: Request, session: Session = SESSION, _principal: Principal = ADMIN) -> HTMLResponse:
    return render(request, "admin_user.html", _form_context(session, AccountForm("", ""), username="", subject=None))


@router.post("/admin/users/new", response_model=None)
def new_user_submit(
    request: Request,
    session: Session = SESSION,
    principal: Principal = ADMIN,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    username: str = Form("", max_length=60),
    full_name: str = Form("", max_length=200),
    role: str = Form("", max_length=30),
    agent_kind: str = Form("", max_length=30),
    institution: str = Form("", max_length=200),
    region: str = Form("", max_length=400),
    region_code: str = Form("", max_length=13),
    whole_country: str = Form(""),
) -> Response:
    """Create the account (a password nobody knows) and go to its page, where the one-time link is made."""
    form = AccountForm(full_name, role, region, region_code, agent_kind, institution, bool(whole_country))

    def produce() -> dict[str, Any]:
        check_csrf(request, csrf_token)
        account = service.check_form(session, form, username)
        user = service.create_account(session, username, account, principal)
        return {"redirect": f"/admin/users/{user.id}?created=1"}

    try:
        answer, _again = submit_once(session, principal, form_token, "/admin/users/new", produce)
    except JangkauError as exc:
        return _refused(request, session, "admin_user.html", form, exc, username=username, subject=None)
    return RedirectResponse(str(answer["redirect"]), status_code=303)


def _subject(session: Session, user_id: int) -> User:
    user = repo.user_by_id(session, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


def _roles(user: User) -> list[str]:
    """The roles the form offers: the staff roles, and the account's own role when it is another one."""
    staff = [r.value for r in service.STAFF_ROLES]
    return staff if user.role in staff else [*staff, user.role]


def _current_form(session: Session, user: User) -> AccountForm:
    scope = repo.scope_of(session, user.id)
    names = region_names(session, [p for p in scope if p])
    region = "; ".join(f"{names.get(p, p)} ({p})" for p in scope if p)
    return AccountForm(
        user.full_name, user.role, region, "", user.agent_kind or "", user.institution or "", "" in scope
    )


def _user_page(
    request: Request, session: Session, user: User, status: int = 200, form: AccountForm | None = None, **extra: Any
) -> HTMLResponse:
    context = _form_context(session, form or _current_form(session, user), username=user.username, subject=user)
    context["roles"] = _roles(user)
    context.update(extra)
    return render(request, "admin_user.html", context, status_code=status)


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(
    request: Request,
    user_id: int,
    session: Session = SESSION,
    _principal: Principal = ADMIN,
    created: int = Query(0, ge=0, le=1),
) -> HTMLResponse:
    """One account: its details to change, deactivate or reactivate, and the one-time password link."""
    return _user_page(request, session, _subject(session, user_id), created=bool(created))


@router.post("/admin/users/{user_id}", response_model=None)
def user_submit(
    request: Request,
    user_id: int,
    session: Session = SESSION,
    principal: Principal = ADMIN,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    full_name: str = Form("", max_length=200),
    role: str = Form("", max_length=30),
    agent_kind: str = Form("", max_length=30),
    institution: str = Form("", max_length=200),
    region: str = Form("", max_length=400),
    region_code: str = Form("", max_length=13),
    whole_country: str = Form(""),
) -> Response:
    """Save the name, role, kind, institution and territory."""
    user = _subject(session, user_id)
    form = AccountForm(full_name, role, region, region_code, agent_kind, institution, bool(whole_country))

    def produce() -> dict[str, Any]:
        check_csrf(request, csrf_token)
        account = service.check_form(session, form, current_role=user.role)
        service.update_account(session, user, account, principal)
        return {"redirect": f"/admin/users/{user.id}?saved=1"}

    try:
        answer, _again = submit_once(session, principal, form_token, f"/admin/users/{user_id}", produce)
    except JangkauError as exc:
        return _refused(
            request, session, "admin_user.html", form, exc, username=user.username, subject=user, roles=_roles(user)
        )
    return RedirectResponse(str(answer["redirect"]), status_code=303)


@router.post("/admin/users/{user_id}/deactivate", response_model=None)
def deactivate(
    request: Request, user_id: int, session: Session = SESSION, principal: Principal = ADMIN, csrf_token: str = Form("")
) -> Response:
    """The user can no longer sign in; their sessions end (refused for one's own account)."""
    return _set_active(request, session, principal, user_id, csrf_token, active=False)


@router.post("/admin/users/{user_id}/reactivate", response_model=None)
def reactivate(
    request: Request, user_id: int, session: Session = SESSION, principal: Principal = ADMIN, csrf_token: str = Form("")
) -> Response:
    return _set_active(request, session, principal, user_id, csrf_token, active=True)


def _set_active(
    request: Request, session: Session, principal: Principal, user_id: int, csrf_token: str, *, active: bool
) -> Response:
    user = _subject(session, user_id)
    try:
        check_csrf(request, csrf_token)
        with session.begin_nested():
            service.set_active(session, user, active, principal)
    except JangkauError as exc:
        return _user_page(request, session, user, exc.http_status, action_error=exc)
    return RedirectResponse(f"/admin/users/{user.id}", status_code=303)


@router.post("/admin/users/{user_id}/password-link", response_model=None)
def password_link(
    request: Request,
    user_id: int,
    session: Session = SESSION,
    principal: Principal = ADMIN,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
) -> Response:
    """Make a one-time link and show it this once (only its hash is kept; the same form sent again shows no link)."""
    user = _subject(session, user_id)
    made: list[str] = []

    def produce() -> dict[str, Any]:
        check_csrf(request, csrf_token)
        made.append(service.make_reset_link(session, user, principal))
        return {"made": True}

    try:
        _answer, again = submit_once(session, principal, form_token, f"/admin/users/{user_id}/password-link", produce)
    except JangkauError as exc:
        return _user_page(request, session, user, exc.http_status, action_error=exc)
    link = str(request.base_url).rstrip("/") + f"/password/{made[0]}" if made else None
    response = _user_page(request, session, user, reset_link=link, link_already_shown=again)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/password/{token}", response_class=HTMLResponse)
def set_password_page(request: Request, token: str, session: Session = SESSION) -> HTMLResponse:
    """The page a one-time link opens: the user chooses a new password (refused: a used or expired link)."""
    user = service.reset_user(session, token)
    response = render(request, "password_set.html", {"token": token, "subject_name": user.username, "errors": {}})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/password/{token}", response_model=None)
def set_password_submit(
    request: Request,
    token: str,
    session: Session = SESSION,
    csrf_token: str = Form(""),
    new_password: str = Form("", max_length=200),
    repeat_password: str = Form("", max_length=200),
) -> Response:
    """Set the password; the link ends and the user signs in with the new password."""
    user = service.reset_user(session, token)
    try:
        check_csrf(request, csrf_token)
        with session.begin_nested():
            service.set_password_by_link(session, token, new_password, repeat_password)
    except JangkauError as exc:
        fields = {f.field: f for f in exc.fields}
        context = {"token": token, "subject_name": user.username, "errors": fields, "error": exc}
        return render(request, "password_set.html", context, status_code=exc.http_status)
    return RedirectResponse("/login?password_set=1", status_code=303)
