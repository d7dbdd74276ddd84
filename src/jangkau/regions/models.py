"""Region tree tables: every province, regency/city, district and village, and where the data came from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from jangkau.db.base import Base, utcnow
from jangkau.db.types import UtcDateTime


class RegionSource(Base):
    """One load of the region tree: the package and version it came from and the decree it follows."""

    __tablename__ = "region_source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    decree: Mapped[str] = mapped_column(String(120))
    provinces: Mapped[int] = mapped_column(Integer)
    regencies: Mapped[int] = mapped_column(Integer)
    districts: Mapped[int] = mapped_column(Integer)
    villages: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Region(Base):
    """A region at any level, keyed by its dotted Kemendagri code (``12.71.01.1001``)."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(SmallInteger, index=True)
    kind: Mapped[str] = mapped_column(String(12))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("region_source.id"))
