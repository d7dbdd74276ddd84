"""FastAPI app factory: mounts the JSON API and the HTML pages, and the error handlers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from jangkau import __version__
from jangkau.db.engine import make_engine, make_session_factory
from jangkau.errors import FieldError, InvalidInput, JangkauError
from jangkau.registry import pages as registry_pages
from jangkau.system import endpoints as system_endpoints
from jangkau.webkit import PACKAGE_DIR, templates


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the web app on ``engine`` (default: the configured database)."""
    app = FastAPI(title="Jangkau", version=__version__, openapi_url="/openapi.json", docs_url="/api/docs")
    app.state.session_factory = make_session_factory(engine or make_engine())
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.include_router(system_endpoints.router, prefix="/api/v1")
    app.include_router(registry_pages.router)
    app.add_exception_handler(JangkauError, _jangkau_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _jangkau_error(request: Request, exc: JangkauError) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": exc.as_dict()}, status_code=exc.http_status)
    context = {"status": exc.http_status, "message": exc.message, "message_id": exc.message_id or exc.message}
    return templates.TemplateResponse(request, "error.html", context, status_code=exc.http_status)


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    fields = [
        FieldError(".".join(str(p) for p in err["loc"] if p != "body") or "body", str(err["msg"]))
        for err in exc.errors()
    ]
    text = "; ".join(f"{f.field}: {f.message}" for f in fields)
    return _jangkau_error(request, InvalidInput(f"Invalid input: {text}", f"Masukan tidak valid: {text}", fields=fields))


__all__ = ["create_app"]
