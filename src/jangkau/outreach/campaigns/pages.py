"""Campaign pages for ``outreach.manage``: the campaigns of the territory, creating one with targets, and one campaign
with target vs paid registrations per region, a form that sets one number for every village of a district and
per-row edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput
from jangkau.kit import figures
from jangkau.kit.figures import last_complete_month
from jangkau.outreach import errors as refusals
from jangkau.outreach import repository as repo
from jangkau.outreach import service
from jangkau.outreach.agents.pages import territory_districts
from jangkau.outreach.forms import REFUSALS, new_token, problem
from jangkau.outreach.schemas import CampaignIn
from jangkau.regions import repository as regions
from jangkau.web.forms import date_field, submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/outreach", include_in_schema=False)
SESSION = Depends(get_session)
MANAGE = Depends(require(Permission.OUTREACH_MANAGE))
ROW_PREFIX = "t:"  # per-row inputs are named ``t:<region code>``
MAX_CAMPAIGNS_LISTED = 30  # each row computes its progress (paid registrations per target region)


def _number(text: str, name: str) -> int:
    cleaned = text.replace(".", "").replace(",", "").strip()
    if not cleaned.isdigit():
        raise refusals.NotAWholeNumber(name)
    return int(cleaned)


def _list_context(session: Session, principal: Principal, **extra: Any) -> dict[str, Any]:
    latest = repo.campaigns_in(session, principal.scope, MAX_CAMPAIGNS_LISTED)
    campaigns = [service.campaign_progress(session, c.id, principal) for c in latest]
    today = dt.date.today()
    return {
        "campaigns": [c for c in campaigns if c["regions"]],
        "districts": territory_districts(session, principal),
        "form_token": new_token(),
        "values": {
            "starts_on": today.isoformat(),
            "ends_on": today.replace(month=12, day=31).isoformat(),
            "target": "100",
            "per_village": "1",
        },
        "error": None,
        **extra,
    }


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns(request: Request, session: Session = SESSION, principal: Principal = MANAGE) -> HTMLResponse:
    return render(request, "outreach/campaigns.html", _list_context(session, principal))


@router.post("/campaigns", response_model=None)
def create(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    name: str = Form(""),
    starts_on: str = Form(""),
    ends_on: str = Form(""),
    region_code: str = Form(""),
    target: str = Form(""),
    per_village: str = Form(""),
    vulnerable_only: str = Form(""),
    note: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Create a campaign with a target for a district (one per village with ``per_village``) or a village."""
    check_csrf(request, csrf_token)
    values = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "region_code": region_code, "target": target,
              "per_village": per_village, "vulnerable_only": vulnerable_only, "note": note}  # fmt: skip

    def produce() -> str:
        data = CampaignIn.model_validate(
            {"name": name, "starts_on": date_field(starts_on, "starts_on"), "ends_on": date_field(ends_on, "ends_on"),
             "regions": [region_code] if region_code else [],
             "target_per_region": _number(target, "target"), "per_village": bool(per_village),
             "vulnerable_only": bool(vulnerable_only), "note": note or None}
        )  # fmt: skip
        campaign = service.create_campaign(session, data, principal)
        return f"/outreach/campaigns/{campaign.id}?created=1"

    def refused(exc: Exception) -> Response:
        context = _list_context(session, principal, values=values, error=problem(exc, "create"))
        return render(request, "outreach/campaigns.html", context, status_code=422)

    return submit_form(session, principal, form_token, "/outreach/campaigns", produce, refused, REFUSALS)


def _detail_context(session: Session, campaign_id: int, principal: Principal, **extra: Any) -> dict[str, Any]:
    service.campaign_in_scope(session, campaign_id, principal)
    progress = service.campaign_progress(session, campaign_id, principal)
    first = progress["regions"][0]["region_code"] if progress["regions"] else ""
    scope = principal.scope
    names = regions.names(session, [c for c in scope if c])
    return {
        "c": progress,
        # the territory's headline figures of the last complete month: the campaign's counts are a part of them
        "figures": figures.for_regions(session, scope, last_complete_month(dt.date.today())).as_dict(),
        "territory": "Indonesia" if "" in scope else ", ".join(names.get(c, c) for c in scope),
        "districts": territory_districts(session, principal),
        "values": {"target": "100", "region_code": ".".join(first.split(".")[:3])},
        "error": None,
        **extra,
    }


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign(
    request: Request, campaign_id: int, session: Session = SESSION, principal: Principal = MANAGE
) -> HTMLResponse:
    """Target vs paid registrations per region (a campaign with no target in the territory is 404)."""
    return render(request, "outreach/campaign.html", _detail_context(session, campaign_id, principal))


@router.post("/campaigns/{campaign_id}/targets", response_model=None)
def district_targets(
    request: Request,
    campaign_id: int,
    csrf_token: str = Form(""),
    region_code: str = Form(""),
    target: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """One number for every village of a district (or for one village) in one go; setting it twice is the same."""
    check_csrf(request, csrf_token)
    service.campaign_in_scope(session, campaign_id, principal)

    def produce() -> str:
        if not region_code:
            raise refusals.ChooseRegion()
        count = service.set_targets(
            session, campaign_id, {region_code: _number(target, "target")}, principal, per_village=True
        )
        return f"/outreach/campaigns/{campaign_id}?set={count}"

    def refused(exc: Exception) -> Response:
        values = {"region_code": region_code, "target": target}
        context = _detail_context(session, campaign_id, principal, values=values, error=problem(exc, "district"))
        return render(request, "outreach/campaign.html", context, status_code=422)

    # no form token: setting the same targets again is the same, so only all or nothing
    action = f"/outreach/campaigns/{campaign_id}/targets"
    return submit_form(session, principal, "", action, produce, refused, REFUSALS)


@router.post("/campaigns/{campaign_id}/rows", response_model=None)
async def row_targets(
    request: Request, campaign_id: int, session: Session = SESSION, principal: Principal = MANAGE
) -> Response:
    """Per-row edits: every ``t:<region>`` input of the table; all are saved or none (each bad one is named)."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    service.campaign_in_scope(session, campaign_id, principal)
    typed = {key[len(ROW_PREFIX) :]: str(value) for key, value in form.items() if key.startswith(ROW_PREFIX)}

    def produce() -> str:
        numbers: dict[str, int] = {}
        bad = []
        for code, text in typed.items():
            try:
                numbers[code] = _number(text, f"target[{code}]")
            except InvalidInput as exc:
                bad += exc.fields
        if bad:
            raise refusals.TargetsNotNumbers(bad)
        count = service.set_targets(session, campaign_id, numbers, principal) if numbers else 0
        return f"/outreach/campaigns/{campaign_id}?set={count}"

    def refused(exc: Exception) -> Response:
        context = _detail_context(session, campaign_id, principal, rows=typed, error=problem(exc, "rows"))
        return render(request, "outreach/campaign.html", context, status_code=422)

    action = f"/outreach/campaigns/{campaign_id}/rows"
    return submit_form(session, principal, "", action, produce, refused, REFUSALS)


__all__ = ["router"]
