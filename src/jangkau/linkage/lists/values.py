"""Values written the ways city offices write them: NIKs, birth dates, sex, the "TTL" column.

Pure functions (standard library only).  Each reader returns the clean value, or raises :class:`Unreadable` with
a reason a person can act on (in English; the list's issue reasons are English, like the other row checks).
"""

from __future__ import annotations

import datetime as dt
import re

from jangkau.kit.dates import MONTHS as _MONTHS

_NUMERIC_DATE = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_WORD_DATE = re.compile(r"(\d{1,2})[ -]+([A-Za-z]+)\.?[ -]+(\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")  # 10000 = 1927-05-18: a bare year is never a serial
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
_NIK_NOISE = re.compile(r"[\s.\-_/]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (the 1900 leap-year bug included)
_SEX_WORDS = {
    **dict.fromkeys(("L", "LK", "LAKI-LAKI", "LAKI LAKI", "LAKI - LAKI", "LAKI2", "LAKI", "PRIA", "M", "MALE"), "L"),
    **dict.fromkeys(("P", "PR", "PEREMPUAN", "WANITA", "F", "FEMALE", "W"), "P"),
}


class Unreadable(ValueError):
    """A value that cannot be read; the message says why and what to do."""


def nik_text(text: str) -> str:
    """The 16 digits of a NIK as city offices write it (spaces, dots, dashes, an apostrophe prefix, ``.0``).

    Raises:
        Unreadable: scientific notation (Excel dropped the last digits), or not 16 digits (with the count; a
            15-digit value is a NIK whose first digit or last digit was lost when the column was a number).
    """
    value = text.strip().lstrip("'`\u2018\u2019").strip()
    if _SCIENTIFIC.fullmatch(value.replace(" ", "")):
        raise Unreadable(
            f"{value!r} is in scientific notation: the spreadsheet stored the NIK as a number and its last digits "
            "are lost; format the NIK column as text in the source file and send it again"
        )
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    digits = _NIK_NOISE.sub("", value)
    if not digits.isdigit():
        raise Unreadable(f"{value!r} is not a NIK: it holds characters other than digits")
    if len(digits) == 15:
        raise Unreadable(
            f"{value!r} has 15 digits, a NIK has 16: a digit was lost (a column stored as a number drops a leading "
            "zero); check the NIK on the KTP"
        )
    if len(digits) != 16:
        raise Unreadable(f"{value!r} has {len(digits)} digits, a NIK has 16")
    return digits


def _plausible(value: dt.date, today: dt.date) -> dt.date:
    if not dt.date(1900, 1, 1) <= value <= today:
        raise Unreadable(f"{value.isoformat()} is not a birth date between 1900 and today")
    return value


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise Unreadable(f"{text!r} is not a calendar date") from exc


def place_and_date(text: str) -> tuple[str, str]:
    """Split a "TTL" (tempat, tanggal lahir) value: ``"Medan, 12-05-1980"`` -> ``("Medan", "12-05-1980")``.

    A value without a place comes back as ``("", text)``.
    """
    value = text.strip()
    if "," in value:
        place, _, rest = value.rpartition(",")
        if any(ch.isdigit() for ch in rest):
            return place.strip(), rest.strip()
    match = re.fullmatch(r"([^\d]+?)\s+(\d.*)", value)
    if match and not _WORD_DATE.fullmatch(value):
        return match.group(1).strip(), match.group(2).strip()
    return "", value


def birth_date(text: str, today: dt.date) -> dt.date:
    """A birth date as written in lists: ``12-05-1980``, ``12/05/1980``, ``12 Mei 1980``, ``1980-05-12``, an Excel
    serial day number (``29353``), or a "TTL" value with the place first (``Medan, 12-05-1980``).

    Raises:
        Unreadable: not a date, not a calendar date, or not between 1900 and ``today``.
    """
    _place, value = place_and_date(text)
    value = value.strip()
    if match := _ISO_DATE.fullmatch(value):
        return _plausible(_make(int(match[1]), int(match[2]), int(match[3]), value), today)
    if match := _NUMERIC_DATE.fullmatch(value):
        return _plausible(_make(int(match[3]), int(match[2]), int(match[1]), value), today)
    if match := _WORD_DATE.fullmatch(value):
        month = _MONTHS.get(match[2].lower())
        if month is None:
            raise Unreadable(f"{match[2]!r} in {value!r} is not a month name")
        return _plausible(_make(int(match[3]), month, int(match[1]), value), today)
    if re.fullmatch(r"\d{8}", value):
        return _plausible(_make(int(value[:4]), int(value[4:6]), int(value[6:]), value), today)
    if _SERIAL.fullmatch(value):
        return _plausible(_EXCEL_EPOCH + dt.timedelta(days=int(float(value))), today)
    raise Unreadable(f"{value!r} is not a date (write e.g. 12-05-1980 or 12 Mei 1980)")


def sex_code(text: str) -> str:
    """``"L"`` or ``"P"`` from ``L``, ``P``, ``Laki-laki``, ``Perempuan``, ``Pria``, ``Wanita`` and the like.

    Raises:
        Unreadable: not a sex the list could mean.
    """
    found = _SEX_WORDS.get(" ".join(text.upper().split()))
    if found is None:
        raise Unreadable(f"sex {text!r} is not L/P (Laki-laki/Perempuan)")
    return found


_VILLAGE_PREFIX = re.compile(r"^(?:kel(?:urahan)?|desa|ds)\b\.?(?:\s*/\s*desa\b\.?)?\s*", re.IGNORECASE)


def village_key(name: str) -> str:
    """A village name compared loosely: ``"Kel. Sei  Sikambing B"`` and ``"SEI SIKAMBING B"`` give the same key."""
    return " ".join(re.split(r"[^0-9a-z]+", _VILLAGE_PREFIX.sub("", name.strip()).lower())).strip()
