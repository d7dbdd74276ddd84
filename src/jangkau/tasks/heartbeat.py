"""The worker's heartbeat: each `jangkau worker` process keeps a ``worker_heartbeat`` row fresh; readiness and
``/metrics`` read how many workers are alive and how old the last heartbeat is.

The beat runs in a thread of its own, started and stopped with huey's consumer (:class:`HeartbeatConsumer`), so a
long task never delays it. A worker that stops cleanly marks its row stopped; one that is killed simply stops
beating and counts as gone once its last beat is older than ``JANGKAU_WORKER_STALE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from dataclasses import dataclass
from typing import Any

from huey.consumer import Consumer
from sqlalchemy import Engine, delete, select

from jangkau.config import Settings, get_settings
from jangkau.db.base import utcnow
from jangkau.tasks.models import WorkerHeartbeat
from jangkau.tasks.record import Units, task_unit

KEEP_STOPPED = dt.timedelta(days=7)  # rows of workers gone longer than this are deleted when a worker starts
logger = logging.getLogger(__name__)


def this_worker() -> str:
    """The id of this process's worker row: ``host:pid``."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


class Heartbeat:
    """Writes this worker's row now, then every ``interval`` seconds until :meth:`stop` (which marks it stopped).

    A failed write (the database restarting) is logged and retried at the next beat; it never stops the worker.
    """

    def __init__(self, threads: int, interval: float | None = None, units: Units = task_unit) -> None:
        self.worker_id = this_worker()
        self.threads = threads
        self.interval = interval or get_settings().worker_heartbeat_seconds
        self.units = units
        self.started_at = utcnow()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._write(prune=True)
        self._thread = threading.Thread(target=self._run, name="jangkau-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None or self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)
        self._write(stopped=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._write()

    def _write(self, stopped: bool = False, prune: bool = False) -> None:
        try:
            with self.units() as session:
                now = utcnow()
                row = session.get(WorkerHeartbeat, self.worker_id)
                if row is None:
                    host = self.worker_id.rpartition(":")[0]
                    row = WorkerHeartbeat(worker_id=self.worker_id, host=host, pid=os.getpid(), threads=self.threads,
                                          started_at=self.started_at)  # fmt: skip
                    session.add(row)
                row.seen_at, row.stopped_at = now, (now if stopped else None)
                if prune:
                    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < now - KEEP_STOPPED))
        except Exception as exc:  # the beat must outlive a database restart; the next one tries again
            logger.warning("worker heartbeat not written (%s); trying again in %s s", type(exc).__name__, self.interval)


class HeartbeatConsumer(Consumer):  # type: ignore[misc]
    """huey's consumer with this process's heartbeat, and SIGTERM (systemd's stop) as graceful as Ctrl-C.

    Both signals stop taking new tasks and wait for the running ones, up to ``shutdown_timeout`` seconds; a second
    signal stops at once. A task cut off that way stays ``running`` in its record and is taken over, from its
    checkpoint, after ``JANGKAU_TASK_STALE_MINUTES`` (see :mod:`jangkau.tasks.record`).
    """

    def __init__(self, huey: Any, heartbeat: Heartbeat, **options: Any) -> None:
        super().__init__(huey, graceful_signal="TERM", **options)
        self.heartbeat = heartbeat
        self._signal_actions[signal.SIGINT] = (False, True)  # Ctrl-C graceful too (huey: interrupt)
        self._set_signal_handlers()

    def start(self) -> None:
        self.heartbeat.start()
        super().start()

    def stop(self, graceful: bool = False) -> None:
        super().stop(graceful=graceful)
        self.heartbeat.stop()


@dataclass(frozen=True)
class WorkerStatus:
    """What the heartbeat rows say: workers alive, the newest beat, and whether one is expected."""

    alive: int
    last_seen: dt.datetime | None
    stale_after: float
    required: bool

    def age(self, now: dt.datetime) -> float | None:
        """Seconds since the newest heartbeat of any worker, or ``None`` when none was ever seen."""
        return None if self.last_seen is None else max(0.0, (now - self.last_seen).total_seconds())


def worker_required(settings: Settings) -> bool:
    """Whether readiness needs a live worker: the setting, or when unset, a queue on Redis or PostgreSQL (the
    shape of a deployment with a separate worker service; the embedded SQLite queue of `make run` and the test
    queues need none)."""
    if settings.worker_required is not None:
        return settings.worker_required
    return settings.queue_url.strip().startswith(("redis://", "rediss://", "unix://", "postgresql://", "postgres://"))


def worker_status(engine: Engine, now: dt.datetime | None = None, settings: Settings | None = None) -> WorkerStatus:
    """Read the heartbeat rows (one per worker process seen in the last week: a handful)."""
    settings = settings or get_settings()
    now = now or utcnow()
    limit = now - dt.timedelta(seconds=settings.worker_stale_seconds)
    with engine.connect() as connection:
        rows = connection.execute(select(WorkerHeartbeat.seen_at, WorkerHeartbeat.stopped_at)).all()
    alive = sum(1 for seen, stopped in rows if stopped is None and seen >= limit)
    last = max((seen for seen, _ in rows), default=None)
    return WorkerStatus(alive, last, settings.worker_stale_seconds, worker_required(settings))
