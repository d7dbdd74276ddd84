"""``/persons/{id}``: one person's page (identity masked by role, household, memberships and who pays, bills and
payments month by month, protection, claims, visits, job-seeker profile, messages, who read the full record)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.persons.service import person_page
from jangkau.web.kit import get_session, language, render

router = APIRouter(include_in_schema=False)


@router.get("/persons/{person_id}", response_class=HTMLResponse)
def person(
    request: Request,
    person_id: int,
    full: bool = Query(False, description="show the clear record (roles that read full records; audited)"),
    session: Session = Depends(get_session),
    principal: Principal = Depends(current_principal),
) -> HTMLResponse:
    """One person, for whoever may see them; a 404 page for anyone else (as if the person did not exist)."""
    context = person_page(session, principal, person_id, full=full, today=dt.date.today(), lang=language(request))
    return render(request, "persons/person.html", context)
