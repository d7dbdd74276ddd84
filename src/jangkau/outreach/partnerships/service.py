"""Partnerships: the MoU with each office or partner, the cooperation agreements (PKS) under it, and documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.config import get_settings
from jangkau.errors import FieldError, InvalidInput
from jangkau.kit.documents import check_document, extension_for
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach.models import Partnership, PartnershipDocument
from jangkau.outreach.schemas import PartnershipIn, PartnershipStatusIn
from jangkau.regions.service import require_region

MAX_DOCUMENT_BYTES = 10_000_000


def create_partnership(session: Session, data: PartnershipIn, by: Principal) -> Partnership:
    """Record an MoU, or a PKS under an MoU.

    Raises:
        InvalidInput: unknown region or outside the caller's territory; a PKS without its MoU; a signed agreement
            without a signing date; a validity that ends before it starts.
    """
    errors: list[FieldError] = []
    region = ""
    try:
        region = require_region(session, data.region_code, "region_code")
        if not by.sees(region):
            errors.append(refusals.outside_territory("region_code", region))
    except InvalidInput as exc:
        errors.extend(exc.fields)
    if data.kind == "pks":
        parent = repo.partnership_in_scope(session, data.parent_id, by.scope) if data.parent_id else None
        if parent is None or parent.kind != "mou":
            errors.append(refusals.pks_parent_field())
    elif data.parent_id is not None:
        errors.append(refusals.mou_parent_field())
    errors += _status_errors(data.status, data.signed_on)
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        errors.append(refusals.validity_field())
    if errors:
        raise refusals.PartnershipInvalid(errors)
    partnership = repo.add(session, Partnership(**data.model_dump(exclude={"region_code"}), region_code=region))
    audit.record(session, by, "create", "outreach_partnership", partnership.id, region_code=region,
                 after=data.model_dump(mode="json"))  # fmt: skip
    return partnership


def _status_errors(status: str, signed_on: dt.date | None) -> list[FieldError]:
    if status in ("signed", "expired") and signed_on is None:
        return [refusals.signing_date_field()]
    return []


def set_status(session: Session, partnership_id: int, data: PartnershipStatusIn, by: Principal) -> Partnership:
    """Move an agreement to draft, under review, signed or expired.

    Raises:
        NotFound: no such agreement in the caller's territory.
        InvalidInput: signed without a date.
    """
    partnership = repo.partnership_in_scope(session, partnership_id, by.scope)
    if partnership is None:
        raise refusals.PartnershipNotFound(partnership_id)
    signed_on = data.signed_on or partnership.signed_on
    errors = _status_errors(data.status, signed_on)
    if errors:
        raise refusals.SigningDateMissing()
    before = {"status": partnership.status}
    partnership.status, partnership.signed_on = data.status, signed_on
    audit.record(session, by, "status", "outreach_partnership", partnership.id, before=before,
                 after=data.model_dump(mode="json"))  # fmt: skip
    return partnership


def documents_dir() -> Path:
    return get_settings().var_dir / "outreach" / "documents"


def add_document(
    session: Session, partnership_id: int, file_name: str, content_type: str, content: bytes, by: Principal
) -> PartnershipDocument:
    """Store an uploaded document (PDF, PNG or JPEG, at most 10 MB) under ``var/outreach/documents``.

    Raises:
        NotFound: no such agreement in the caller's territory.
        InvalidInput: an empty or too large file, a type not accepted, or content that is not what it claims.
    """
    partnership = repo.partnership_in_scope(session, partnership_id, by.scope)
    if partnership is None:
        raise refusals.PartnershipNotFound(partnership_id)
    checked_type = check_document(content, content_type, MAX_DOCUMENT_BYTES)
    digest = hashlib.sha256(content).hexdigest()
    stored_as = digest + extension_for(checked_type)
    folder = documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stored_as
    if not target.exists():
        target.write_bytes(content)
    safe_name = Path(file_name or "dokumen").name[:200]
    document = repo.add(
        session,
        PartnershipDocument(
            partnership_id=partnership.id, file_name=safe_name, content_type=checked_type,
            size=len(content), sha256=digest, stored_as=stored_as, uploaded_by=by.username,
        ),
    )  # fmt: skip
    audit.record(session, by, "upload", "outreach_partnership", partnership.id,
                 after={"document_id": document.id, "file_name": safe_name, "sha256": digest})  # fmt: skip
    return document


def read_document(session: Session, document_id: int, by: Principal) -> tuple[PartnershipDocument, bytes]:
    """A stored document and its bytes, if its agreement is in the caller's territory.

    Raises:
        NotFound: no such document (or outside the territory, or the file is missing).
    """
    document = repo.document(session, document_id)
    partnership = repo.partnership_in_scope(session, document.partnership_id, by.scope) if document else None
    path = documents_dir() / document.stored_as if document else None
    if document is None or partnership is None or path is None or not path.exists():
        raise refusals.DocumentNotFound(document_id)
    return document, path.read_bytes()


def partnership_overview(session: Session, by: Principal) -> list[dict[str, Any]]:
    """Per partner: its MoU and PKS with status, dates, commitments and documents (which offices have signed)."""
    rows = repo.partnerships_in(session, by.scope)
    documents = repo.documents_of(session, [p.id for p in rows])
    partners: dict[str, dict[str, Any]] = {}
    for p in rows:
        entry = partners.setdefault(
            p.partner, {"partner": p.partner, "partner_kind": p.partner_kind, "signed": False, "agreements": []}
        )
        entry["signed"] = entry["signed"] or p.status == "signed"
        entry["agreements"].append(
            {
                **{k: getattr(p, k) for k in ("id", "kind", "parent_id", "number", "title", "status", "signed_on")},
                **{k: getattr(p, k) for k in ("valid_from", "valid_to", "budget", "target_workers", "data_sharing")},
                "commitments": p.commitments,
                "region_code": p.region_code,
                "documents": [
                    {"id": d.id, "file_name": d.file_name, "size": d.size, "content_type": d.content_type}
                    for d in documents.get(p.id, [])
                ],
            }
        )
    for entry in partners.values():
        signed = [a for a in entry["agreements"] if a["status"] == "signed"]
        entry["committed_budget"] = sum(a["budget"] or 0 for a in signed)
        entry["committed_workers"] = sum(a["target_workers"] or 0 for a in signed)
    return sorted(partners.values(), key=lambda e: (not e["signed"], e["partner"]))
