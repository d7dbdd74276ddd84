"""Linkage pages: the lists and an upload form, one list (summary, rejected rows, outcome), the review queue."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput, JangkauError
from jangkau.i18n import N_, bilingual
from jangkau.kit.documents import upload_file_name
from jangkau.kit.pagination import PageRequest
from jangkau.linkage import outcome, review
from jangkau.linkage.endpoints import MEDIA, queue_upload
from jangkau.linkage.errors import NeedsSignedInUser
from jangkau.linkage.tasks import import_upload, link_run
from jangkau.tasks import runs as task_runs
from jangkau.tasks.record import enqueue_in, started_by
from jangkau.web.forms import new_token
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/linkage", include_in_schema=False)
SESSION = Depends(get_session)
IMPORT = Depends(require(Permission.LINKAGE_IMPORT))
REVIEW = Depends(require(Permission.LINKAGE_REVIEW))


FORM_REUSED = InvalidInput(
    *bilingual(N_("This form was already sent with another file; a fresh form is ready below, send it again")),
    code="form_reused",
)


def _once(
    request: Request, session: Session, principal: Principal, token: str, what: str, body: dict[str, Any],
    produce: Any,
) -> dict[str, Any]:  # fmt: skip
    """Run ``produce`` once per form token (the API's Idempotency-Key machinery, keyed ``form:<token>``)."""
    key = f"form:{token}" if token else None
    fingerprint = request_fingerprint("POST", what, body)
    try:
        response = run_idempotent(session, request.app.state.session_factory, principal, key, fingerprint, produce)
    except InvalidInput as exc:
        if exc.code == "idempotency_key_reused":
            raise FORM_REUSED from exc
        raise
    answer: dict[str, Any] = json.loads(bytes(response.body))
    return answer


@router.get("", response_class=HTMLResponse)
def index(request: Request, session: Session = SESSION, principal: Principal = IMPORT) -> HTMLResponse:
    context = {"lists": review.lists(session, principal), "error": None, "form_token": new_token(),
               "uploads": _my_imports(session, principal)}  # fmt: skip
    return render(request, "linkage/index.html", context)


def _my_imports(session: Session, principal: Principal) -> list[Any]:
    """The caller's own recent imports (a person who left the task page finds it again here)."""
    mine = task_runs.list_tasks(session, None, import_upload.name, 50)
    return [t for t in mine if t.started_by == started_by(principal)][:5]


@router.post("/import", response_model=None)
def upload(
    request: Request,
    file: UploadFile = File(...),
    source: str = Form(""),
    mapping: str = Form(""),
    csrf_token: str = Form(""),
    once: str = Form("", max_length=100),
    session: Session = SESSION,
    principal: Principal = IMPORT,
) -> Response:
    """Store the file and queue its import and link run; answers at once with the task's page (progress live).

    What can be refused without reading the file (no source, a bad mapping, an empty file) shows the list page
    again with the reason (nothing stored); a file the worker cannot read fails the task with the reason. The
    form's one-time token (``once``) makes a double-submitted upload queue one import, not two.
    """
    check_csrf(request, csrf_token)
    content, name = file.file.read(), upload_file_name(file.filename, "list.csv")
    body = {"file": name, "sha256": hashlib.sha256(content).hexdigest(), "source": source, "mapping": mapping}

    def produce() -> tuple[int, dict[str, Any]]:
        return 202, queue_upload(session, principal, name, content, source, mapping, link=True)

    try:
        done = _once(request, session, principal, once, "/linkage/import", body, produce)
    except JangkauError as exc:
        context = {"lists": review.lists(session, principal), "error": exc, "source": source,
                   "form_token": new_token()}  # fmt: skip
        return render(request, "linkage/index.html", context, status_code=exc.http_status)
    return RedirectResponse(f"/linkage/tasks/{done['task_id']}", status_code=303)


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(
    request: Request, task_id: int, session: Session = SESSION, principal: Principal = IMPORT
) -> HTMLResponse:
    """An import's or a run's progress (a bar that follows the task without reloading); the list's link once done."""
    task = task_runs.read(task_runs.visible_task(session, task_id, principal))
    return render(request, "linkage/task.html", {"task": task})


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def detail(
    request: Request, list_id: int, show: str = Query("not_registered", max_length=20),
    session: Session = SESSION, principal: Principal = IMPORT,
) -> HTMLResponse:  # fmt: skip
    found = outcome.list_outcome(session, principal, list_id)
    context = {
        "d": review.list_detail(session, principal, list_id), "outcome": found,
        "show": show if show in outcome.BUCKETS else "not_registered", "buckets": outcome.BUCKETS,
        "made": request.query_params.get("made"), "form_token": new_token(),
    }  # fmt: skip
    return render(request, "linkage/list.html", context)


@router.post("/lists/{list_id}/run", response_model=None)
def run(
    request: Request, list_id: int, csrf_token: str = Form(""), once: str = Form("", max_length=100),
    session: Session = SESSION, principal: Principal = IMPORT,
) -> Response:  # fmt: skip
    """Queue a run (or rerun) of the list (task ``linkage.run``) and answer with the task's page; the list page then
    shows the run's state (a failed run with its reason)."""
    check_csrf(request, csrf_token)
    review.list_detail(session, principal, list_id)  # 404 unless the list is in the caller's area
    if principal.user_id is None:
        raise NeedsSignedInUser(run=True)

    def produce() -> tuple[int, dict[str, Any]]:
        task_id = enqueue_in(session, link_run, started_by(principal), list_id=list_id, user_id=principal.user_id)
        return 202, {"list_id": list_id, "task_id": task_id}

    done = _once(request, session, principal, once, f"/linkage/lists/{list_id}/run", {}, produce)
    return RedirectResponse(f"/linkage/tasks/{done['task_id']}", status_code=303)


@router.post("/lists/{list_id}/prospects", response_model=None)
def prospects(
    request: Request, list_id: int, csrf_token: str = Form(""), session: Session = SESSION,
    principal: Principal = IMPORT,
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token)
    made = outcome.make_prospects(session, principal, list_id)
    return RedirectResponse(f"/linkage/lists/{list_id}?made={made['added']}", status_code=303)


@router.get("/lists/{list_id}/outcome.{fmt}", response_model=None)
def export(
    list_id: int, fmt: str, bucket: str | None = None, session: Session = SESSION, principal: Principal = IMPORT
) -> Response:
    found = outcome.list_outcome(session, principal, list_id)
    data = outcome.outcome_xlsx(found, bucket) if fmt == "xlsx" else outcome.outcome_csv(found, bucket)
    kind = "xlsx" if fmt == "xlsx" else "csv"
    audit.record(session, principal, "export", "linkage_outcome", list_id, after={"format": kind, "bucket": bucket})
    headers = {"Content-Disposition": f'attachment; filename="linkage-{list_id}-outcome.{kind}"'}
    return Response(data, media_type=MEDIA[kind], headers=headers)


@router.get("/review/{list_id}", response_class=HTMLResponse)
def queue(
    request: Request, list_id: int, page: int = Query(1, ge=1, le=100_000), session: Session = SESSION,
    principal: Principal = REVIEW,
) -> HTMLResponse:  # fmt: skip
    data = review.review_queue(session, principal, list_id, PageRequest(page, 10))
    return render(request, "linkage/review.html", {"q": data, "done": request.query_params.get("done")})


@router.post("/review/{list_id}/{decision_id}", response_model=None)
def decide(
    request: Request, list_id: int, decision_id: int, verdict: str = Form(""), csrf_token: str = Form(""),
    session: Session = SESSION, principal: Principal = REVIEW,
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token)
    review.decide(session, principal, decision_id, verdict)
    return RedirectResponse(f"/linkage/review/{list_id}?done={verdict}", status_code=303)


@router.get("/labels.csv", response_model=None)
def labels(session: Session = SESSION, principal: Principal = REVIEW) -> Response:
    return Response(review.labels_csv(session, principal), media_type=MEDIA["csv"])
