"""The one huey instance of the process, built from ``JANGKAU_QUEUE_URL`` (see docs/adr/0010).

- empty: ``SqliteHuey`` on ``<var_dir>/tasks.db``, beside the SQLite database (``make run``: no extra service);
- ``redis://...``: ``RedisHuey`` (production, several workers on several machines);
- ``postgresql://...``: ``PostgresHuey`` (production without Redis);
- ``memory://``: in-process memory storage; ``immediate://``: tasks run at once in the caller (tests).

Huey runs and retries the tasks; :mod:`jangkau.tasks.record` writes what the console shows.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey

from jangkau.config import Settings, get_settings

QUEUE_NAME = "jangkau"


def build_huey(settings: Settings) -> Huey:
    """The huey instance for ``settings.queue_url`` (module docstring lists the forms)."""
    url = settings.queue_url.strip()
    if not url:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str((settings.var_dir / "tasks.db").resolve()), results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresHuey(QUEUE_NAME, dsn=url, results=False)
    if url == "memory://":
        return MemoryHuey(QUEUE_NAME, results=False)
    if url == "immediate://":
        return MemoryHuey(QUEUE_NAME, results=False, immediate=True)
    raise ValueError(f"JANGKAU_QUEUE_URL {url!r}: expected empty, redis://, postgresql://, memory:// or immediate://")


huey: Huey = build_huey(get_settings())


def local_zone() -> ZoneInfo:
    """The zone the schedule is written in (WIB for Medan: ``Asia/Jakarta``)."""
    return ZoneInfo(get_settings().timezone)


def local_now(at: dt.datetime | None = None) -> dt.datetime:
    """``at`` (default now, UTC) in the schedule's zone, as a naive wall-clock time for cron matching."""
    moment = at or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(local_zone()).replace(tzinfo=None)
