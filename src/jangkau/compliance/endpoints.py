"""JSON API of the compliance domain (mounted at ``/api/v1``): ``router``.

Reads need ``compliance.read``, writes ``compliance.write``. Employers, findings and cases outside the caller's
territory answer 404, like ones that do not exist.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.compliance import cases, imports, letters, service
from jangkau.compliance import repository as repo
from jangkau.compliance.errors import (
    CaseNotFound,
    CaseOpen,
    DocumentNotFound,
    EmployerNotFound,
    EvidenceNotFound,
    EvidenceNotInReview,
    FindingsUnusable,
    ImportHeaderInvalid,
    KindInvalid,
    NoLetter,
    PeriodInvalid,
    StepDateInvalid,
    StepFieldMissing,
    StepOutOfOrder,
    StepTooEarly,
)
from jangkau.compliance.schemas import (
    CaseIn,
    CaseRead,
    ComplianceImportRead,
    ComplianceSummaryRead,
    DocumentKeptRead,
    EmployerComplianceRead,
    EvidenceLinkRead,
    EvidenceReviewRead,
    FindingIn,
    FindingRead,
    LinkIn,
    RiskPageRead,
    StepIn,
)
from jangkau.kit.documents import DOCUMENT_RESPONSES, media_type_of, upload_file_name
from jangkau.kit.pagination import PageRequest
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(prefix="/compliance", tags=["compliance"])
READ = Depends(require(Permission.COMPLIANCE_READ))
WRITE = Depends(require(Permission.COMPLIANCE_WRITE))
SESSION = Depends(get_session)


def _case_json(case: dict[str, Any]) -> dict[str, Any]:
    """A case as its ``CaseRead`` JSON (what an idempotent retry answers again)."""
    return CaseRead.model_validate(case).model_dump(mode="json")


@router.get("/employers", response_model=RiskPageRead, responses=error_responses(403))
def risk_list(
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=500),
    region: str | None = Query(None, max_length=20),
    principal: Principal = READ,
    session: Session = SESSION,
) -> RiskPageRead:
    """Employers in the caller's territory by risk of non-compliance, highest first."""
    return RiskPageRead.model_validate(service.risk_list(session, principal.scope, PageRequest(page, size), region))


@router.get(
    "/employers/{employer_id}", response_model=EmployerComplianceRead, responses=error_responses(EmployerNotFound, 403)
)
def employer(employer_id: int, principal: Principal = READ, session: Session = SESSION) -> EmployerComplianceRead:
    """Score and why, open findings, reported months, evidence and cases of one employer."""
    return EmployerComplianceRead.model_validate(service.employer_detail(session, employer_id, principal.scope))


@router.post("/findings", status_code=201, response_model=FindingRead, responses=error_responses(EmployerNotFound, 403))
def record_finding(data: FindingIn, principal: Principal = WRITE, session: Session = SESSION) -> FindingRead:
    """Record a finding by hand (the same employer, kind, month and subject updates it)."""
    return FindingRead.model_validate(service.record_finding(session, data, principal, origin="manual"))


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseRead,
    responses=error_responses(EmployerNotFound, CaseOpen, FindingsUnusable, 403),
)
def open_case(data: CaseIn, request: Request, principal: Principal = WRITE, session: Session = SESSION) -> Any:
    """Open a case on an employer's open findings (``Idempotency-Key`` honoured)."""
    fingerprint = request_fingerprint("POST", request.url.path, data.model_dump(mode="json"))
    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        request.headers.get("idempotency-key"),
        fingerprint,
        lambda: (201, _case_json(cases.open_case(session, data, principal))),
    )


@router.get("/cases/{case_id}", response_model=CaseRead, responses=error_responses(CaseNotFound, 403))
def case(case_id: int, principal: Principal = READ, session: Session = SESSION) -> CaseRead:
    """A case with its employer, findings, steps, documents and the steps that may come next."""
    return CaseRead.model_validate(cases.case_view(session, case_id, principal.scope))


@router.post(
    "/cases/{case_id}/steps",
    status_code=201,
    response_model=CaseRead,
    responses=error_responses(CaseNotFound, StepOutOfOrder, StepTooEarly, StepDateInvalid, StepFieldMissing, 403),
)
def add_step(
    case_id: int, data: StepIn, request: Request, principal: Principal = WRITE, session: Session = SESSION
) -> Any:
    """Record the next step; an impossible one (a fine before any warning) is 422 with the reason."""
    fingerprint = request_fingerprint("POST", request.url.path, data.model_dump(mode="json"))
    return run_idempotent(
        session,
        request.app.state.session_factory,
        principal,
        request.headers.get("idempotency-key"),
        fingerprint,
        lambda: (201, _case_json(cases.add_step(session, case_id, data, principal))),
    )


@router.post(
    "/cases/{case_id}/letters",
    status_code=201,
    response_model=DocumentKeptRead,
    responses=error_responses(CaseNotFound, NoLetter, 403),
)
def letter(
    case_id: int, kind: str | None = None, principal: Principal = WRITE, session: Session = SESSION
) -> DocumentKeptRead:
    """Generate the letter for the case's step (PDF, kept with the case with its hash)."""
    return DocumentKeptRead.model_validate(letters.generate_letter(session, case_id, principal, kind))


@router.post(
    "/cases/{case_id}/documents",
    status_code=201,
    response_model=DocumentKeptRead,
    responses=error_responses(CaseNotFound, KindInvalid, 403, 413),
)
def upload_document(
    case_id: int,
    file: UploadFile = File(...),
    kind: str = Form(...),
    principal: Principal = WRITE,
    session: Session = SESSION,
) -> DocumentKeptRead:
    """Keep a document that came back (reply, proof of payment, visit report): PDF, PNG or JPEG up to 10 MB."""
    content = file.file.read(letters.MAX_UPLOAD_BYTES + 1)
    name = file.filename or ""
    kept = letters.upload_document(session, case_id, principal, kind, name, content, file.content_type)
    return DocumentKeptRead.model_validate(kept)


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    response_model=None,
    response_class=Response,
    responses={**DOCUMENT_RESPONSES, **error_responses(CaseNotFound, DocumentNotFound, 403)},
)
def document(case_id: int, document_id: int, principal: Principal = READ, session: Session = SESSION) -> FileResponse:
    cases.case_or_404(session, case_id, principal.scope)
    found = repo.document(session, case_id, document_id)
    if found is None or not Path(found.path).exists():
        raise DocumentNotFound(document_id)
    return FileResponse(found.path, filename=found.file_name, media_type=media_type_of(found.file_name))


@router.post(
    "/imports/reports",
    status_code=201,
    response_model=ComplianceImportRead,
    responses=error_responses(ImportHeaderInvalid, 403),
)
def import_reports(
    file: UploadFile = File(...), principal: Principal = WRITE, session: Session = SESSION
) -> ComplianceImportRead:
    """Import the branch's reporting file; answers with every rejected row and its reason."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / upload_file_name(file.filename, "reports.csv")
        path.write_bytes(file.file.read())
        return ComplianceImportRead.of(imports.import_reports(session, path, principal.username))


@router.post(
    "/imports/evidence",
    status_code=201,
    response_model=ComplianceImportRead,
    responses=error_responses(KindInvalid, ImportHeaderInvalid, 403),
)
def import_evidence(
    file: UploadFile = File(...), kind: str = Form(...), principal: Principal = WRITE, session: Session = SESSION
) -> ComplianceImportRead:
    """Import an outside register; answers with rows sent to review, rows about no known employer, rejected rows."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / upload_file_name(file.filename, "evidence.csv")
        path.write_bytes(file.file.read())
        return ComplianceImportRead.of(imports.import_evidence(session, path, kind, principal.username))


@router.get(
    "/evidence/review", dependencies=[READ], response_model=list[EvidenceReviewRead], responses=error_responses(403)
)
def review(session: Session = SESSION) -> list[EvidenceReviewRead]:
    """Evidence whose link to an employer is ambiguous, with the candidates and their scores."""
    return [EvidenceReviewRead.model_validate(row) for row in service.review_list(session)]


@router.post(
    "/evidence/{evidence_id}/link",
    response_model=EvidenceLinkRead,
    responses=error_responses(EvidenceNotFound, EvidenceNotInReview, EmployerNotFound, 403),
)
def link(evidence_id: int, data: LinkIn, principal: Principal = WRITE, session: Session = SESSION) -> EvidenceLinkRead:
    """Link evidence waiting for review to an employer, or to none."""
    return EvidenceLinkRead.model_validate(service.link_evidence(session, evidence_id, data, principal))


@router.get("/summary", response_model=ComplianceSummaryRead, responses=error_responses(PeriodInvalid, 403))
def summary(
    first: dt.date = Query(..., alias="from"),
    last: dt.date = Query(..., alias="to"),
    principal: Principal = READ,
    session: Session = SESSION,
) -> ComplianceSummaryRead:
    """Cases opened, resolved and closed, contribution recovered, open findings: for the caller's territory."""
    return ComplianceSummaryRead.model_validate(service.city_summary(session, principal.scope, first, last))
