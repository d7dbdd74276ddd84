"""The web edge's guards: bounded request bodies, and refusals that do not come from a service in the error shape.

Every answer the edge gives by itself (a body too large, an unreadable body, an unknown address, a value the
database cannot store, a busy connection pool) is ``{"error": {"code", "message", "message_id", "fields"}}`` like
a :class:`~jangkau.errors.JangkauError`, never ``{"detail": ...}`` and never a 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Callable
from typing import ClassVar

from sqlalchemy.exc import DataError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jangkau.auth import audit
from jangkau.config import Settings
from jangkau.errors import N_, JangkauError, bilingual
from jangkau.kit.months import FIRST_YEAR, LAST_YEAR

MAX_INT = 2**63 - 1

log = logging.getLogger(__name__)
UPLOAD_PATH_MARKERS = ("/import", "/upload", "/documents", "/statements")  # file uploads: max_upload_bytes


class PayloadTooLarge(JangkauError):
    """The request body is larger than this address accepts (HTTP 413)."""

    status: ClassVar[int] = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            *bilingual(N_("The request is larger than %(limit)s bytes; send a smaller file or split it"),
                       limit=f"{limit:,}"),
            "payload_too_large",
            413,
            details={"limit_bytes": limit},
        )  # fmt: skip


class ServerBusy(JangkauError):
    """Every database connection is in use for longer than the pool timeout (HTTP 503, with Retry-After)."""

    status: ClassVar[int] = 503

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("Jangkau is busy; nothing was saved, send the request again in a moment")),
            "server_busy",
            503,
        )


class InternalError(JangkauError):
    """A bug: the answer to an unexpected exception (HTTP 500, logged with its traceback, never its details)."""

    status: ClassVar[int] = 500

    def __init__(self) -> None:
        super().__init__(
            *bilingual(
                N_(
                    "Something went wrong on our side and nothing was saved; try again, and tell the administrator "
                    "if it happens again"
                )
            ),
            "internal_error",
            500,
        )


class ValueOutOfRange(JangkauError):
    """A value beyond what Jangkau can compute with or store: a number beyond 64 bits, a year outside
    1900-2200, a NUL character in text (HTTP 422). Caught once at the edge, whichever service met it."""

    status: ClassVar[int] = 422

    def __init__(self) -> None:
        super().__init__(
            *bilingual(
                N_(
                    "A value is out of range: numbers at most %(max)s, dates and months in the years "
                    "%(first)s-%(last)s, text without NUL characters; correct the value and send it again"
                ),
                max=f"{MAX_INT:,}",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            ),
            "value_out_of_range",
            422,
        )


HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: (
        "body_unreadable",
        N_("The request body cannot be read: it must be UTF-8 JSON or form data, nested at most a few hundred levels"),
    ),
    404: ("not_found", N_("There is nothing at this address")),
    405: ("method_not_allowed", N_("This address does not accept this method")),
}


def http_error(exc: HTTPException) -> JangkauError:
    """Starlette's own refusals (unknown address, wrong method, unreadable body) as a :class:`JangkauError`."""
    if exc.status_code not in HTTP_ERRORS:
        return JangkauError(str(exc.detail), str(exc.detail), "http_error", exc.status_code)
    code, text = HTTP_ERRORS[exc.status_code]
    return JangkauError(*bilingual(text), code, exc.status_code)


def storage_error(exc: StatementError) -> JangkauError | None:
    """A driver refusal caused by the input (PostgreSQL ``DataError``, an int overflow), else ``None``."""
    if isinstance(exc, DataError) or isinstance(exc.orig, OverflowError):
        log.warning("value refused by the database: %s", type(exc.orig).__name__)
        return ValueOutOfRange()
    return None


def range_error(exc: ArithmeticError | ValueError) -> JangkauError:
    """A date, month or integer pushed out of range by the input (``OverflowError``, :class:`MonthOutOfRange`)."""
    log.warning("value out of range: %s", type(exc).__name__)
    return ValueOutOfRange()


def body_limit(settings: Settings, path: str) -> int:
    """The largest body accepted at ``path``: the longest matching prefix of ``settings.body_limits``, else the
    upload limit for upload addresses, else ``settings.max_body_bytes``."""
    matches = [prefix for prefix in settings.body_limits if path.startswith(prefix)]
    if matches:
        return settings.body_limits[max(matches, key=len)]
    if any(marker in path for marker in UPLOAD_PATH_MARKERS):
        return settings.max_upload_bytes
    return settings.max_body_bytes


def error_message(error: JangkauError) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps({"error": error.as_dict()}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return body, headers


class _Counted:
    """The request's ``receive`` and ``send``, counting body bytes: past ``limit``, receiving raises and the app's
    answer is held back (the caller sends the 413 instead)."""

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive, self._send, self.limit = receive, send, limit
        self.received, self.over, self.started = 0, False, False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.over = True
                raise PayloadTooLarge(self.limit)
        return message

    async def send(self, message: Message) -> None:
        if not self.over:
            self.started = True
            await self._send(message)


class BodyLimit:
    """ASGI middleware: refuse a body larger than :func:`body_limit` with 413, counting the bytes as they arrive
    (a chunked request without ``Content-Length`` included), so an oversized body is never held whole."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings(), scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        counted = _Counted(receive, send, limit)
        try:
            await self.app(scope, counted.receive, counted.send)
        except Exception:
            if not counted.over:
                raise
        if counted.over and not counted.started:
            await _refuse(send, limit)


class ConcurrencyLimit:
    """ASGI middleware: at most ``permits`` requests at work at once (default: the connection pool's size plus
    overflow); the others wait here in arrival order, asynchronously, for up to ``db_pool_timeout_seconds``, then
    get 503 + Retry-After.

    Waiting here rather than in the pool matters: a sync endpoint waiting for a pooled connection blocks one of
    the server's 40 worker threads, and once every thread waits, the requests that hold connections cannot get a
    thread to commit and give them back (a lock-up until the pool timeout, answered with 500s). Waiting on this
    queue costs no thread, so a request that holds a connection can always finish.
    """

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings
        self.active = 0
        self.waiting: deque[asyncio.Future[None]] = deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        settings = self.settings()
        permits = settings.max_concurrent_requests or settings.db_pool_size + settings.db_max_overflow
        if not await self._acquire(permits, settings.db_pool_timeout_seconds):
            await _busy(send, settings.retry_after_seconds)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    async def _acquire(self, permits: int, timeout: float) -> bool:
        if self.active < permits and not self.waiting:
            self.active += 1
            return True
        turn = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await asyncio.wait_for(turn, timeout)
        except TimeoutError:
            return False  # wait_for cancelled ``turn``: _release skips it
        return True  # the permit of a finished request was handed over (``active`` unchanged)

    def _release(self) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.active -= 1


class SecurityHeaders:
    """ASGI middleware: security headers on every answer of the app (a header the route set is kept), and the
    client's address for the audit log. Pure ASGI: a ``BaseHTTPMiddleware`` costs a task and a stream per request."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        audit.set_source(client[0] if client else None)
        settings = self.settings()
        extra = list(SECURITY_HEADERS)
        if settings.secure_cookies:  # served over HTTPS: browsers keep to HTTPS for a year
            extra.append(("Strict-Transport-Security", f"max-age={settings.hsts_seconds}; includeSubDomains"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'"),
)


async def _busy(send: Send, retry_after: int) -> None:
    body, headers = error_message(ServerBusy())
    headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(send: Send, limit: int) -> None:
    body, headers = error_message(PayloadTooLarge(limit))
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


__all__ = [
    "BodyLimit",
    "ConcurrencyLimit",
    "InternalError",
    "PayloadTooLarge",
    "PoolTimeout",
    "SecurityHeaders",
    "ServerBusy",
    "http_error",
    "range_error",
    "storage_error",
]
