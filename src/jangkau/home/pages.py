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
        "counts": registry.count_registry(session, principal.scope) if principal.can(Permission.REGISTRY_READ) else {},
        "health": rules_health.check(today) if principal.can(Permission.RULES_READ) else [],
        **service.home_of(session, principal, today, language(request)),
    }
    if principal.role is Role.FIELD_AGENT:
        villages = _villages(session, principal)
        context["villages"] = registry.village_counts(session, villages)
        context["village_names"] = regions.names(session, villages)
        context.update(outreach_home_cards(session, principal))
    return render(request, "home.html", context)


def _villages(session: Session, principal: Principal) -> list[str]:
    return [r.code for r in regions.villages_in(session, principal.scope, MAX_VILLAGES_SHOWN)]


__all__ = ["router"]
