"""Letters to employers (Bahasa Indonesia), rendered to PDF with WeasyPrint and kept with the case.

A summons (surat panggilan) at the assessment step, the first and second written warnings (teguran tertulis I,
II) and the fine notice, each listing the employer's findings and the deadline. The PDF is stored under
``<var_dir>/compliance/case-<id>/`` and recorded with its SHA-256 so that what was sent can be proven later.
What comes back (the employer's reply, a proof of payment, the report of a joint visit) is uploaded and kept the
same way (`upload_document`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.principal import Principal
from jangkau.compliance import repository as repo
from jangkau.compliance.cases import case_or_404, case_view
from jangkau.compliance.errors import KindInvalid, NoLetter
from jangkau.compliance.models import CaseDocument
from jangkau.config import get_settings
from jangkau.kit import workdays
from jangkau.kit.documents import check_document, extension_for
from jangkau.kit.money import format_rupiah

LETTER_FOR_STATUS = {"assessment": "summons", "warning_1": "warning_1", "warning_2": "warning_2", "fine": "fine"}
TITLES = {
    "summons": "Surat Panggilan Klarifikasi Kepatuhan",
    "warning_1": "Teguran Tertulis Pertama",
    "warning_2": "Teguran Tertulis Kedua",
    "fine": "Pemberitahuan Sanksi Denda",
}
MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
FINDING_NAMES_ID = {"pds_tk": "PDS Tenaga Kerja", "pds_upah": "PDS Upah", "pds_program": "PDS Program"}
# what an officer may upload to a case, with its name on the page
UPLOAD_KINDS = {
    "reply": "Surat balasan pemberi kerja",
    "payment_proof": "Bukti pembayaran iuran",
    "visit_report": "Berita acara pemeriksaan / kunjungan",
    "other": "Dokumen lain",
}
MAX_UPLOAD_BYTES = 10_000_000


def tanggal(day: dt.date | str | None) -> str:
    """``2026-03-05`` -> ``5 Maret 2026``."""
    if day is None:
        return "-"
    value = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


def documents_dir() -> Path:
    """Where case documents are stored (``<var_dir>/compliance``)."""
    return get_settings().var_dir / "compliance"


def render_pdf(case: dict[str, Any], kind: str, today: dt.date) -> bytes:
    """The letter as PDF bytes (template ``compliance/letter.html``)."""
    from weasyprint import HTML

    from jangkau.web.kit import templates

    deadline = case["deadline"] or workdays.add_working_days(today, 10).isoformat()
    html = templates.get_template("compliance/letter.html").render(
        case=case,
        kind=kind,
        title=TITLES[kind],
        today=tanggal(today),
        deadline=tanggal(deadline),
        rp=format_rupiah,
        tanggal=tanggal,
        finding_names=FINDING_NAMES_ID,
        number=f"{case['id']:05d}/{kind.upper()}/{today.year}",
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def store_document(
    session: Session, case_id: int, step_id: int | None, kind: str, file_name: str, content: bytes, actor: str
) -> CaseDocument:
    """Write a document next to the case's others and record it with its hash and size.

    The same content of the same kind is kept once: a retried upload or a letter made twice on one day returns
    the document already on file.
    """
    digest = hashlib.sha256(content).hexdigest()
    for kept in repo.documents(session, case_id):
        if kept.sha256 == digest and kept.kind == kind:
            return kept
    folder = documents_dir() / f"case-{case_id}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest[:12]}-{Path(file_name).name}"
    target.write_bytes(content)
    document: CaseDocument = repo.add(
        session,
        CaseDocument(
            case_id=case_id,
            step_id=step_id,
            kind=kind,
            file_name=Path(file_name).name,
            path=str(target),
            sha256=digest,
            size=len(content),
            created_by=actor,
        ),
    )
    return document


def generate_letter(
    session: Session, case_id: int, principal: Principal, kind: str | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """Generate the letter for the case's current step (or ``kind``) and keep it with the case.

    Returns:
        The stored document: id, file name, path, SHA-256, size.

    Raises:
        NotFound: no such case in the caller's territory.
        InvalidInput: no letter fits the case's step (a closed case), or an unknown letter kind.
    """
    today = today or dt.date.today()
    case = case_view(session, case_id, principal.scope)
    chosen = kind or LETTER_FOR_STATUS.get(case["status"])
    if chosen not in TITLES:
        raise NoLetter(case["status"], case["status_id"], ", ".join(TITLES))
    pdf = render_pdf(case, chosen, today)
    step_id = case["steps"][-1]["id"] if case["steps"] else None
    document = store_document(
        session, case_id, step_id, f"letter_{chosen}", f"{chosen}-case{case_id}-{today}.pdf", pdf, principal.username
    )
    audit.record(
        session, principal, "create", "compliance_document", document.id, after={"case_id": case_id, "kind": chosen}
    )
    return {
        "id": document.id,
        "case_id": case_id,
        "kind": document.kind,
        "file_name": document.file_name,
        "path": document.path,
        "sha256": document.sha256,
        "size": document.size,
    }


def upload_document(
    session: Session,
    case_id: int,
    principal: Principal,
    kind: str,
    file_name: str,
    content: bytes,
    content_type: str | None,
) -> dict[str, Any]:
    """Keep a document that came back during a case (PDF, PNG or JPEG, at most 10 MB) with its hash (audited).

    Raises:
        NotFound: no such case in the caller's territory.
        InvalidInput: an unknown kind; an empty, too large or unaccepted file (see ``kit.documents``).
    """
    case_or_404(session, case_id, principal.scope)
    if kind not in UPLOAD_KINDS:
        raise KindInvalid(KindInvalid.UPLOAD, kinds=", ".join(UPLOAD_KINDS))
    content_type = check_document(content, content_type, MAX_UPLOAD_BYTES)
    stem = Path(file_name or kind).stem[-150:] or kind
    steps = repo.steps(session, case_id)
    document = store_document(
        session,
        case_id,
        steps[-1].id if steps else None,
        kind,
        stem + extension_for(content_type),
        content,
        principal.username,
    )
    audit.record(
        session, principal, "upload", "compliance_document", document.id, after={"case_id": case_id, "kind": kind}
    )
    return {
        "id": document.id,
        "case_id": case_id,
        "kind": document.kind,
        "file_name": document.file_name,
        "sha256": document.sha256,
        "size": document.size,
    }
