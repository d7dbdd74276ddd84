"""NIK (Nomor Induk Kependudukan): parse and validate, in pure code.

Structure ``PP KK CC DD MM YY SSSS`` (UU 23/2006 Ps 13; REFERENCE.md §6.1 [S-DUKCAPIL-KLATEN, S-TRIBUN-NIK]):
province, regency/city and district of *first* registration; birth day (+40 for women), month, two-digit year;
a serial from 0001. There is no check digit. A NIK never changes, so a mismatch with a stated birth date or sex
is a *warning*, never a rejection (§6.1 rule 8).

Whether the district exists is asked through a ``district_exists`` callable, so this module stays pure; codes
of regions that were split later remain valid, so an unknown district is a warning, an unknown province is not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from jangkau.registry.errors import NikInvalid

# Every province code ever issued on a NIK (current 38 plus none retired: 91/92 still stand for old Papua NIKs).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)
_SEPARATORS = re.compile(r"[\s.\-]")


class Sex(StrEnum):
    """Sex as the NIK and Dukcapil record it: ``L`` laki-laki, ``P`` perempuan."""

    MALE = "L"
    FEMALE = "P"


@dataclass
class NikCheck:
    """The outcome of checking a NIK: valid or not, with every error and warning."""

    nik: str
    valid: bool
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sex: Sex | None = None
    birth_date: dt.date | None = None
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    serial: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "nik": self.nik,
            "valid": self.valid,
            "errors": self.errors,
            "warnings": self.warnings,
            "sex": self.sex.value if self.sex else None,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "province_code": self.province_code,
            "regency_code": self.regency_code,
            "district_code": self.district_code,
            "serial": self.serial,
        }


def clean_nik(text: str) -> str:
    """Remove spaces, dots and dashes people type inside a NIK."""
    return _SEPARATORS.sub("", text or "")


def _century(yy: int, today: dt.date) -> int:
    """19YY or 20YY: the latest year that is not in the future."""
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def check_nik(
    text: str,
    *,
    birth_date: dt.date | None = None,
    sex: Sex | None = None,
    district_exists: Callable[[str], bool] | None = None,
    today: dt.date | None = None,
) -> NikCheck:
    """Check a NIK and decode what it says.

    Args:
        text: the NIK as typed (separators allowed).
        birth_date: the birth date stated elsewhere; a mismatch is a warning.
        sex: the sex stated elsewhere; a mismatch is a warning.
        district_exists: asks the region tree whether ``PP.KK.CC`` exists; unknown gives a warning.
        today: the reference date (for the century and "not in the future").

    Returns:
        A :class:`NikCheck`; ``valid`` is False when any error was found.
    """
    today = today or dt.date.today()
    nik = clean_nik(text)
    result = NikCheck(nik=nik, valid=False)
    if not re.fullmatch(r"\d{16}", nik):
        result.errors.append("NIK must be exactly 16 digits")
        return result
    pp, kk, cc, dd, mm, yy, serial = (
        nik[0:2],
        nik[2:4],
        nik[4:6],
        int(nik[6:8]),
        int(nik[8:10]),
        int(nik[10:12]),
        nik[12:],
    )
    result.province_code, result.regency_code = pp, f"{pp}.{kk}"
    result.district_code, result.serial = f"{pp}.{kk}.{cc}", serial
    if pp not in PROVINCE_CODES:
        result.errors.append(f"province code {pp} does not exist")
    if kk in ("00", "70"):
        result.errors.append(f"regency/city code {kk} is not used (01-69 kabupaten, 71-99 kota)")
    if cc == "00":
        result.errors.append("district code 00 is not used")
    if serial == "0000":
        result.errors.append("serial number 0000 is not used (serials start at 0001)")
    result.sex = Sex.FEMALE if dd > 40 else Sex.MALE
    day = dd - 40 if dd > 40 else dd
    try:
        born = dt.date(_century(yy, today), mm, day)
    except ValueError:
        result.errors.append(f"birth date part {nik[6:12]} is not a real date (day {day}, month {mm})")
        born = None
    result.birth_date = born
    if born and born > today:
        result.errors.append("birth date in the NIK is in the future")
    if not result.errors and district_exists and not district_exists(result.district_code):
        result.warnings.append(f"district {result.district_code} is not in the current region tree")
    _compare_stated(result, birth_date, sex)
    result.valid = not result.errors
    return result


def _compare_stated(result: NikCheck, birth_date: dt.date | None, sex: Sex | None) -> None:
    if result.birth_date and birth_date and birth_date != result.birth_date:
        result.warnings.append(
            f"stated birth date {birth_date.isoformat()} differs from the NIK's {result.birth_date.isoformat()}"
        )
    if result.sex and sex and sex != result.sex:
        result.warnings.append(f"stated sex {sex.value} differs from the NIK's {result.sex.value}")


def require_valid_nik(text: str, field_name: str = "nik", **kwargs: object) -> NikCheck:
    """Like :func:`check_nik`, but raise :class:`NikInvalid` naming the field when the NIK is invalid."""
    result = check_nik(text, **kwargs)  # type: ignore[arg-type]
    if not result.valid:
        reason = "; ".join(result.errors)
        raise NikInvalid(field_name, result.nik, reason)
    return result


def nik_birth_code(birth_date: dt.date, sex: Sex) -> str:
    """The DDMMYY part of a NIK for a birth date and sex (women: day + 40)."""
    day = birth_date.day + (40 if sex is Sex.FEMALE else 0)
    return f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"


def looks_like_nik(text: str) -> bool:
    """Whether ``text`` is (a long run of) NIK digits, e.g. typed into a name search that travels in an address."""
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 10 and digits >= len(text.replace(" ", "").replace(".", "")) - 1
