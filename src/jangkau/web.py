"""FastAPI app factory: mounts the JSON API and the HTML pages, the error handlers and request limits."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from jangkau import __version__
from jangkau.auth import audit
from jangkau.auth import endpoints as auth_endpoints
from jangkau.auth import pages as auth_pages
from jangkau.auth.deps import NotAuthenticated
from jangkau.auth.secrets import SessionSigner
from jangkau.claims import endpoints as claims_endpoints
from jangkau.claims import pages as claims_pages
from jangkau.compliance import endpoints as compliance_endpoints
from jangkau.compliance import pages as compliance_pages
from jangkau.config import Settings, get_settings
from jangkau.db.engine import make_engine, make_session_factory
from jangkau.errors import FieldError, InvalidInput, JangkauError
from jangkau.funding import endpoints as funding_endpoints
from jangkau.funding import pages as funding_pages
from jangkau.home import pages as home_pages
from jangkau.jobs import endpoints as jobs_endpoints
from jangkau.jobs import pages as jobs_pages
from jangkau.linkage import endpoints as linkage_endpoints
from jangkau.linkage import pages as linkage_pages
from jangkau.outreach import endpoints as outreach_endpoints
from jangkau.outreach import pages as outreach_pages
from jangkau.registry import endpoints as registry_endpoints
from jangkau.registry import enrol_pages as registry_enrol_pages
from jangkau.registry import pages as registry_pages
from jangkau.registry.coverage import pages as registry_coverage_pages
from jangkau.reporting import endpoints as reporting_endpoints
from jangkau.reporting import pages as reporting_pages
from jangkau.ruleadmin import endpoints as ruleadmin_endpoints
from jangkau.ruleadmin import pages as ruleadmin_pages
from jangkau.system import endpoints as system_endpoints
from jangkau.tasks import endpoints as tasks_endpoints
from jangkau.tasks import pages as tasks_pages
from jangkau.webkit import PACKAGE_DIR, render

API_ROUTERS = (
    system_endpoints.router,
    auth_endpoints.router,
    registry_endpoints.router,
    funding_endpoints.router,
    reporting_endpoints.router,
    outreach_endpoints.router,
    compliance_endpoints.router,
    claims_endpoints.router,
    jobs_endpoints.router,
    linkage_endpoints.router,
    ruleadmin_endpoints.router,
    tasks_endpoints.router,
)
PAGE_ROUTERS = (
    home_pages.router,
    auth_pages.router,
    registry_pages.router,
    registry_enrol_pages.router,
    registry_coverage_pages.router,
    funding_pages.router,
    reporting_pages.router,
    outreach_pages.router,
    compliance_pages.router,
    claims_pages.router,
    jobs_pages.router,
    linkage_pages.router,
    ruleadmin_pages.router,
    tasks_pages.router,
)
UPLOAD_PATH_MARKERS = ("/import", "/upload", "/documents")  # file uploads: max_upload_bytes


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the web app on ``engine`` (default: the configured database)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Jangkau", version=__version__, openapi_url="/openapi.json", docs_url="/api/docs", redoc_url=None
    )
    app.state.session_factory = make_session_factory(engine or make_engine())
    app.state.session_signer = SessionSigner(settings.secret_key, settings.session_max_age_seconds)
    app.state.secure_cookies = settings.secure_cookies
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    for router in API_ROUTERS:
        app.include_router(router, prefix="/api/v1")
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.add_middleware(BaseHTTPMiddleware, dispatch=_limits_and_headers)
    app.add_exception_handler(JangkauError, _jangkau_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    return app


async def _limits_and_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Refuse oversized bodies (413) before reading them, and add security headers to every answer."""
    settings: Settings = request.app.state.settings
    audit.set_source(request.client.host if request.client else None)
    limit = (
        settings.max_upload_bytes
        if any(m in request.url.path for m in UPLOAD_PATH_MARKERS)
        else settings.max_body_bytes
    )
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit:
        error = JangkauError(
            f"The request is larger than {limit:,} bytes",
            f"Permintaan lebih dari {limit:,} byte",
            "payload_too_large",
            413,
        )
        return JSONResponse({"error": error.as_dict()}, status_code=413)
    response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'")
    if settings.secure_cookies:  # served over HTTPS: browsers keep to HTTPS for a year
        response.headers.setdefault("Strict-Transport-Security", f"max-age={settings.hsts_seconds}; includeSubDomains")
    return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _jangkau_error(request: Request, exc: JangkauError) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": exc.as_dict()}, status_code=exc.http_status, headers=_error_headers(exc))
    if isinstance(exc, NotAuthenticated):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
        expired = "&expired=1" if request.cookies.get("jangkau_session") else ""
        return RedirectResponse(f"/login?next={target}{expired}", status_code=303)
    context = {"status": exc.http_status, "message": exc.message, "message_id": exc.message_id or exc.message}
    response = render(request, "error.html", context, status_code=exc.http_status)
    response.headers.update(_error_headers(exc))
    return response


def _error_headers(exc: JangkauError) -> dict[str, str]:
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else {}
    if exc.http_status in (429, 503) and "retry_after" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after"])
    return headers


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    fields = [_field_error(err) for err in exc.errors()]
    text = "; ".join(f"{f.field}: {f.message}" for f in fields)
    error = InvalidInput(f"Invalid input: {text}", f"Masukan tidak valid: {text}", fields=fields)
    return _jangkau_error(request, error)


def _field_error(err: dict[str, object]) -> FieldError:
    location = [str(p) for p in err.get("loc", ()) if p != "body"]  # type: ignore[attr-defined]
    if err.get("type") == "json_invalid":
        position = location[0] if location else "?"
        return FieldError("body", f"malformed JSON near character {position}", f"JSON rusak di karakter {position}")
    if err.get("type") == "extra_forbidden":
        name = ".".join(location)
        return FieldError(name, "unknown field", "isian tidak dikenal")
    return FieldError(".".join(location) or "body", str(err.get("msg")))
