"""The JSON API's error schema (:class:`ErrorRead`) and the OpenAPI ``responses`` of a route's refusals.

Kept apart from ``jangkau.errors`` so that the pure rules, which raise those errors, do not import pydantic.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from jangkau.errors import JangkauError


class FieldErrorRead(BaseModel):
    """What is wrong with one input field."""

    field: str = Field(description="the input field, dotted for nested ones (``address.village_code``)")
    message: str = Field(description="English")
    message_id: str = Field(description="Bahasa Indonesia")


class ErrorBody(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. ``nik_invalid``")
    message: str = Field(description="English text a person can act on")
    message_id: str = Field(description="the same in Bahasa Indonesia")
    fields: list[FieldErrorRead] = Field(default_factory=list)
    details: dict[str, Any] | None = Field(default=None, description="structured extras, e.g. the existing id")
    request_id: str | None = Field(default=None, description="quote it when reporting a problem")


class ErrorRead(BaseModel):
    """Every refusal of the JSON API, whatever its status."""

    error: ErrorBody


_STATUS_TEXT = {
    400: "Bad request",
    401: "Not signed in, or the token is not valid",
    403: "Signed in, but this role or territory may not do it",
    404: "Not found, or outside the caller's territory",
    409: "Conflicts with what is stored",
    413: "Too large",
    422: "Invalid input: ``fields`` says which and why",
    429: "Too many requests: see Retry-After",
    503: "Busy or a part is missing: see Retry-After",
}


def error_responses(*refusals: type[JangkauError] | int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route: each refusal class (or bare status) with the shared error schema."""
    out: dict[int | str, dict[str, Any]] = {}
    for refusal in refusals:
        status = refusal if isinstance(refusal, int) else refusal.status
        entry = out.setdefault(
            status,
            {
                "model": ErrorRead,
                "description": _STATUS_TEXT.get(status, "Refused"),
                # JSON whatever the route's own media type (a CSV export, a plain-text echo)
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorRead"}}},
            },
        )
        if not isinstance(refusal, int) and refusal.__doc__:
            entry["description"] += f"; {refusal.__name__}: {refusal.__doc__.strip().splitlines()[0]}"
    return out
