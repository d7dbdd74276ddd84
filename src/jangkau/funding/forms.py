"""The funding pages' forms: all or nothing and once per form (:mod:`jangkau.web.forms`), and what a refusal shows
next to its form and fields."""

from __future__ import annotations

from typing import Any

from jangkau.errors import Conflict, InvalidInput, JangkauError

# what a form answers with 422 and its message; NotFound (404), Forbidden and CSRF (403) go to the error page
REFUSALS: tuple[type[Exception], ...] = (InvalidInput, Conflict)


def problem(exc: Exception) -> dict[str, Any]:
    """The refusal's message and, per field, what to fix, in English (``message``) and Bahasa Indonesia
    (``message_id``); templates show them with ``|localized``."""
    if isinstance(exc, JangkauError):
        fields: dict[str, dict[str, str]] = {}
        for f in exc.fields:
            fields.setdefault(f.field, {"message": f.message, "message_id": f.message_id or f.message})
        return {"message": exc.message, "message_id": exc.message_id, "fields": fields}
    return {"message": str(exc), "message_id": str(exc), "fields": {}}
