"""Addresses a message can go to: Indonesian mobile numbers (normalised to +628...) and e-mail addresses."""

from __future__ import annotations

import re

from jangkau.i18n import N_
from jangkau.notify.errors import InvalidAddress

_SEPARATORS = re.compile(r"[\s\-.()/]")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
MOBILE_DIGITS = (9, 12)  # digits after the country code 62: 8xx plus 6 to 9 more (08xx numbers of 10-13 digits)


def _refuse_phone(reason: str, **params: object) -> InvalidAddress:
    return InvalidAddress("phone", reason, code="phone_invalid", **params)


def normalise_phone(text: str) -> str:
    """An Indonesian mobile number as ``+628...``: accepts ``08xx``, ``+628xx`` and ``628xx`` with spaces or dashes.

    Raises:
        InvalidAddress: not a number, a foreign number, a landline, or the wrong length (the reason says which).
    """
    raw = _SEPARATORS.sub("", text or "")
    if not raw:
        raise _refuse_phone(N_("no phone number given"))
    if raw.startswith("+"):
        if not raw.startswith("+62"):
            raise _refuse_phone(N_("not an Indonesian number (+62)"))
        national = raw[3:]
    elif raw.startswith("62"):
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        raise _refuse_phone(N_("must start with 08, +628 or 628"))
    if not national.isdigit():
        raise _refuse_phone(N_("only digits are allowed"))
    if not national.startswith("8"):
        raise _refuse_phone(N_("not a mobile number (mobile numbers start with 08)"))
    low, high = MOBILE_DIGITS
    if not low <= len(national) <= high:
        raise _refuse_phone(
            N_("a mobile number has %(low)s to %(high)s digits starting with 08, this has %(n)s"),
            low=low + 1,
            high=high + 1,
            n=len(national) + 1,
        )
    return f"+62{national}"


def check_email(text: str) -> str:
    """A syntactically valid e-mail address, trimmed and with the domain in lower case.

    Raises:
        InvalidAddress: the address fails the syntax (one ``@``, a dotted domain, no spaces, at most 254 characters).
    """
    address = (text or "").strip()
    if len(address) > 254 or not _EMAIL.match(address):
        raise InvalidAddress("email", N_("not a valid e-mail address"), code="email_invalid")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def mask_address(address: str) -> str:
    """``+6281234567890`` -> ``+6281****7890``; ``budi@example.org`` -> ``b***@example.org`` (for logs and lists)."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(address) <= 8:
        return "*" * len(address)
    return address[:5] + "*" * (len(address) - 9) + address[-4:]
