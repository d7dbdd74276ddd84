"""``/``: each role's starting point: that role's tasks and alerts with their links (:mod:`jangkau.home.service`);
a field agent's villages, target and today's work."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import optional_principal
from jangkau.auth.principal import Principal
from jangkau.auth.roles import ROLE_NAMES_ID, Permission, Role
from jangkau.home import service
from jangkau.kit import figures
from jangkau.kit.figures import last_complete_month
from jangkau.outreach.pages import home_cards as outreach_home_cards
from jangkau.regions import repository as regions
from jangkau.registry import repository as registry
from jangkau.ruleadmin import health as rules_health
from jangkau.web.kit import get_session, language, render

router = APIRouter(include_in_schema=False)
MAX_VILLAGES_SHOWN = 60


@router.get("/", response_model=None)
def home(
    request: Request, session: Session = Depends(get_session), principal: Principal | None = Depends(optional_principal)
) -> Response:
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    today = dt.date.today()
    context: dict[str, object] = {
        "role_name": ROLE_NAMES_ID[principal.role],
        "figures": figures.for_regions(session, principal.scope, last_complete_month(today)).as_dict()
        if principal.can(Permission.REGISTRY_READ) or principal.can(Permission.REPORTS_READ)
        else {},
        "territory": _territory_name(session, principal),
        "health": rules_health.check(today) if principal.can(Permission.RULES_READ) else [],
        **service.home_of(session, principal, today, language(request)),
    }
    if principal.role is Role.FIELD_AGENT:
        villages = _villages(session, principal)
        month = last_complete_month(dt.date.today())
        context["villages"] = [  # people on the register, and the village's "active" figure (not a status count)
            {**row, "active": figures.for_regions(session, [str(row["code"])], month).active}
            for row in registry.village_counts(session, villages)
        ]
        context["village_names"] = regions.names(session, villages)
        context.update(outreach_home_cards(session, principal))
    return render(request, "home.html", context)


def _territory_name(session: Session, principal: Principal) -> str:
    """The caller's territory in words: Indonesia, or the names of its regions."""
    if "" in principal.scope:
        return "Indonesia"
    names = regions.names(session, principal.scope)
    return ", ".join(names.get(code, code) for code in principal.scope)


def _villages(session: Session, principal: Principal) -> list[str]:
    return [r.code for r in regions.villages_in(session, principal.scope, MAX_VILLAGES_SHOWN)]


__all__ = ["router"]
