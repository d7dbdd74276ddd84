"""``/coverage``: a signed-in worker sees their own protection; anyone else proves the phone on record first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth import audit
from jangkau.auth.deps import optional_principal
from jangkau.auth.principal import Principal
from jangkau.errors import JangkauError
from jangkau.funding.protection import member_protection
from jangkau.funding.service import membership_coverage
from jangkau.kit.masking import mask_nik
from jangkau.regions import repository as regions
from jangkau.registry import repository as repo
from jangkau.registry.card import membership_of_token, programme_names
from jangkau.registry.coverage.service import start_check, verify
from jangkau.registry.models import Membership, Person
from jangkau.registry.nik import check_nik
from jangkau.web.kit import check_csrf, get_session, language, render

router = APIRouter(include_in_schema=False)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/coverage", response_class=HTMLResponse)
def coverage_form(
    request: Request, session: Session = Depends(get_session), principal: Principal | None = Depends(optional_principal)
) -> HTMLResponse:
    """A signed-in worker sees their own coverage; anyone else gives a NIK and gets a one-time code."""
    if principal is not None and principal.person_id is not None:
        person = session.get(Person, principal.person_id)
        if person is not None:
            context = {**_protection(session, person, language(request)), "person": person, "nik": mask_nik(person.nik)}
            return render(request, "coverage.html", context)
    return render(request, "coverage.html", {"values": {}, "errors": {}})


@router.post("/coverage", response_model=None)
def coverage_submit(
    request: Request,
    session: Session = Depends(get_session),
    nik: str = Form("", max_length=32),
    csrf_token: str = Form(""),
) -> Response:
    """Start a check: the same answer (a page asking for the code) whether or not the NIK is registered."""
    values = {"nik": nik}
    try:
        check_csrf(request, csrf_token)
    except JangkauError as exc:
        return render(request, "coverage.html", {"values": values, "errors": {"form": exc.message_id}}, 403)
    checked = check_nik(nik)
    if not checked.valid:
        errors = {"nik": "; ".join(checked.errors)}
        return render(request, "coverage.html", {"values": values, "errors": errors}, 422)
    challenge_id = start_check(session, checked.nik, _client_ip(request))
    return RedirectResponse(f"/coverage/verify/{challenge_id}", status_code=303)


@router.get("/coverage/verify/{challenge_id}", response_class=HTMLResponse)
def code_form(request: Request, challenge_id: str) -> HTMLResponse:
    return render(request, "coverage_code.html", {"challenge_id": challenge_id[:64], "error": None})


@router.post("/coverage/verify/{challenge_id}", response_class=HTMLResponse)
def code_submit(
    request: Request,
    challenge_id: str,
    session: Session = Depends(get_session),
    code: str = Form("", max_length=12),
    csrf_token: str = Form(""),
) -> HTMLResponse:
    """The right code shows "protected until ..." per programme, without the name; anything else the same refusal."""
    try:
        check_csrf(request, csrf_token)
        proven = verify(session, challenge_id[:64], code, _client_ip(request))
    except JangkauError as exc:
        context = {"challenge_id": challenge_id[:64], "error": exc}
        return render(request, "coverage_code.html", context, exc.http_status)
    person = session.get(Person, proven.person_id)
    if person is None:  # deleted since the code was sent
        return render(request, "coverage_code.html", {"challenge_id": challenge_id[:64], "error": None}, 404)
    audit.record_anonymous(
        session, "read", "coverage", person.id, region_code=person.village_code, after={"via": "one_time_code"}
    )
    return render(
        request, "coverage.html", {**_protection(session, person, language(request)), "anonymous_result": True}
    )


@router.get("/cards/verify/{token}", response_class=HTMLResponse)
def verify_card(request: Request, token: str, session: Session = Depends(get_session)) -> HTMLResponse:
    """What a card's QR code opens: whether the card is genuine and its membership still open, showing only what
    is printed on the card (name, masked NIK, programmes, period, village)."""
    membership_id = membership_of_token(token[:200])
    membership = session.get(Membership, membership_id) if membership_id is not None else None
    person = session.get(Person, membership.person_id) if membership is not None else None
    if membership is None or person is None:
        return render(request, "card_verify.html", {"card": None}, 404)
    village = regions.get(session, person.village_code)
    card = {
        "full_name": person.full_name,
        "nik": mask_nik(person.nik),
        "segment": membership.segment.upper(),
        "number": f"{membership.id:011d}",
        "programs": programme_names(membership),
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "open": membership.end_date is None and membership.status in ("pending", "active", "lapsed"),
        "village": village.name if village else "",
    }
    # the card prints the protection sentence: the check shows it as it is today
    mp = member_protection(session, membership, dt.date.today(), language(request))
    return render(request, "card_verify.html", {"card": card, "mp": mp})


def _protection(session: Session, person: Person, lang: str) -> dict[str, Any]:
    memberships = repo.memberships_of(session, person.id)
    today = dt.date.today()
    protection = {m.id: membership_coverage(session, m.id, today) for m in memberships}
    # the one sentence every page shows for a membership, with who pays and how (funding.protection)
    protections = {m.id: member_protection(session, m, today, lang) for m in memberships}
    return {
        "values": {},
        "errors": {},
        "memberships": memberships,
        "protection": protection,
        "protections": protections,
        "today": today,
    }
