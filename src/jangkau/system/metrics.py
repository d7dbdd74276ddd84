"""Prometheus metrics at ``/metrics``: request latency by route template, responses by status class, database
connections in use, how fresh the coverage summaries are, and the queue workers' heartbeats.

With several web workers, ``PROMETHEUS_MULTIPROC_DIR`` (set by ``jangkau serve --workers N``) makes every worker
write its samples there and any worker's ``/metrics`` answer for all of them.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import SQLAlchemyError

REQUEST_SECONDS = Histogram(
    "jangkau_http_request_duration_seconds",
    "Time to answer a request, by HTTP method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
RESPONSES = Counter(
    "jangkau_http_responses",
    "Responses sent, by route template and status class (2xx ... 5xx).",
    ["route", "status_class"],
)
POOL_IN_USE = Gauge(
    "jangkau_db_connections_in_use",
    "Database connections checked out of the pool (summed over live workers).",
    multiprocess_mode="livesum",
)

router = APIRouter(include_in_schema=False)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request."""
    REQUEST_SECONDS.labels(method, route).observe(seconds)
    RESPONSES.labels(route, f"{status // 100}xx").inc()


def watch_pool(engine: Engine) -> None:
    """Keep :data:`POOL_IN_USE` current from the engine's pool events (tests may hand in a bare connection)."""
    if not isinstance(engine, Engine):
        return
    event.listen(engine, "checkout", lambda *_: POOL_IN_USE.inc())
    event.listen(engine, "checkin", lambda *_: POOL_IN_USE.dec())


class SummaryFreshness(Collector):
    """When the coverage summaries were last refreshed and how many region-months wait for a refresh (read at
    scrape time: two small queries)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if not isinstance(self.engine, Engine):  # a test's bare connection
            return
        try:
            with self.engine.connect() as connection:
                finished = connection.execute(text("SELECT max(finished_at) FROM report_run")).scalar()
                pending = connection.execute(text("SELECT count(*) FROM coverage_change")).scalar()
        except SQLAlchemyError:
            return
        if finished is not None:
            stamp = _epoch(finished)
            yield GaugeMetricFamily(
                "jangkau_report_last_refresh_timestamp_seconds",
                "When the coverage summaries were last refreshed.",
                stamp,
            )
            yield GaugeMetricFamily(
                "jangkau_report_summary_age_seconds", "Seconds since the last summary refresh.", time.time() - stamp
            )
        yield GaugeMetricFamily(
            "jangkau_report_pending_marks", "Region-months changed since the last refresh.", float(pending or 0)
        )


class WorkerHeartbeats(Collector):
    """How many queue workers are alive and how old the newest heartbeat is (read at scrape time)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from jangkau.tasks.heartbeat import worker_status

        if not isinstance(self.engine, Engine):  # a test's bare connection
            return
        try:
            status = worker_status(self.engine)
        except SQLAlchemyError:
            return
        yield GaugeMetricFamily(
            "jangkau_workers_alive", "Queue workers whose heartbeat is fresh (JANGKAU_WORKER_STALE_SECONDS).",
            float(status.alive),
        )  # fmt: skip
        age = status.age(dt.datetime.now(dt.UTC))
        if age is not None:
            yield GaugeMetricFamily(
                "jangkau_worker_last_heartbeat_age_seconds", "Seconds since the newest heartbeat of any worker.", age
            )


def _epoch(value: Any) -> float:
    if isinstance(value, str):  # SQLite answers text for an aggregate over a timestamp column
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return float(value.timestamp())


def multiprocess_dir() -> str | None:
    """The directory the workers share their samples in, when serving with several workers."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(engine: Engine) -> bytes:
    """The text exposition of every metric of this process (or of every worker) and the summary freshness."""
    if multiprocess_dir():
        shared = CollectorRegistry()
        multiprocess.MultiProcessCollector(shared)  # type: ignore[no-untyped-call]
        body = generate_latest(shared)
    else:
        body = generate_latest(REGISTRY)
    fresh = CollectorRegistry()
    fresh.register(SummaryFreshness(engine))
    fresh.register(WorkerHeartbeats(engine))
    return body + generate_latest(fresh)


def worker_exit() -> None:
    """Forget this worker's live gauges (its connections are gone with it)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus scrape endpoint (keep it off the public internet: the reverse proxy allows only the scraper)."""
    return Response(exposition(request.app.state.engine), media_type=CONTENT_TYPE_LATEST)
