"""Declarative base with a constraint naming convention, so that migrations name things the same everywhere."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from jangkau.db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """Timezone-aware UTC now (timestamps are stored in UTC and shown in the region's zone)."""
    return dt.datetime.now(dt.UTC)


class Timestamps:
    """``created_at`` / ``updated_at`` columns, timezone-aware UTC."""

    created_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=utcnow, server_default=func.current_timestamp()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )
