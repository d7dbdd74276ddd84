"""Linkage's named refusals."""

from __future__ import annotations

from jangkau.errors import JangkauError


class SparkUnavailable(JangkauError):
    """The Spark engine cannot run here: pyspark or Java is missing, or the master URL is wrong or unreachable.

    The message names what to install or fix; the run has not started (HTTP 503: the server lacks a part).
    """

    def __init__(self, message: str, message_id: str, code: str) -> None:
        super().__init__(message, message_id, code, 503)
