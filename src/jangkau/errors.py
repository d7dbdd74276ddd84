"""Errors with a stable code, an HTTP status and a message in Bahasa Indonesia and English.

Expected refusals (bad input, not found, conflict) are subclasses of :class:`JangkauError`; the web layer turns
them into ``{"error": {"code", "message", "message_id", "fields", "request_id"}}``
(``jangkau.api_errors.ErrorRead``) with their status and the CLI into exit code 2. Anything else reaching the edge
is a bug.

Each domain names its refusals in its own ``errors.py``: one class per refusal, with a stable ``code``, its HTTP
status, and its text written once in English and marked for the catalog; the Indonesian comes from the catalog::

    class PersonNotFound(NotFound):
        # the docstring's first line describes the refusal in /openapi.json

        code = "person_not_found"

        def __init__(self, person_id: int) -> None:
            super().__init__(*bilingual(N_("No person %(id)s in your territory"), id=person_id), code=self.code)

Routes list the refusals they may answer with ``responses=error_responses(PersonNotFound, ...)``, so that
``/openapi.json`` documents every error status with the shared ``ErrorRead`` schema (``jangkau.api_errors``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from jangkau.i18n import N_, bilingual

__all__ = [
    "N_",
    "Conflict",
    "FieldError",
    "FieldRefusal",
    "InvalidInput",
    "JangkauError",
    "NotFound",
    "bilingual",
]


@dataclass
class FieldError:
    """What is wrong with one input field."""

    field: str
    message: str
    message_id: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "message_id": self.message_id or self.message}


@dataclass
class JangkauError(Exception):
    """Base of every expected refusal.

    Args:
        message: English text a person can act on.
        message_id: the same in Bahasa Indonesia (shown by default in the UI).
        code: stable machine-readable code, e.g. ``nik_invalid``.
        http_status: the HTTP status the API answers with.
        fields: per-field errors, where the refusal is about input.
        details: extra structured data (e.g. the id of the existing record on a conflict).
    """

    message: str
    message_id: str = ""
    code: str = "error"
    http_status: int = 400
    fields: list[FieldError] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    status: ClassVar[int] = 400  # the HTTP status of the class, for ``error_responses`` (instances: http_status)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_id": self.message_id or self.message,
            "fields": [f.as_dict() for f in self.fields],
        }
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(JangkauError):
    """The input breaks a rule; ``fields`` says which field and why (HTTP 422)."""

    status: ClassVar[int] = 422

    def __init__(
        self,
        message: str,
        message_id: str = "",
        *,
        code: str = "invalid_input",
        fields: list[FieldError] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, message_id, code, 422, fields or [], details or {})

    @classmethod
    def for_field(cls, name: str, message: str, message_id: str = "", code: str = "invalid_input") -> InvalidInput:
        """One bad field: the message names the field."""
        return cls(
            f"{name}: {message}",
            f"{name}: {message_id or message}",
            code=code,
            fields=[FieldError(name, message, message_id)],
        )


class NotFound(JangkauError):
    """The thing asked for does not exist, or is outside the caller's scope (HTTP 404)."""

    status: ClassVar[int] = 404

    def __init__(self, message: str, message_id: str = "", *, code: str = "not_found") -> None:
        super().__init__(message, message_id, code, 404)


class Conflict(JangkauError):
    """The request clashes with what is already stored, e.g. a NIK already registered (HTTP 409)."""

    status: ClassVar[int] = 409

    def __init__(
        self,
        message: str,
        message_id: str = "",
        *,
        code: str = "conflict",
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, message_id, code, 409, [], details or {})


class FieldRefusal(InvalidInput):
    """Base of a named refusal about one input field: ``text`` is an English catalog msgid (``N_``), ``params``
    fill its placeholders; the message names the field, as :meth:`InvalidInput.for_field` does."""

    def __init__(self, field_name: str, text: str, /, *, code: str = "invalid_input", **params: object) -> None:
        english, indonesian = bilingual(text, **params)
        super().__init__(
            f"{field_name}: {english}",
            f"{field_name}: {indonesian}",
            code=code,
            fields=[FieldError(field_name, english, indonesian)],
        )


class DateUnreadable(FieldRefusal):
    """A date typed in a form that cannot be read as a date."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name, N_("write the date as 04-12-2026 or 4 Desember 2026"), code="date_unreadable")


class AmountUnreadable(FieldRefusal):
    """An amount typed in a form that is not a whole number of rupiah ("2,5 juta", "dua juta")."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name, N_("write the amount in rupiah, e.g. 2.300.000"), code="amount_unreadable")
