"""Linkage JSON API: import a list, run it against the register, decisions, review, outcome, prospects, labels."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth import audit
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.kit.documents import upload_file_name
from jangkau.kit.pagination import PageRequest
from jangkau.linkage import imports, outcome, review, runs
from jangkau.linkage import tasks as linkage_tasks
from jangkau.linkage.errors import (
    BadVerdict,
    EmptyFile,
    ExportFormat,
    ListNotFound,
    MappingNotJson,
    NeedsSignedInUser,
    NoCandidate,
    PairNotFound,
    RunFailed,
    SourceNameInvalid,
)
from jangkau.linkage.schemas import (
    ListDetailRead,
    ListsRead,
    OutcomeRead,
    ProspectsRead,
    ReviewQueueRead,
    RunSummaryRead,
    TaskAcceptedRead,
    VerdictIn,
    VerdictRead,
)
from jangkau.tasks.record import enqueue_in, started_by
from jangkau.web.idempotency import KeyReused, request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(prefix="/linkage", tags=["linkage"])
SESSION = Depends(get_session)
IMPORT = Depends(require(Permission.LINKAGE_IMPORT))
REVIEW = Depends(require(Permission.LINKAGE_REVIEW))
IDEMPOTENCY = Header(None, alias="Idempotency-Key", description="Retries with the same key return the first result")
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.post(
    "/import",
    status_code=202,
    response_model=TaskAcceptedRead,
    responses=error_responses(SourceNameInvalid, MappingNotJson, EmptyFile, NeedsSignedInUser, KeyReused),
)
def import_list(
    request: Request,
    file: UploadFile = File(...),
    source: str = Form(..., min_length=1, max_length=120),
    mapping: str = Form("", max_length=10_000),
    link: bool = Form(False, description="Also link the list to the register once it is imported"),
    session: Session = SESSION,
    principal: Principal = IMPORT,
    key: str | None = IDEMPOTENCY,
) -> JSONResponse:
    """Queue the import of a CSV, XLSX or Parquet list as the next version of ``source`` (202 at once).

    The file is stored, then a worker reads, checks and stores its rows (task ``linkage.import``), and links the
    list when ``link`` is true. Follow ``task`` (``GET /api/v1/tasks/{id}``): when done, its ``result`` has the
    ``list_id``; a file that cannot be used fails the task with the reason (every rejected row is reported on the
    list). A retry with the same ``Idempotency-Key`` returns the first answer and queues nothing more.
    """
    content = file.file.read()
    name = upload_file_name(file.filename, "list.csv")
    body = {"file": name, "sha256": hashlib.sha256(content).hexdigest(), "source": source, "mapping": mapping,
            "link": link}  # fmt: skip

    def produce() -> tuple[int, dict[str, Any]]:
        return 202, queue_upload(session, principal, name, content, source, mapping, link=link)

    fingerprint = request_fingerprint("POST", "/linkage/import", body)
    return run_idempotent(session, request.app.state.session_factory, principal, key, fingerprint, produce)


def queue_upload(
    session: Session, principal: Principal, name: str, content: bytes, source: str, mapping: str, *, link: bool
) -> dict[str, Any]:
    """Store the file and queue its import (task ``linkage.import``, in the caller's scope)."""
    upload = imports.store_upload(session, principal, name, content, source, mapping, link=link)
    task_id = enqueue_in(session, linkage_tasks.import_upload, started_by(principal), upload_id=upload.id,
                         user_id=upload.user_id)  # fmt: skip
    return {"task_id": task_id, "task": f"/api/v1/tasks/{task_id}", "upload_id": upload.id}


@router.get("/lists", response_model=ListsRead)
def lists(session: Session = SESSION, principal: Principal = IMPORT) -> ListsRead:
    """The lists in the caller's area, newest first."""
    return ListsRead.model_validate({"items": review.lists(session, principal)})


@router.get("/lists/{list_id}", response_model=ListDetailRead, responses=error_responses(ListNotFound))
def list_detail(list_id: int, session: Session = SESSION, principal: Principal = IMPORT) -> ListDetailRead:
    """Summary, last run, decision counts, rejected rows with reasons, warnings."""
    return ListDetailRead.model_validate(review.list_detail(session, principal, list_id))


@router.post(
    "/lists/{list_id}/run",
    response_model=RunSummaryRead,
    responses={
        202: {"model": TaskAcceptedRead, "description": "With background=true: the run is queued"},
        **error_responses(ListNotFound, NeedsSignedInUser, RunFailed, KeyReused),
    },
)
def run(
    request: Request, list_id: int, session: Session = SESSION, principal: Principal = IMPORT,
    key: str | None = IDEMPOTENCY,
    background: bool = Query(False, description="Queue the run for a worker and answer 202 at once"),
) -> JSONResponse:  # fmt: skip
    """Link the list to the persons in the caller's scope; one decision per row is stored.

    With ``background=true`` the run is queued (task ``linkage.run``) and the answer is 202 with the task's id;
    ``GET /linkage/lists/{list_id}`` shows the run's state and phase while it runs.

    The answer carries the run's state (``run``).  A run that fails answers 500 with code
    ``linkage_run_failed``: its decisions are not kept (the list keeps its previous ones) and the failed run is
    recorded with its reason.  A retry with the same ``Idempotency-Key`` returns the first answer without
    running again; rerun with a new key.
    """

    if background:
        return _queue_run(session, principal, list_id)

    def produce() -> tuple[int, dict[str, Any]]:
        summary = runs.run_list(session, principal, list_id)
        if summary["run"]["state"] == "failed":
            return 500, {"error": runs.run_failed(summary["run"]).as_dict(), **summary}
        return 200, summary

    fingerprint = request_fingerprint("POST", f"/linkage/lists/{list_id}/run", {})
    return run_idempotent(session, request.app.state.session_factory, principal, key, fingerprint, produce)


def _queue_run(session: Session, principal: Principal, list_id: int) -> JSONResponse:
    review.list_detail(session, principal, list_id)  # 404 unless the list is in the caller's area
    if principal.user_id is None:
        raise NeedsSignedInUser(run=True)
    task_id = enqueue_in(session, linkage_tasks.link_run, started_by(principal), list_id=list_id,
                         user_id=principal.user_id)  # fmt: skip
    answer = {"task_id": task_id, "task": f"/api/v1/tasks/{task_id}", "list": f"/api/v1/linkage/lists/{list_id}"}
    return JSONResponse(answer, status_code=202)


@router.get("/lists/{list_id}/review", response_model=ReviewQueueRead, responses=error_responses(ListNotFound))
def review_queue(
    list_id: int,
    page: int = Query(1, ge=1, le=100_000),
    size: int = Query(20, ge=1, le=100),
    session: Session = SESSION,
    principal: Principal = REVIEW,
) -> ReviewQueueRead:
    """Pairs of one list waiting for a verdict, most likely first (NIKs masked)."""
    return ReviewQueueRead.model_validate(review.review_queue(session, principal, list_id, PageRequest(page, size)))


@router.post(
    "/decisions/{decision_id}/review",
    response_model=VerdictRead,
    responses=error_responses(PairNotFound, NoCandidate, BadVerdict),
)
def decide(decision_id: int, data: VerdictIn, session: Session = SESSION, principal: Principal = REVIEW) -> VerdictRead:
    """Accept or reject a doubtful pair (audited)."""
    return VerdictRead.model_validate(review.decide(session, principal, decision_id, data.verdict))


@router.get("/lists/{list_id}/outcome", response_model=OutcomeRead, responses=error_responses(ListNotFound))
def list_outcome(list_id: int, session: Session = SESSION, principal: Principal = IMPORT) -> OutcomeRead:
    """Who on the list is covered, pending, lapsed, not registered or in review (NIKs masked for most roles)."""
    return OutcomeRead.model_validate(outcome.list_outcome(session, principal, list_id))


@router.get(
    "/lists/{list_id}/outcome.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The outcome as CSV or XLSX",
            "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA.values()},
        },
        **error_responses(ListNotFound, ExportFormat),
    },
)
def export_outcome(
    list_id: int, fmt: str, bucket: str | None = None, session: Session = SESSION, principal: Principal = IMPORT
) -> Response:
    """The outcome's rows (every bucket, or one) as ``csv`` or ``xlsx``."""
    if fmt not in MEDIA:
        raise ExportFormat
    found = outcome.list_outcome(session, principal, list_id)
    data = outcome.outcome_xlsx(found, bucket) if fmt == "xlsx" else outcome.outcome_csv(found, bucket)
    audit.record(session, principal, "export", "linkage_outcome", list_id, after={"format": fmt, "bucket": bucket})
    headers = {"Content-Disposition": f'attachment; filename="linkage-{list_id}-outcome.{fmt}"'}
    return Response(data, media_type=MEDIA[fmt], headers=headers)


@router.post("/lists/{list_id}/prospects", response_model=ProspectsRead, responses=error_responses(ListNotFound))
def prospects(list_id: int, session: Session = SESSION, principal: Principal = IMPORT) -> ProspectsRead:
    """Hand the not-registered rows to outreach as prospects in their village."""
    return ProspectsRead.model_validate(outcome.make_prospects(session, principal, list_id))


@router.get(
    "/labels.csv",
    response_class=Response,
    responses={200: {"description": "The labels as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def labels(session: Session = SESSION, principal: Principal = REVIEW) -> Response:
    """Every review verdict as training labels (row fields, person fields, decision)."""
    return Response(review.labels_csv(session, principal), media_type=MEDIA["csv"])
