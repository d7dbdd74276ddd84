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
from jangkau.linkage import imports, outcome, preview, review
from jangkau.linkage.endpoints import MEDIA, queue_upload
from jangkau.linkage.errors import EmptyFile, MappingIncomplete, NeedsSignedInUser
from jangkau.linkage.tasks import import_upload, link_run
from jangkau.regions.service import region_names
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
    context = {"lists": review.lists(session, principal), "error": None, "form_token": new_token(), "source": "",
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
        return _index_again(request, session, principal, exc, source)
    return RedirectResponse(f"/linkage/tasks/{done['task_id']}", status_code=303)


def _index_again(
    request: Request, session: Session, principal: Principal, exc: JangkauError, source: str, mapping: str = ""
) -> Response:
    """The lists page again with the refusal next to its field (the file's, unless it names another) and the source
    as typed."""
    named = {f.field for f in getattr(exc, "fields", [])}
    error_field = next((f for f in ("source", "mapping") if f in named), "file")
    context = {"lists": review.lists(session, principal), "error": exc, "error_field": error_field, "source": source,
               "mapping": mapping, "form_token": new_token(), "uploads": _my_imports(session, principal)}  # fmt: skip
    return render(request, "linkage/index.html", context, status_code=exc.http_status)


@router.post("/preview", response_model=None)
def upload_for_preview(
    request: Request,
    file: UploadFile | None = File(None),
    source: str = Form(""),
    mapping: str = Form(""),
    csrf_token: str = Form(""),
    once: str = Form("", max_length=100),
    session: Session = SESSION,
    principal: Principal = IMPORT,
) -> Response:
    """Keep the file (nothing imported) and show its preview: the columns proposed and the first rows as read.

    A file that is empty, not a list (a PDF, an old .xls, binary) or unreadable shows the lists page again with the
    reason next to the file field; nothing is kept.
    """
    check_csrf(request, csrf_token)
    content = file.file.read() if file is not None else b""
    name = upload_file_name(file.filename if file is not None else None, "list.csv")
    body = {"file": name, "sha256": hashlib.sha256(content).hexdigest(), "source": source, "mapping": mapping}

    def produce() -> tuple[int, dict[str, Any]]:
        chosen = imports.parse_mapping(mapping)  # the JSON mapping, if given, is the preview's first choice
        if not content:
            raise EmptyFile
        preview.sample_content(name, content, chosen)  # refuses what is not a list before anything is kept
        upload = imports.store_upload(session, principal, name, content, source, mapping, link=True)
        return 200, {"upload_id": upload.id}

    try:
        done = _once(request, session, principal, once, "/linkage/preview", body, produce)
    except JangkauError as exc:
        return _index_again(request, session, principal, exc, source, mapping)
    return RedirectResponse(f"/linkage/uploads/{done['upload_id']}", status_code=303)


@router.get("/uploads/{upload_id}", response_class=HTMLResponse)
def upload_preview(
    request: Request, upload_id: int, session: Session = SESSION, principal: Principal = IMPORT
) -> HTMLResponse:
    """The proposed mapping (a choice per column) and the first rows parsed; the officer confirms or corrects."""
    return _preview_page(request, session, principal, upload_id, None)


def _preview_page(
    request: Request, session: Session, principal: Principal, upload_id: int, chosen: dict[str, str] | None,
    status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    try:
        shown = preview.preview(session, principal, upload_id, chosen)
    except InvalidInput as exc:
        shown = {"upload": preview.pending_upload(session, principal, upload_id), "unreadable": exc}
        status_code = exc.http_status
    context = {"p": shown, "targets": preview.TARGETS, "form_token": new_token(), "refused": status_code == 422}
    return render(request, "linkage/preview.html", context, status_code=status_code)


def _chosen(form: Any) -> dict[str, str]:
    """Source header -> our column, as chosen on the preview (at most 200 columns; a bad count reads none)."""
    count = str(form.get("columns", "0"))
    chosen: dict[str, str] = {}
    for i in range(min(int(count), 200) if count.isdigit() else 0):
        header, target = str(form.get(f"header_{i}", "")), str(form.get(f"column_{i}", ""))
        if header:
            chosen[header] = target if target in preview.TARGETS else ""
    return chosen


@router.post("/uploads/{upload_id}/confirm", response_model=None)
async def confirm_upload(
    request: Request, upload_id: int, session: Session = SESSION, principal: Principal = IMPORT
) -> Response:
    """Import with the mapping chosen on the preview (queued; the task's page follows it)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    chosen = _chosen(form)
    once = str(form.get("once", ""))[:100]
    action = f"/linkage/uploads/{upload_id}/confirm"

    def produce() -> tuple[int, dict[str, Any]]:
        upload = preview.confirm(session, principal, upload_id, chosen)
        task_id = enqueue_in(session, import_upload, started_by(principal), upload_id=upload.id,
                             user_id=upload.user_id)  # fmt: skip
        return 202, {"task_id": task_id}

    try:
        preview.check_choice(chosen)  # before the once-only record: a refusal changes nothing
    except MappingIncomplete:
        return _preview_page(request, session, principal, upload_id, chosen, status_code=422)
    done = _once(request, session, principal, once, action, {"chosen": chosen}, produce)
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
    codes = {r.get("village_code") or "" for rows in found["rows"].values() for r in rows}
    context = {
        "d": review.list_detail(session, principal, list_id), "outcome": found,
        "village_names": region_names(session, codes),
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
    codes = {p[side]["village_code"] or "" for p in data["items"] for side in ("row", "person")}
    context = {"q": data, "done": request.query_params.get("done"), "village_names": region_names(session, codes)}
    return render(request, "linkage/review.html", context)


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


@router.post("/uploads/{upload_id}/check", response_class=HTMLResponse)
async def check_upload(
    request: Request, upload_id: int, session: Session = SESSION, principal: Principal = IMPORT
) -> HTMLResponse:
    """The preview again with the columns as chosen (nothing saved)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    chosen = _chosen(form)
    return _preview_page(request, session, principal, upload_id, chosen)
