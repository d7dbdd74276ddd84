"""Counts written the way the reader expects: ``1.800`` in Bahasa Indonesia, ``1,800`` in English."""

from __future__ import annotations


def format_count(n: int | None, lang: str = "id") -> str:
    """A whole number with thousands separators (a dot in Indonesian, a comma in English); ``None`` as a dash."""
    if n is None:
        return "—"
    grouped = f"{n:,}"
    return grouped.replace(",", ".") if lang == "id" else grouped
