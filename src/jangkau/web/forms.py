"""Page forms that create something: all or nothing, and once per form.

Each such form carries a one-time ``form_token`` made when the page is shown. The first submission stores an
idempotency record (user, form action, token) in the same transaction as the change, holding what the change
answered; a second submission of the same form (a double click, a browser retry) finds the record and gets that
answer again without changing anything. The change runs in a savepoint, so a refusal leaves nothing half-saved
while the page answers normally (422) with the form, the values typed and the service's message.

The JSON API has the same guarantee through the ``Idempotency-Key`` header (:mod:`jangkau.web.idempotency`).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from typing import Any

from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jangkau.auth import repository as auth_repo
from jangkau.auth.models import IdempotencyRecord
from jangkau.auth.principal import Principal
from jangkau.clikit import to_json
from jangkau.errors import AmountUnreadable, DateUnreadable, FieldError, JangkauError
from jangkau.i18n import N_, bilingual
from jangkau.kit.dates import read_date
from jangkau.kit.money import Rupiah, parse_rupiah

PREFIX = "form:"
_RP = re.compile(r"^rp\.?\s*", re.IGNORECASE)
MAX_TOKEN = 60
# what a page answers by showing its form again (the service's refusals and invalid input); others go to the error page
PAGE_REFUSALS: tuple[type[Exception], ...] = (JangkauError, ValidationError, ValueError)


def new_token() -> str:
    """A one-time token for a form shown now."""
    return secrets.token_urlsafe(18)


def refusal_message(exc: Exception) -> str:
    """What a page shows for a refusal: the service's Bahasa Indonesia message, or each invalid field."""
    if isinstance(exc, JangkauError):
        return exc.message_id or exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return str(exc)


# what a person can do about pydantic's complaint, by its error type (English msgids; the Indonesian is in the catalog)
_PYDANTIC_ERRORS = {
    "missing": N_("this field is required"),
    "string_too_short": N_("this field is required"),
    "date_from_datetime_parsing": N_("not a valid date"),
    "date_parsing": N_("not a valid date"),
    "date_from_datetime_inexact": N_("not a valid date"),
    "enum": N_("choose one of the options"),
    "literal_error": N_("choose one of the options"),
    "string_too_long": N_("too long"),
    "string_pattern_mismatch": N_("not a valid value"),
    "int_parsing": N_("must be a whole number"),
}


def field_errors(exc: Exception) -> dict[str, Any]:
    """A refusal by form field, to show next to each field (``|localized`` renders each).

    A named refusal's fields (``a.b`` and ``a[0]`` are found under ``a`` and under ``b``); pydantic's complaint per
    field in the page's language (``_PYDANTIC_ERRORS``); anything else under ``"form"`` (shown above the form).
    """
    found: dict[str, Any] = {}
    if isinstance(exc, JangkauError) and exc.fields:
        for item in exc.fields:
            parts = item.field.split("[")[0].split(".")
            found.setdefault(parts[0], item)
            found.setdefault(parts[-1], item)
        return found
    if isinstance(exc, ValidationError):
        for error in exc.errors():
            names = [str(part) for part in error["loc"] if isinstance(part, str)]
            name = names[0] if names else "form"
            text = _PYDANTIC_ERRORS.get(str(error["type"]), N_("not a valid value"))
            found.setdefault(name, FieldError(name, *bilingual(text)))
        return found
    return {"form": exc if isinstance(exc, JangkauError) else str(exc)}


def date_field(text: str | None, field_name: str) -> str | None:
    """A date typed in a form (a phone without a date picker sends the text typed): ``04-12-2026``, ``4/12/2026``,
    ``4 Desember 2026`` or ISO, as an ISO text for the form's model; ``None`` when empty.

    Raises:
        DateUnreadable: text that is not a date.
    """
    typed = (text or "").strip()
    if not typed:
        return None
    try:
        return read_date(typed).isoformat()
    except ValueError:
        raise DateUnreadable(field_name) from None


def rupiah_field(text: str | None, field_name: str, *, default: Rupiah | None = None) -> Rupiah | None:
    """An amount typed in a form field the Indonesian way: ``2.300.000``, ``Rp 2.300.000``, ``Rp2.300.000``,
    ``2300000`` or ``2.300.000,00`` (every amount field of every form reads through this).

    Args:
        text: what was typed.
        field_name: the form field, named in the refusal (the page shows it next to that field).
        default: what an empty field means.

    Returns:
        Whole rupiah, or ``default`` when the field is empty.

    Raises:
        AmountUnreadable: text that is not a whole, non-negative number of rupiah ("2,5 juta", "-5.000").
    """
    typed = _RP.sub("", (text or "").strip())
    if not typed:
        return default
    try:
        amount = parse_rupiah(typed)
    except ValueError:
        raise AmountUnreadable(field_name) from None
    if amount < 0:
        raise AmountUnreadable(field_name)
    return amount


def submit_once(
    session: Session, principal: Principal, token: str, action: str, produce: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """Run ``produce`` once per (user, form action, token), in a savepoint.

    Args:
        token: the form's one-time token; empty runs ``produce`` without the once-only check (still all or nothing).
        action: the form's action path (forms of one page may share a token).
        produce: makes the change and returns what to show or where to go (JSON-serialisable).

    Returns:
        ``produce``'s answer and ``False``, or the first submission's answer and ``True`` for a repeated token.

    Raises:
        Whatever ``produce`` raises, after rolling its changes back.
    """
    token = token.strip()[:MAX_TOKEN]
    if not token or principal.user_id is None:
        with session.begin_nested():
            return produce(), False
    digest = hashlib.sha256(action.encode()).hexdigest()
    key = f"{PREFIX}{digest[:16]}:{token}"
    found = auth_repo.idempotency_record(session, principal.user_id, key)
    if found is not None:
        return json.loads(found.body), True
    record = IdempotencyRecord(user_id=principal.user_id, key=key, request_hash=digest, status_code=303, body="{}")
    try:
        with session.begin_nested():
            auth_repo.add_idempotency_record(session, record)
    except IntegrityError:
        # a concurrent submission of the same form won (PostgreSQL waited for its commit): answer what it answered
        winner = auth_repo.idempotency_record(session, principal.user_id, key)
        if winner is None:
            raise
        return json.loads(winner.body), True
    try:
        with session.begin_nested():
            answer = produce()
    except Exception:
        session.delete(record)
        session.flush()
        raise
    record.body = to_json(answer)
    session.flush()
    return json.loads(record.body), False


def submit_form(
    session: Session,
    principal: Principal,
    token: str,
    action: str,
    produce: Callable[[], str],
    refused: Callable[[Exception], Response],
    refusals: tuple[type[Exception], ...] = PAGE_REFUSALS,
) -> Response:
    """A page form that changes something: ``produce`` through :func:`submit_once`, then the browser goes where it says.

    Args:
        token: the form's one-time token (empty: all or nothing only, for a form that may be sent again).
        action: the form's action path.
        produce: makes the change and returns where to send the browser (a repeated token goes where the first went).
        refused: the page again for a refusal (its message, the values typed, a fresh form token); nothing is saved.
        refusals: what ``refused`` answers; anything else propagates (the error page).

    Returns:
        A 303 redirect, or what ``refused`` answers.
    """
    try:
        answer, _repeated = submit_once(session, principal, token, action, lambda: {"redirect": produce()})
    except refusals as exc:
        return refused(exc)
    return RedirectResponse(str(answer["redirect"]), status_code=303)
