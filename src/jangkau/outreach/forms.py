"""The outreach management forms: all or nothing and once per form (:mod:`jangkau.formkit`), and what a refusal
shows next to its form."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from jangkau.errors import Conflict, InvalidInput, JangkauError
from jangkau.formkit import new_token, submit_once

# what a form answers with 422 and its message; NotFound (404), Forbidden and CSRF (403) go to the error page
REFUSALS: tuple[type[Exception], ...] = (InvalidInput, Conflict, ValidationError, ValueError)


def problem(exc: Exception, form: str) -> dict[str, Any]:
    """What the page shows next to ``form`` for a refusal: the message (Bahasa Indonesia and English) and, per field,
    what to fix."""
    if isinstance(exc, JangkauError):
        fields = {f.field: f.message_id or f.message for f in exc.fields}
        return {"form": form, "message": exc.message_id or exc.message, "message_en": exc.message, "fields": fields}
    if isinstance(exc, ValidationError):
        fields = {".".join(str(p) for p in e["loc"]): str(e["msg"]) for e in exc.errors()}
        text = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return {"form": form, "message": f"Isian belum benar: {text}", "message_en": f"Invalid input: {text}",
                "fields": fields}  # fmt: skip
    return {"form": form, "message": str(exc), "message_en": str(exc), "fields": {}}


__all__ = ["REFUSALS", "new_token", "problem", "submit_once"]
