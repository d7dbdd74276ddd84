"""The outermost middleware: gives every request an id, times it, counts it, and writes one access log line
with the route template (never the raw path or query, which may hold a NIK)."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jangkau.system.logs import start_request
from jangkau.system.metrics import observe

access_log = logging.getLogger("jangkau.access")
API_PREFIX = "/api/v1"


def route_template(scope: Scope) -> str:
    """The matched route's template (``/api/v1/persons/{person_id}``), so that metrics stay few and hold no NIK."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    path = str(scope.get("path", ""))
    if isinstance(template, str):  # the route of an included router: its template lacks the router's prefix
        return (
            API_PREFIX + template
            if path.startswith(API_PREFIX + "/") and not template.startswith(API_PREFIX)
            else template
        )
    if path.startswith("/static/"):
        return "/static"
    return "unmatched"


class RequestObserver:
    """ASGI middleware: ``X-Request-ID`` in and out, latency and status metrics, the access log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = start_request(Headers(scope=scope).get("x-request-id"))
        status = 500  # an exception escaping the app is answered 500 by the server error handler

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = MutableHeaders(scope=message)
                if "x-request-id" not in headers:  # error answers set it themselves
                    headers.append("X-Request-ID", request_id)
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            observe(scope["method"], route, status, seconds)
            access_log.info(
                "%s %s %s %.1f ms",
                scope["method"],
                route,
                status,
                seconds * 1000,
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
