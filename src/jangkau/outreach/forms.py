"""The outreach management forms: all or nothing and once per form (:mod:`jangkau.web.forms`), and what a refusal
shows next to its form."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from jangkau.errors import Conflict, InvalidInput, JangkauError
from jangkau.i18n import N_, bilingual
from jangkau.web.forms import new_token, submit_once

# what a form answers with 422 and its message; NotFound (404), Forbidden and CSRF (403) go to the error page
REFUSALS: tuple[type[Exception], ...] = (InvalidInput, Conflict, ValidationError, ValueError)


def problem(exc: Exception, form: str) -> dict[str, Any]:
    """What the page shows next to ``form`` for a refusal: the message in English (``message``) and Bahasa
    Indonesia (``message_id``) and, per field, what to fix (the same two texts); templates show them with
    ``|localized``."""
    if isinstance(exc, JangkauError):
        fields = {f.field: {"message": f.message, "message_id": f.message_id} for f in exc.fields}
        return {"form": form, "message": exc.message, "message_id": exc.message_id, "fields": fields}
    if isinstance(exc, ValidationError):
        texts = {".".join(str(p) for p in e["loc"]): str(e["msg"]) for e in exc.errors()}
        detail = "; ".join(f"{k}: {v}" for k, v in texts.items())
        english, indonesian = bilingual(N_("Invalid input: %(detail)s"), detail=detail)
        fields = {k: {"message": v, "message_id": v} for k, v in texts.items()}
        return {"form": form, "message": english, "message_id": indonesian, "fields": fields}
    return {"form": form, "message": str(exc), "message_id": str(exc), "fields": {}}


__all__ = ["REFUSALS", "new_token", "problem", "submit_once"]
