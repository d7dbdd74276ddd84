"""Partnership forms for ``outreach.manage`` on the partnerships page: record an MoU or a PKS, change its status,
upload a signed document (through ``partnerships.add_document``: PDF, PNG or JPEG judged by its bytes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.outreach.forms import REFUSALS, new_token, problem
from jangkau.outreach.models import PARTNERSHIP_STATUSES
from jangkau.outreach.partnerships import service as partnerships
from jangkau.outreach.partnerships.service import MAX_DOCUMENT_BYTES
from jangkau.outreach.schemas import PartnershipIn, PartnershipStatusIn
from jangkau.web.forms import date_field, rupiah_field, submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/outreach/partnerships", include_in_schema=False)
SESSION = Depends(get_session)
MANAGE = Depends(require(Permission.OUTREACH_MANAGE))
PARTNER_KINDS = ("opd", "polres", "kodim", "kecamatan", "desa", "company", "union", "other")


def page_context(session: Session, principal: Principal, **extra: Any) -> dict[str, Any]:
    """The partnerships page: per partner its agreements; the forms when the caller may manage them."""
    rows = partnerships.partnership_overview(session, principal)
    mous = [a for p in rows for a in p["agreements"] if a["kind"] == "mou"]
    return {
        "partners": rows,
        "may_manage": principal.can(Permission.OUTREACH_MANAGE),
        "mous": mous,
        "statuses": PARTNERSHIP_STATUSES,
        "partner_kinds": PARTNER_KINDS,
        "form_token": new_token(),
        "values": {"kind": "mou", "status": "draft"},
        "error": None,
        **extra,
    }


def _amount(text: str) -> str | None:
    """``1.500.000.000`` as typed in Indonesia -> ``1500000000`` (pydantic then checks it is a whole number)."""
    return text.replace(".", "").replace(" ", "").strip() or None


def _refused(request: Request, session: Session, principal: Principal, exc: Exception, form: str,
             values: dict[str, Any] | None = None) -> HTMLResponse:  # fmt: skip
    context = page_context(session, principal, error=problem(exc, form), **({"values": values} if values else {}))
    return render(request, "outreach/partnerships.html", context, status_code=422)


@router.post("", response_model=None)
def create(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    kind: str = Form("mou"),
    parent_id: str = Form(""),
    partner: str = Form(""),
    partner_kind: str = Form(""),
    region_code: str = Form(""),
    number: str = Form(""),
    title: str = Form(""),
    status: str = Form("draft"),
    signed_on: str = Form(""),
    valid_from: str = Form(""),
    valid_to: str = Form(""),
    budget: str = Form(""),
    target_workers: str = Form(""),
    data_sharing: str = Form(""),
    commitments: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    check_csrf(request, csrf_token)
    values = {"kind": kind, "parent_id": parent_id, "partner": partner, "partner_kind": partner_kind,
              "region_code": region_code, "number": number, "title": title, "status": status, "signed_on": signed_on,
              "valid_from": valid_from, "valid_to": valid_to, "budget": budget, "target_workers": target_workers,
              "data_sharing": data_sharing, "commitments": commitments}  # fmt: skip

    def produce() -> str:
        data = PartnershipIn.model_validate(
            {**{k: v or None for k, v in values.items()}, "kind": kind, "status": status or "draft",
             "budget": rupiah_field(budget, "budget"), "target_workers": _amount(target_workers),
             "signed_on": date_field(signed_on, "signed_on"), "valid_from": date_field(valid_from, "valid_from"),
             "valid_to": date_field(valid_to, "valid_to")}
        )  # fmt: skip
        created = partnerships.create_partnership(session, data, principal)
        return f"/outreach/partnerships?saved={created.id}#agreement-{created.id}"

    def refused(exc: Exception) -> Response:
        return _refused(request, session, principal, exc, "create", values)

    return submit_form(session, principal, form_token, "/outreach/partnerships", produce, refused, REFUSALS)


@router.post("/{partnership_id}/status", response_model=None)
def change_status(
    request: Request,
    partnership_id: int,
    csrf_token: str = Form(""),
    status: str = Form(""),
    signed_on: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Move an agreement on (setting the same status twice changes nothing); outside the territory is 404."""
    check_csrf(request, csrf_token)

    def produce() -> str:
        data = PartnershipStatusIn.model_validate({"status": status, "signed_on": date_field(signed_on, "signed_on")})
        partnerships.set_status(session, partnership_id, data, principal)
        return f"/outreach/partnerships?saved={partnership_id}#agreement-{partnership_id}"

    def refused(exc: Exception) -> Response:
        return _refused(request, session, principal, exc, f"status-{partnership_id}")

    # no form token: setting the same status twice changes nothing, so only all or nothing
    action = f"/outreach/partnerships/{partnership_id}/status"
    return submit_form(session, principal, "", action, produce, refused, REFUSALS)


@router.post("/{partnership_id}/documents", response_model=None)
def upload(
    request: Request,
    partnership_id: int,
    file: UploadFile = File(...),
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Upload a signed document (the path ends in ``/documents``, so the larger upload limit applies)."""
    check_csrf(request, csrf_token)
    content = file.file.read(MAX_DOCUMENT_BYTES + 1)

    def produce() -> str:
        partnerships.add_document(
            session, partnership_id, file.filename or "", file.content_type or "", content, principal
        )
        return f"/outreach/partnerships?uploaded={partnership_id}#agreement-{partnership_id}"

    def refused(exc: Exception) -> Response:
        return _refused(request, session, principal, exc, f"upload-{partnership_id}")

    action = f"/outreach/partnerships/{partnership_id}/documents"
    return submit_form(session, principal, form_token, action, produce, refused, REFUSALS)
