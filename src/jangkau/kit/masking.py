"""Masking personal data (NIK, phone) for people who may see that a record exists but not the identifier."""

from __future__ import annotations


def mask_nik(nik: str | None) -> str:
    """``1271011508950001`` -> ``127101******0001``: keeps the district of issue and the serial."""
    if not nik:
        return ""
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:6] + "*" * 6 + nik[12:]


def mask_phone(phone: str | None) -> str:
    """``081234567890`` -> ``0812****7890``."""
    if not phone:
        return ""
    if len(phone) <= 8:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 8) + phone[-4:]
