"""Response shapes of the region tree."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class RegionRef(BaseModel):
    """A region named by its code."""

    code: str = Field(description="Kemendagri code, dotted: 12.71.01.1001")
    name: str


class RegionChildRead(RegionRef):
    kind: str = Field(description="provinsi, kabupaten, kota, kecamatan, desa or kelurahan")


class RegionRead(RegionChildRead):
    """A region with its parent and children."""

    level: str = Field(description="province, regency, district or village")
    parent: RegionRef | None
    children: list[RegionChildRead]


class RegionSourceRead(BaseModel):
    """Where the loaded tree came from."""

    source: str
    version: str
    decree: str
    loaded_at: dt.datetime


class RegionStatsRead(BaseModel):
    """Counts of regions per level and per kind, and the source of the tree."""

    counts: dict[str, int] = Field(description="per level: province, regency, district, village")
    by_kind: dict[str, int]
    source: RegionSourceRead | None
