"""Kemendagri region codes, parsed and checked in pure code (Permendagri 58/2021, Kepmendagri 300.2.2-2138/2025).

``PP`` province, ``PP.KK`` regency (kabupaten 01-69) or city (kota 71-99), ``PP.KK.CC`` district (kecamatan),
``PP.KK.CC.XNNN`` village, where X is 1 kelurahan (urban), 2 desa (rural), 3 desa adat (customary).
Source: REFERENCE.md §6.2 [S-GH-WILAYAH, S-WIKI-KODE].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from jangkau.regions.errors import RegionCodeInvalid


class Level(IntEnum):
    """Depth in the region tree."""

    PROVINCE = 1
    REGENCY = 2
    DISTRICT = 3
    VILLAGE = 4


class Kind(StrEnum):
    """What a region is, as users say it."""

    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    DESA = "desa"
    DESA_ADAT = "desa_adat"


_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_VILLAGE_KIND = {"1": Kind.KELURAHAN, "2": Kind.DESA, "3": Kind.DESA_ADAT}


@dataclass(frozen=True)
class RegionCode:
    """A well-formed region code (whether it exists is the region tree's business)."""

    code: str

    @property
    def parts(self) -> list[str]:
        return self.code.split(".")

    @property
    def level(self) -> Level:
        return Level(len(self.parts))

    @property
    def parent(self) -> str | None:
        """Code of the parent region, ``None`` for a province."""
        return ".".join(self.parts[:-1]) if len(self.parts) > 1 else None

    @property
    def kind(self) -> Kind:
        level = self.level
        if level is Level.PROVINCE:
            return Kind.PROVINSI
        if level is Level.REGENCY:
            return Kind.KOTA if int(self.parts[1]) >= 71 else Kind.KABUPATEN
        if level is Level.DISTRICT:
            return Kind.KECAMATAN
        return _VILLAGE_KIND[self.parts[3][0]]

    def ancestors(self) -> list[str]:
        """Codes from the province down to this region's parent."""
        return [".".join(self.parts[:i]) for i in range(1, len(self.parts))]

    def __str__(self) -> str:
        return self.code


def normalise_code(text: str) -> str:
    """Accept ``1271011001`` or ``12.71.01.1001`` (and stray spaces) and return the dotted form."""
    raw = text.strip().replace(" ", "")
    if "." in raw:
        return raw
    widths = {2: [2], 4: [2, 2], 6: [2, 2, 2], 10: [2, 2, 2, 4]}.get(len(raw))
    if widths is None or not raw.isdigit():
        return raw
    parts, pos = [], 0
    for width in widths:
        parts.append(raw[pos : pos + width])
        pos += width
    return ".".join(parts)


def parse_region_code(text: str, field: str = "region_code") -> RegionCode:
    """Parse and check the shape of a region code.

    Args:
        text: the code, dotted or not.
        field: the input field name to put in the error.

    Returns:
        The parsed code.

    Raises:
        InvalidInput: the code is not shaped like a Kemendagri code (the message says what shape is expected).
    """
    code = normalise_code(text)
    problem = _shape_problem(code)
    if problem:
        raise RegionCodeInvalid(field, text, problem)
    return RegionCode(code)


def _shape_problem(code: str) -> str | None:
    if not _CODE.match(code):
        return "wrong shape"
    parts = code.split(".")
    if parts[0] == "00":
        return "province 00 does not exist"
    if len(parts) > 1 and (parts[1] == "00" or parts[1] == "70"):
        return "regency part must be 01-69 (kabupaten) or 71-99 (kota)"
    if len(parts) > 2 and parts[2] == "00":
        return "district part must not be 00"
    if len(parts) > 3 and parts[3][0] not in _VILLAGE_KIND:
        return "village part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)"
    return None


def is_within(code: str, scope: str) -> bool:
    """Whether region ``code`` lies inside (or is) the region ``scope``: a prefix test on whole segments."""
    return code == scope or code.startswith(scope + ".")
