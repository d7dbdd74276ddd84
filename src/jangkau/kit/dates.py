"""Dates as people in Indonesia type them: ``04-12-2026``, ``4/12/2026``, ``4 Desember 2026``, or ISO ``2026-12-04``.

Pure: standard library only. Day first, as Indonesians write dates (``04-12-2026`` is 4 December).
"""

from __future__ import annotations

import datetime as dt
import re

# Indonesian and English month names and their usual abbreviations
MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "feb", "pebruari", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_WORDS = re.compile(r"(\d{1,2})[ -]+([A-Za-z]+)\.?[ -]+(\d{4})")


def read_date(text: str) -> dt.date:
    """The date in ``text`` (ISO, day first with ``-``, ``/`` or ``.``, or with the month's name).

    Raises:
        ValueError: not a date written in one of these ways, or not a calendar date (31-02-2026).
    """
    value = text.strip()
    if match := _ISO.fullmatch(value):
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_FIRST.fullmatch(value):
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    if (match := _WORDS.fullmatch(value)) and match[2].lower() in MONTHS:
        return dt.date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    raise ValueError(f"not a date: {text!r}")
