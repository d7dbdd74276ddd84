"""Page forms of the jobs domain (all or nothing and once per form: :func:`jangkau.web.forms.submit_form`)."""

from __future__ import annotations


def split_list(text: str) -> list[str]:
    """A comma- or line-separated form field as a list."""
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


__all__ = ["split_list"]
