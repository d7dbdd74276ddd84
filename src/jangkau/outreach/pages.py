"""Outreach pages: the agent's offline field app (with its service worker and manifest), the outreach overview
(campaigns, funnel, leaderboard) and the partnerships page; plus the agent cards of the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.enrolment.pages import INCOME_CHOICES, INFORMAL
from jangkau.funding import reminders
from jangkau.outreach import repository as repo
from jangkau.outreach import service
from jangkau.outreach.agents import pages as agent_pages
from jangkau.outreach.campaigns import pages as campaign_pages
from jangkau.outreach.campaigns.funnel import GroupBy, funnel
from jangkau.outreach.fieldwork import pages as work_pages
from jangkau.outreach.fieldwork import service as fieldwork
from jangkau.outreach.partnerships import pages as partnership_pages
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level
from jangkau.registry import repository as registry
from jangkau.web.kit import WEB_DIR, get_session, render

router = APIRouter(include_in_schema=False)
SERVICE_WORKER = WEB_DIR / "static" / "outreach" / "sw.js"
FIELD_SCOPE = "/field"


def agent_villages(session: Session, principal: Principal) -> list[str]:
    """The villages an agent works in: those of the agent profile, else the villages inside the account's scope."""
    agent = repo.agent_of_user(session, principal.user_id) if principal.user_id is not None else None
    if agent is not None:
        return repo.villages_of(session, agent.id)
    codes: list[str] = []
    for prefix in principal.scope:
        if prefix.count(".") == 3:
            codes.append(prefix)
        elif prefix.count(".") == 2:
            codes += [r.code for r in regions.descendants(session, prefix, Level.VILLAGE.value)]
    return codes[:400]


def home_cards(session: Session, principal: Principal, today: dt.date | None = None) -> dict[str, Any]:
    """What the home page shows a field agent: their targets and today's work (follow-ups, then nearby)."""
    today = today or dt.date.today()
    villages = agent_villages(session, principal)
    work = fieldwork.todays_work(session, principal, today, limit=20)
    if not work["items"]:
        # no prospect list yet: show the uncovered informal workers of the register instead
        names = regions.names(session, villages)
        work["items"] = [
            {"full_name": p.full_name, "village": names.get(p.village_code, p.village_code), "rt": p.rt,
             "reason": "uncovered", "status": "not_registered"}
            for p in registry.uncovered_workers(session, principal.scope, limit=20)
        ]  # fmt: skip
    return {"targets": service.my_targets(session, villages, today, principal), "work": work}


@router.get("/field", response_class=HTMLResponse)
def field_app(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.FIELD_WORK)),
) -> HTMLResponse:
    """The agent's field app: works offline (cached by the service worker; visits and enrolments queue on the phone)."""
    codes = agent_villages(session, principal)
    names = regions.names(session, codes)
    context = {
        "villages": [{"code": c, "name": names.get(c, c)} for c in codes],
        # the districts of the agent's villages: the NIK check on the phone warns of a NIK issued elsewhere
        "districts": sorted({c.rsplit(".", 1)[0] for c in codes}),
        "occupations": INFORMAL,
        "incomes": INCOME_CHOICES,
        "today": dt.date.today(),
    }
    response = render(request, "outreach/field.html", context)
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/field/help", response_class=HTMLResponse, dependencies=[Depends(require(Permission.FIELD_WORK))])
def field_help(request: Request) -> HTMLResponse:
    """How to install the field app on a phone and use it without a signal (kept by the service worker too)."""
    response = render(request, "outreach/field_help.html", {})
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/sw.js")
def service_worker() -> Response:
    """The field app's service worker, served from the root so that its scope can cover ``/field``."""
    return Response(
        SERVICE_WORKER.read_text(encoding="utf-8"),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/field/manifest.webmanifest")
def manifest() -> JSONResponse:
    return JSONResponse(
        {
            "name": "Jangkau Lapangan",
            "short_name": "Jangkau",
            "start_url": FIELD_SCOPE,
            "scope": FIELD_SCOPE,
            "display": "standalone",
            "background_color": "#f6f8fa",
            "theme_color": "#0b6e4f",
            "lang": "id",
            "icons": [{"src": "/static/outreach/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        },
        media_type="application/manifest+json",
    )


@router.get("/outreach", response_class=HTMLResponse)
def overview(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.OUTREACH_READ)),
    by: GroupBy = GroupBy.VILLAGE,
    first: dt.date | None = Query(None, alias="from"),
    last: dt.date | None = Query(None, alias="to"),
) -> HTMLResponse:
    """Campaign progress, the funnel and the leaderboard for the caller's territory."""
    today = dt.date.today()
    start, end = first or today.replace(month=1, day=1), last or today
    campaigns = [service.campaign_progress(session, c.id, principal) for c in repo.campaigns(session)[:10]]
    context = {
        "campaigns": [c for c in campaigns if c["regions"]],
        "funnel": funnel(session, principal, by, start, end),
        "by": by.value,
        "groups": [g.value for g in GroupBy],
        "start": start,
        "end": end,
        "may_manage": principal.can(Permission.OUTREACH_MANAGE),
        "reminders": reminders.figures(session, principal.scope, today) if principal.scope else None,
        "may_see_messages": principal.can(Permission.REGISTRY_READ),
    }
    return render(request, "outreach/overview.html", context)


@router.get("/outreach/partnerships", response_class=HTMLResponse)
def partnerships_page(
    request: Request,
    session: Session = Depends(get_session),
    principal: Principal = Depends(require(Permission.OUTREACH_READ)),
) -> HTMLResponse:
    """Which offices and partners have signed, and what each committed."""
    return render(request, "outreach/partnerships.html", partnership_pages.page_context(session, principal))


# the management pages (``outreach.manage``): agents, campaigns, prospects, events and the partnership forms
for _pages in (agent_pages, campaign_pages, work_pages, partnership_pages):
    router.include_router(_pages.router)

__all__ = ["agent_villages", "home_cards", "router"]
