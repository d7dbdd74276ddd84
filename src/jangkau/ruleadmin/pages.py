"""``/rules``: the rule tables' health, the versions users added, and the maker/checker forms (plain HTML)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput, JangkauError, NotFound
from jangkau.i18n import N_, bilingual, gettext
from jangkau.kit.money import parse_rupiah
from jangkau.ruleadmin import exports, health, service
from jangkau.ruleadmin import repository as repo
from jangkau.ruleadmin.errors import VersionNotFound
from jangkau.ruleadmin.preview import preview
from jangkau.ruleadmin.schemas import VersionIn
from jangkau.rules.tables import RuleDataError
from jangkau.web.forms import date_field
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(include_in_schema=False)
READ = Depends(require(Permission.RULES_READ))
MANAGE = Depends(require(Permission.RULES_MANAGE))
SESSION = Depends(get_session)


def _index(
    request: Request,
    session: Session,
    principal: Principal,
    error: JangkauError | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    """The rule tables page; after a refusal, its message and what was typed in the refused form (``values``)."""
    context = {
        "versions": service.versions(session, principal),
        "health": health.check(dt.date.today()),
        "error": error,
        "values": values or {},
    }
    return render(request, "rules/index.html", context, status_code=error.http_status if error else 200)


@router.get("/rules", response_class=HTMLResponse)
def index_page(request: Request, principal: Principal = READ, session: Session = SESSION) -> HTMLResponse:
    return _index(request, session, principal)


def _header(form: dict[str, str]) -> VersionIn:
    data = {k: date_field(v, k) if k in ("signed_on", "valid_from") else v for k, v in form.items()}
    try:
        return VersionIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "form"
        message = str(first["msg"])
        raise InvalidInput.for_field(
            field, message, gettext(N_("invalid input: %(detail)s"), "id", detail=message)
        ) from exc


@router.post("/rules/import", response_model=None)
def import_form(
    request: Request,
    file: UploadFile = File(...),
    instrument: str = Form("", max_length=300),
    signed_on: str = Form(""),
    valid_from: str = Form(""),
    source: str = Form("", max_length=500),
    status: str = Form("confirmed"),
    csrf_token: str = Form(""),
    principal: Principal = MANAGE,
    session: Session = SESSION,
) -> Response:
    """A minimum-wage year from a CSV/XLSX file, proposed for checking by another user."""
    try:
        check_csrf(request, csrf_token)
        form = {"instrument": instrument, "signed_on": signed_on, "valid_from": valid_from, "source": source}
        header = _header(form | {"status": status})
        row = service.propose_min_wage_file(session, principal, file.filename or "", file.file.read(), header)
    except JangkauError as exc:
        return _index(request, session, principal, exc, {"form": "import", **form, "status": status})
    return RedirectResponse(f"/rules/versions/{row.id}", status_code=303)


def _jp_typed(growth: str, cap: str, instrument: str, valid_from: str, source: str) -> dict[str, str]:
    return {"form": "jp", "growth": growth, "cap": cap, "instrument": instrument, "valid_from": valid_from,
            "source": source}  # fmt: skip


@router.post("/rules/jp-cap", response_model=None)
def jp_cap_form(
    request: Request,
    growth: str = Form(""),
    cap: str = Form(""),
    instrument: str = Form("", max_length=300),
    valid_from: str = Form(""),
    source: str = Form("", max_length=500),
    csrf_token: str = Form(""),
    principal: Principal = MANAGE,
    session: Session = SESSION,
) -> Response:
    """The JP wage cap: announced (``cap``) or from the formula (``growth``, UNCONFIRMED)."""
    try:
        check_csrf(request, csrf_token)
        form = {"instrument": instrument, "valid_from": valid_from, "source": source, "status": "confirmed"}
        header = _header(form)
        if cap.strip():
            row = service.propose_jp_wage_cap(session, principal, int(parse_rupiah(cap)), header)
        else:
            row = service.propose_jp_cap_by_formula(session, principal, Decimal(growth.replace(",", ".")), header)
    except (InvalidOperation, ValueError):
        field = "cap" if cap.strip() else "growth"
        error = InvalidInput.for_field(field, *bilingual(N_("give the cap in Rupiah or the GDP growth in percent")))
        return _index(request, session, principal, error, {"form": "jp-cap", "growth": growth, "cap": cap, **form})
    except JangkauError as exc:
        return _index(request, session, principal, exc, {"form": "jp-cap", "growth": growth, "cap": cap, **form})
    return RedirectResponse(f"/rules/versions/{row.id}", status_code=303)


def _detail(request: Request, session: Session, version_id: int, error: JangkauError | None = None) -> HTMLResponse:
    row = repo.get(session, version_id)
    if row is None:
        raise VersionNotFound(version_id)
    context = {"version": service.read(row), "preview": preview(session, row), "error": error}
    return render(request, "rules/version.html", context, status_code=error.http_status if error else 200)


@router.get("/rules/versions/{version_id}", response_class=HTMLResponse)
def version_page(request: Request, version_id: int, _p: Principal = READ, session: Session = SESSION) -> HTMLResponse:
    return _detail(request, session, version_id)


@router.post("/rules/versions/{version_id}/{action}", response_model=None)
def decide_form(
    request: Request,
    version_id: int,
    action: str,
    csrf_token: str = Form(""),
    principal: Principal = MANAGE,
    session: Session = SESSION,
) -> Response:
    """The checker activates, or the maker/checker withdraws (before valid_from)."""
    try:
        check_csrf(request, csrf_token)
        if action == "activate":
            service.activate(session, principal, version_id)
        elif action == "withdraw":
            service.withdraw(session, principal, version_id)
        else:
            raise NotFound(*bilingual(N_("no action %(action)s"), action=repr(action)))
    except JangkauError as exc:
        return _detail(request, session, version_id, exc)
    return RedirectResponse(f"/rules/versions/{version_id}", status_code=303)


@router.get("/rules/tables/{rule_id}.csv")
def export_csv(rule_id: str, _p: Principal = READ) -> PlainTextResponse:
    """Every version of one table in force (shipped and added) as CSV."""
    try:
        text = exports.table_csv(rule_id)
    except RuleDataError as exc:
        raise NotFound(*bilingual(N_("no rule table %(rule)s"), rule=repr(rule_id))) from exc
    return PlainTextResponse(
        text, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{rule_id}.csv"'}
    )


__all__ = ["router"]
