"""Alembic environment: migrations run on the connection handed in by jangkau.db.migrate, or on the URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from jangkau.db.all_models import metadata
from jangkau.db.engine import make_engine
from jangkau.db.types import UtcDateTime

config = context.config


def _render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:  # noqa: ARG001
    """Write our column types as plain SQLAlchemy types, so migrations do not import the application."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `jangkau db upgrade`.")
run_migrations_online()
