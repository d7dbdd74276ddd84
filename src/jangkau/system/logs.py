"""Server logs: one JSON object a line (or text), each with the request id, and no NIK or phone number in clear.

The request id comes from the ``X-Request-ID`` header when it is a safe token, else a new one; it is kept in a
context variable for the log lines, the response header and the error bodies of the request.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

_REQUEST_ID: ContextVar[str | None] = ContextVar("jangkau_request_id", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_LONG_DIGITS = re.compile(r"\d{10}")
# A NIK is 16 digits; an Indonesian mobile number is 08..., 628... or +628... with 8 to 12 more digits.
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+62|62|0)8\d{7,12}(?!\d)")


def current_request_id() -> str | None:
    """The id of the request being handled, ``None`` outside a request."""
    return _REQUEST_ID.get()


def start_request(header: str | None) -> str:
    """Take the caller's ``X-Request-ID`` when it is a safe token (no personal number in it), else make one."""
    ok = header is not None and _SAFE_ID.match(header) is not None and not _LONG_DIGITS.search(header)
    request_id = header if ok and header else uuid.uuid4().hex
    _REQUEST_ID.set(request_id)
    return request_id


def redact(text: str) -> str:
    """``text`` with every NIK-like and phone-like number replaced (the last line of defence for logs)."""
    return _PHONE.sub("[phone]", _NIK.sub("[nik]", text))


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _REQUEST_ID.get() or "-"
        return True


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines with the personal numbers redacted, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingTextFormatter(logging.Formatter):
    """Plain text lines with the personal numbers redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_config(log_format: str, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server (uvicorn takes it as ``log_config``)."""
    formatter: dict[str, Any]
    if log_format == "json":
        formatter = {
            "()": RedactingJsonFormatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {
            "()": RedactingTextFormatter,
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "main",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "root": {"handlers": ["main"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
            "alembic": {"handlers": [], "level": "WARNING", "propagate": True},  # /ready reads the revision often
        },
    }
