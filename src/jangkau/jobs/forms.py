"""Page forms of the jobs domain (all or nothing and once per form: :func:`jangkau.web.forms.submit_form`)."""

from __future__ import annotations

from jangkau.jobs.errors import NotAWholeNumber


def split_list(text: str) -> list[str]:
    """A comma- or line-separated form field as a list."""
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


def whole_number(text: str, field: str, default: int | None = None) -> int | None:
    """A whole number or amount typed in a form (``4.500.000`` and ``Rp 4.500.000`` are accepted); anything else
    is refused naming the field."""
    cleaned = text.replace("Rp", "").replace("rp", "").replace(".", "").replace(" ", "").strip()
    if not cleaned:
        return default
    if not cleaned.isdigit():
        raise NotAWholeNumber(field)
    return int(cleaned)


__all__ = ["split_list", "whole_number"]
