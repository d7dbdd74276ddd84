"""FastAPI app factory: mounts the JSON API and the HTML pages, the error handlers and request limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from jangkau import __version__
from jangkau.api_errors import error_responses
from jangkau.auth import endpoints as auth_endpoints
from jangkau.auth import pages as auth_pages
from jangkau.auth.deps import SESSION_COOKIE, NotAuthenticated, optional_principal
from jangkau.auth.secrets import SessionSigner
from jangkau.auth.users import pages as user_pages
from jangkau.claims import endpoints as claims_endpoints
from jangkau.claims import pages as claims_pages
from jangkau.compliance import endpoints as compliance_endpoints
from jangkau.compliance import pages as compliance_pages
from jangkau.config import Settings, get_settings
from jangkau.db.engine import make_engine, make_session_factory
from jangkau.db.uow import unit_of_work
from jangkau.enrolment import endpoints as enrolment_endpoints
from jangkau.enrolment import pages as enrolment_pages
from jangkau.errors import N_, FieldError, InvalidInput, JangkauError, bilingual
from jangkau.funding import endpoints as funding_endpoints
from jangkau.funding import pages as funding_pages
from jangkau.funding.channels import pages as funding_channel_pages
from jangkau.funding.requests import pages as funding_request_pages
from jangkau.home import pages as home_pages
from jangkau.i18n import gettext
from jangkau.jobs import endpoints as jobs_endpoints
from jangkau.jobs import pages as jobs_pages
from jangkau.kit.months import MonthOutOfRange
from jangkau.linkage import endpoints as linkage_endpoints
from jangkau.linkage import pages as linkage_pages
from jangkau.notify import endpoints as notify_endpoints
from jangkau.notify import pages as notify_pages
from jangkau.outreach import endpoints as outreach_endpoints
from jangkau.outreach import pages as outreach_pages
from jangkau.persons import pages as persons_pages
from jangkau.registry import endpoints as registry_endpoints
from jangkau.registry import pages as registry_pages
from jangkau.registry.coverage import pages as registry_coverage_pages
from jangkau.reporting import endpoints as reporting_endpoints
from jangkau.reporting import pages as reporting_pages
from jangkau.ruleadmin import endpoints as ruleadmin_endpoints
from jangkau.ruleadmin import pages as ruleadmin_pages
from jangkau.system import endpoints as system_endpoints
from jangkau.system import metrics as system_metrics
from jangkau.system.logs import current_request_id
from jangkau.system.middleware import RequestObserver
from jangkau.tasks import endpoints as tasks_endpoints
from jangkau.tasks import pages as tasks_pages
from jangkau.web.guard import (
    BodyLimit,
    ConcurrencyLimit,
    InternalError,
    PoolTimeout,
    SecurityHeaders,
    ServerBusy,
    http_error,
    range_error,
    storage_error,
)
from jangkau.web.kit import WEB_DIR, render

API_ROUTERS = (
    system_endpoints.router,
    auth_endpoints.router,
    registry_endpoints.router,
    enrolment_endpoints.router,
    funding_endpoints.router,
    reporting_endpoints.router,
    outreach_endpoints.router,
    compliance_endpoints.router,
    claims_endpoints.router,
    jobs_endpoints.router,
    linkage_endpoints.router,
    ruleadmin_endpoints.router,
    tasks_endpoints.router,
    notify_endpoints.router,
)
# What any route of the JSON API may answer besides its own refusals: not signed in or not allowed, a body too
# large, invalid input, and a server whose connections are all busy (Retry-After). The system routes are public.
COMMON_REFUSALS = (401, 403, 413, 422, 503)
PUBLIC_REFUSALS = (413, 422, 503)
PAGE_ROUTERS = (
    home_pages.router,
    auth_pages.router,
    user_pages.router,
    registry_pages.router,
    enrolment_pages.router,
    registry_coverage_pages.router,
    funding_pages.router,
    funding_request_pages.router,
    funding_channel_pages.router,
    reporting_pages.router,
    outreach_pages.router,
    compliance_pages.router,
    claims_pages.router,
    jobs_pages.router,
    linkage_pages.router,
    ruleadmin_pages.router,
    tasks_pages.router,
    notify_pages.router,
    persons_pages.router,
)


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the web app on ``engine`` (default: the configured database)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Jangkau",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.engine = engine or make_engine()
    system_metrics.watch_pool(app.state.engine)
    app.state.session_factory = make_session_factory(app.state.engine)
    app.state.session_signer = SessionSigner(settings.secret_key, settings.session_max_age_seconds)
    app.state.secure_cookies = settings.secure_cookies
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    for router in API_ROUTERS:
        common = PUBLIC_REFUSALS if router is system_endpoints.router else COMMON_REFUSALS
        app.include_router(router, prefix="/api/v1", responses=error_responses(*common))
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.include_router(system_metrics.router)
    app.add_middleware(SecurityHeaders, settings=lambda: app.state.settings)  # and the audit log's source address
    app.add_middleware(ConcurrencyLimit, settings=lambda: app.state.settings)  # no thread waits for a connection
    app.add_middleware(BodyLimit, settings=lambda: app.state.settings)  # counts every byte received
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.host_names())
    app.add_middleware(RequestObserver)  # outermost: every answer gets an id, a log line and its metrics
    app.add_exception_handler(JangkauError, _jangkau_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(StatementError, _storage_error)  # type: ignore[arg-type]
    app.add_exception_handler(PoolTimeout, _pool_timeout)
    app.add_exception_handler(OverflowError, _range_error)  # type: ignore[arg-type]
    app.add_exception_handler(MonthOutOfRange, _range_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)  # the 500 of a bug (Starlette still logs and re-raises it)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _jangkau_error(request: Request, exc: JangkauError) -> Response:
    if _wants_json(request):
        body = {**exc.as_dict(), "request_id": current_request_id()}
        return JSONResponse({"error": body}, status_code=exc.http_status, headers=_error_headers(exc))
    if isinstance(exc, NotAuthenticated):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
        expired = "&expired=1" if request.cookies.get("jangkau_session") else ""
        return RedirectResponse(f"/login?next={target}{expired}", status_code=303)
    if exc.http_status in (403, 404):
        _page_principal(request)  # the menu and the way back suit the role, also on an address no route knows
    context = {
        "status": exc.http_status,
        "message": exc.message,
        "message_id": exc.message_id or exc.message,
        "request_id": current_request_id(),
    }
    response = render(request, "error.html", context, status_code=exc.http_status)
    response.headers.update(_error_headers(exc))
    return response


def _page_principal(request: Request) -> None:
    """Who is asking, for an error page whose route did not look (an unknown address): read from the session
    cookie; nobody when the cookie is missing, stale or refused."""
    if hasattr(request.state, "principal") or not request.cookies.get(SESSION_COOKIE):
        return
    request.state.principal = None
    try:
        with unit_of_work(request.app.state.session_factory) as session:
            optional_principal(request, session)
    except JangkauError:
        request.state.principal = None


def _error_headers(exc: JangkauError) -> dict[str, str]:
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else {}
    if exc.http_status in (429, 503) and "retry_after" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after"])
    request_id = current_request_id()
    if request_id:  # also on a 500, which the server's error handler sends outside RequestObserver
        headers["X-Request-ID"] = request_id
    return headers


def _http_error(request: Request, exc: HTTPException) -> Response:
    response = _jangkau_error(request, http_error(exc))
    for name, value in (exc.headers or {}).items():
        response.headers.setdefault(name, value)
    return response


def _storage_error(request: Request, exc: StatementError) -> Response:
    error = storage_error(exc)
    if error is None:
        raise exc
    return _jangkau_error(request, error)


def _range_error(request: Request, exc: OverflowError | MonthOutOfRange) -> Response:
    return _jangkau_error(request, range_error(exc))


def _server_error(request: Request, _exc: Exception) -> Response:
    """A bug's 500 in the error shape, with ``Connection: close``: the server drops the connection after it, so a
    client must not send its next request on that connection (it would meet a reset)."""
    response = _jangkau_error(request, InternalError())
    response.headers["Connection"] = "close"
    return response


def _pool_timeout(request: Request, _exc: Exception) -> Response:
    response = _jangkau_error(request, ServerBusy())
    response.headers["Retry-After"] = str(request.app.state.settings.retry_after_seconds)
    return response


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    fields = [_field_error(err) for err in exc.errors()]
    english = "; ".join(f"{f.field}: {f.message}" for f in fields)
    indonesian = "; ".join(f"{f.field}: {f.message_id or f.message}" for f in fields)
    error = InvalidInput(
        gettext(N_("Invalid input: %(problems)s"), "en", problems=english),
        gettext(N_("Invalid input: %(problems)s"), "id", problems=indonesian),
        fields=fields,
    )
    return _jangkau_error(request, error)


def _field_error(err: dict[str, object]) -> FieldError:
    location = [str(p) for p in err.get("loc", ()) if p != "body"]  # type: ignore[attr-defined]
    if err.get("type") == "json_invalid":
        position = location[0] if location else "?"
        return FieldError("body", *bilingual(N_("malformed JSON near character %(position)s"), position=position))
    if err.get("type") == "extra_forbidden":
        name = ".".join(location)
        return FieldError(name, *bilingual(N_("unknown field")))
    return FieldError(".".join(location) or "body", str(err.get("msg")))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Graceful shutdown: after the server stopped taking requests and those in flight ended, close the pool."""
    yield
    if isinstance(app.state.engine, Engine):
        app.state.engine.dispose()
    system_metrics.worker_exit()
