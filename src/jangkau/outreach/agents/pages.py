"""Agents pages for the branch office and the city (``outreach.manage``): the agents of the territory, registering
one (sign-in account and villages), activating or deactivating with a reason, and the Perisai review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import AgentKind, Permission
from jangkau.outreach import service
from jangkau.outreach.forms import REFUSALS, new_token, problem
from jangkau.outreach.models import INSTITUTION_KINDS
from jangkau.outreach.rules.incentive import DEACTIVATION_RULE, load_rule
from jangkau.outreach.schemas import AgentRegistrationIn, AgentStatusIn
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level
from jangkau.web.forms import submit_form
from jangkau.web.kit import check_csrf, get_session, render

router = APIRouter(prefix="/outreach", include_in_schema=False)
SESSION = Depends(get_session)
MANAGE = Depends(require(Permission.OUTREACH_MANAGE))
MAX_VILLAGES_SHOWN = 2000


def territory_villages(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The villages of the caller's territory grouped by district (for the village checkboxes)."""
    villages = regions.villages_in(session, principal.scope, MAX_VILLAGES_SHOWN)
    names = regions.names(session, {v.parent_code for v in villages if v.parent_code})
    groups: dict[str, dict[str, Any]] = {}
    for village in villages:
        district = village.parent_code or ""
        group = groups.setdefault(district, {"code": district, "name": names.get(district, district), "villages": []})
        group["villages"].append({"code": village.code, "name": village.name})
    return list(groups.values())


def territory_districts(session: Session, principal: Principal) -> list[dict[str, str]]:
    """The districts (kecamatan) inside the caller's territory."""
    out: list[dict[str, str]] = []
    for prefix in principal.scope:
        if prefix and prefix.count(".") < 2:
            out += [
                {"code": r.code, "name": r.name} for r in regions.descendants(session, prefix, Level.DISTRICT.value)
            ]
        elif prefix.count(".") == 2:
            out += [{"code": prefix, "name": regions.names(session, [prefix]).get(prefix, prefix)}]
    return out


def _context(session: Session, principal: Principal, **extra: Any) -> dict[str, Any]:
    rule = load_rule(DEACTIVATION_RULE)
    listed = service.list_agents(session, principal)
    return {
        "agents": listed,
        "names": regions.names(session, {v for a in listed for v in a["villages"][:6]}),
        "accounts": service.unassigned_accounts(session, principal),
        "groups": territory_villages(session, principal),
        "kinds": [k.value for k in AgentKind],
        "institution_kinds": INSTITUTION_KINDS,
        "rule": rule.ref,
        "unconfirmed": rule.unconfirmed,
        "form_token": new_token(),
        "values": {"new_account": "1", "villages": []},
        "error": None,
        **extra,
    }


@router.get("/agents", response_class=HTMLResponse)
def agents(request: Request, session: Session = SESSION, principal: Principal = MANAGE) -> HTMLResponse:
    """Agents of the territory with kind, villages, status and last visit; the register form."""
    return render(request, "outreach/agents.html", _context(session, principal))


@router.post("/agents", response_model=None)
def register(
    request: Request,
    csrf_token: str = Form(""),
    form_token: str = Form(""),
    account: str = Form("new"),
    username: str = Form(""),
    full_name: str = Form(""),
    agent_kind: str = Form(""),
    password: str = Form(""),
    institution_kind: str = Form(""),
    institution: str = Form(""),
    umbrella: str = Form(""),
    villages: list[str] = Form([]),
    village_codes: str = Form(""),
    phone: str = Form(""),
    followups_channel: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Register an agent; a refusal shows the form again with the values (the password is never sent back).

    Villages are ticked in the list of the territory's villages or typed as codes (a province- or country-wide
    officer has more villages than the list shows).
    """
    check_csrf(request, csrf_token)
    typed = [c.strip() for c in village_codes.replace("\n", ",").replace(";", ",").split(",") if c.strip()]
    villages = list(dict.fromkeys([*villages, *typed]))
    values = {"new_account": "1" if account == "new" else "", "username": username, "full_name": full_name,
              "agent_kind": agent_kind, "institution_kind": institution_kind, "institution": institution,
              "umbrella": umbrella, "villages": villages, "phone": phone,
              "followups_channel": followups_channel}  # fmt: skip

    def produce() -> str:
        data = AgentRegistrationIn(
            username=username, new_account=account == "new", full_name=full_name or None,
            agent_kind=agent_kind or None, password=password or None, institution_kind=institution_kind,
            institution=institution, umbrella=umbrella or None, villages=villages, phone=phone.strip() or None,
            followups_channel=followups_channel or None,
        )  # fmt: skip
        agent = service.register_agent(session, data, principal)
        return f"/outreach/agents?saved={agent.id}#agent-{agent.id}"

    def refused(exc: Exception) -> Response:
        context = _context(session, principal, values=values, error=problem(exc, "register"))
        return render(request, "outreach/agents.html", context, status_code=422)

    return submit_form(session, principal, form_token, "/outreach/agents", produce, refused, REFUSALS)


@router.post("/agents/{agent_id}/status", response_model=None)
def change_status(
    request: Request,
    agent_id: int,
    csrf_token: str = Form(""),
    status: str = Form(""),
    reason: str = Form(""),
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> Response:
    """Activate, deactivate or terminate (an agent outside the territory is 404; a refusal is shown by the row)."""
    check_csrf(request, csrf_token)
    service.agent_in_scope(session, agent_id, principal)

    def produce() -> str:
        service.set_agent_status(session, agent_id, AgentStatusIn(status=status, reason=reason), principal)
        return f"/outreach/agents?changed={agent_id}#agent-{agent_id}"

    def refused(exc: Exception) -> Response:
        error = {**problem(exc, f"status-{agent_id}"), "reason": reason}
        return render(request, "outreach/agents.html", _context(session, principal, error=error), status_code=422)

    # no form token: setting a status again is harmless, so only all or nothing
    return submit_form(session, principal, "", f"/outreach/agents/{agent_id}/status", produce, refused, REFUSALS)


@router.get("/agents/review", response_class=HTMLResponse)
def review_preview(request: Request, session: Session = SESSION, principal: Principal = MANAGE) -> HTMLResponse:
    """What the Perisai rule would deactivate today and why; nothing changes until the officer confirms."""
    decisions = service.review_agents(session, dt.date.today(), principal, apply=False)
    return render(request, "outreach/agents_review.html", _review_context(decisions, applied=False))


@router.post("/agents/review", response_model=None)
def review_apply(
    request: Request, csrf_token: str = Form(""), session: Session = SESSION, principal: Principal = MANAGE
) -> Response:
    """Apply the rule (running it again changes nothing more: the agents it cut off are no longer active)."""
    check_csrf(request, csrf_token)
    decisions = service.review_agents(session, dt.date.today(), principal)
    return render(request, "outreach/agents_review.html", _review_context(decisions, applied=True))


def _review_context(decisions: list[dict[str, Any]], applied: bool) -> dict[str, Any]:
    rule = load_rule(DEACTIVATION_RULE)
    return {
        "decisions": decisions,
        "cut": [d for d in decisions if d["deactivate"]],
        "applied": applied,
        "rule": rule.ref,
        "unconfirmed": rule.unconfirmed,
        "idle_months": rule.integer("idle_months"),
        "wait_months": rule.integer("reactivation_wait_months"),
        "today": dt.date.today(),
    }
