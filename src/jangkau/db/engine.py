"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from jangkau.config import get_settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module: left alone, it emits no BEGIN before a SAVEPOINT,
    # so releasing the first savepoint commits everything before it and a later rollback undoes nothing.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE: a transaction takes the write lock up front, so concurrent writers queue on the busy
    timeout instead of failing when a read snapshot would have to be upgraded (the embedded default trades
    write concurrency for correctness; PostgreSQL is the multi-user database)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: the configured database).

    SQLite gets foreign keys, WAL and a busy timeout so that concurrent writers wait instead of failing;
    PostgreSQL URLs written ``postgresql://`` use the psycopg 3 driver, with the pool sized by the settings
    (``db_pool_size``, ``db_max_overflow``, ``db_pool_timeout_seconds``; ``kwargs`` override them).
    """
    settings = get_settings()
    url = url or settings.resolved_database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgresql"):
        kwargs.setdefault("pool_size", settings.db_pool_size)
        kwargs.setdefault("max_overflow", settings.db_max_overflow)
        kwargs.setdefault("pool_timeout", settings.db_pool_timeout_seconds)
    engine = create_engine(url, future=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that do not expire objects on commit (results stay readable after the unit of work ends)."""
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


_NAMES: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def database_name(session: Session) -> str:
    """The session's database URL without its password, computed once per engine: the key of per-process caches
    (remembered regions, rule tables in force, token owners) that must not mix two databases."""
    engine = session.get_bind().engine
    name = _NAMES.get(engine)
    if name is None:
        name = _NAMES[engine] = engine.url.render_as_string(hide_password=True)
    return name
