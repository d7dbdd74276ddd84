"""Shared pieces of the web edge: per-request unit of work, templates with translations, CSRF."""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.orm import Session

from jangkau import i18n
from jangkau.auth.secrets import new_csrf_token
from jangkau.db.uow import unit_of_work
from jangkau.errors import N_, FieldError, JangkauError, bilingual
from jangkau.i18n import DEFAULT_LANGUAGE, LANGUAGES
from jangkau.kit.figures import DEFINITIONS as FIGURE_DEFINITIONS
from jangkau.ruleadmin import service as ruleadmin

WEB_DIR = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=WEB_DIR / "templates")
CSRF_COOKIE = "jangkau_csrf"
LANG_COOKIE = "jangkau_lang"


def _lang(context: Context) -> str:
    return str(context.get("lang", DEFAULT_LANGUAGE))


@pass_context
def _gettext(context: Context, text: str) -> str:
    return i18n.translations(_lang(context)).gettext(text)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return i18n.translations(_lang(context)).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Context, ctx: str, text: str) -> str:
    return str(i18n.translations(_lang(context)).pgettext(ctx, text))


@pass_context
def _npgettext(context: Context, ctx: str, singular: str, plural: str, n: int) -> str:
    return i18n.translations(_lang(context)).npgettext(ctx, singular, plural, n)


@pass_context
def _rupiah(context: Context, amount: int | None) -> str:
    return i18n.format_rupiah(amount, _lang(context))


@pass_context
def _count(context: Context, n: int | None) -> str:
    return i18n.format_count(n, _lang(context))


@pass_context
def _number(context: Context, value: float | None, digits: int = 1) -> str:
    return i18n.format_number(value, _lang(context), digits)


@pass_context
def _percent(context: Context, value: float | None, digits: int = 1) -> str:
    return i18n.format_percent_value(value, _lang(context), digits)


@pass_context
def _date(context: Context, value: date | str | None) -> str:
    """``4 Desember 2026``; an ISO text (a date from JSON, ``2026-12-04`` or a timestamp) is read first."""
    if isinstance(value, str):
        if not value.strip():
            return ""
        try:
            return i18n.format_date(date.fromisoformat(value.strip()[:10]), _lang(context))
        except ValueError:
            return value
    return i18n.format_date(value, _lang(context))


@pass_context
def _month(context: Context, value: date | None) -> str:
    return i18n.format_month(value, _lang(context))


@pass_context
def _localized(context: Context, item: object, name: str = "message") -> str:
    """A refusal or a field error in the page's language: ``message_id`` (Indonesian) on an Indonesian page,
    ``message`` (English) on an English one, the other one when that one is empty. ``item`` is an error object
    (:class:`JangkauError`, :class:`FieldError`, a task's error) or a dict with those keys; a plain text is
    shown as it is. ``name`` picks another pair of attributes (``preview|localized('summary')``: ``summary_id``
    and ``summary``)."""
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        english, indonesian = item.get(name), item.get(f"{name}_id")
    else:
        english, indonesian = getattr(item, name, None), getattr(item, f"{name}_id", None)
    first, second = (indonesian, english) if _lang(context) == "id" else (english, indonesian)
    return str(first or second or "")


@pass_context
def _localized_lines(context: Context, item: object, name: str) -> list[str]:
    """A list of lines in the page's language: ``<name>_id`` on an Indonesian page, ``<name>`` on an English one
    (the other one when that one is empty); ``data|localized_lines('explanation')``."""
    if isinstance(item, Mapping):
        english, indonesian = item.get(name), item.get(f"{name}_id")
    else:
        english, indonesian = getattr(item, name, None), getattr(item, f"{name}_id", None)
    first, second = (indonesian, english) if _lang(context) == "id" else (english, indonesian)
    return list(first or second or [])


# Templates use _(), gettext(), ngettext(), pgettext() and {% trans %} (jinja2.ext.i18n, "newstyle": a literal %
# in a message is written %%); the catalog is the page's language (``lang`` in the context).
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
)
templates.env.filters["rupiah"] = _rupiah
templates.env.filters["count"] = _count
templates.env.filters["number"] = _number
templates.env.filters["percent"] = _percent
templates.env.filters["date"] = _date
templates.env.filters["month"] = _month
templates.env.filters["localized"] = _localized
templates.env.filters["localized_lines"] = _localized_lines
# the headline figures' names and definitions (templates/_figures.html)
templates.env.globals["figure_definitions"] = FIGURE_DEFINITIONS


def get_session(request: Request) -> Iterator[Session]:
    """One request, one transaction: commits when the handler returns, rolls back when it raises. The rule tables
    in force (shipped and activated versions) are laid over the rules engine first (one query when unchanged)."""
    with unit_of_work(request.app.state.session_factory) as session:
        ruleadmin.refresh(session)
        yield session


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def csrf_token(request: Request) -> str:
    """The CSRF token for forms on this page (double submit: the same value is in a cookie)."""
    token = getattr(request.state, "csrf", None) or request.cookies.get(CSRF_COOKIE)
    if not token:
        token = new_csrf_token()
    request.state.csrf = token
    return str(token)


class CsrfFailed(JangkauError):
    """The form's CSRF token is missing or stale (HTTP 403)."""

    status: ClassVar[int] = 403

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("This form has expired or was not sent from Jangkau; check the values and send it again")),
            "csrf_failed",
            403,
            [FieldError("csrf_token", *bilingual(N_("stale or missing")))],
        )


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise :class:`CsrfFailed` unless the submitted token matches the cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        # a fresh token for the re-rendered form
        request.state.csrf = new_csrf_token()
        raise CsrfFailed


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page with the language, the CSRF token and the signed-in user in the context."""
    token = csrf_token(request)
    full = {
        "lang": language(request),
        "csrf_token": token,
        "principal": getattr(request.state, "principal", None),
        **context,
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))
    return response


def _secure(request: Request) -> bool:
    return bool(getattr(request.app.state, "secure_cookies", False))
