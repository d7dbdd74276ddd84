"""Pages: the officers' message list (per person, per campaign), the template preview, a worker's own consent."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.errors import JangkauError
from jangkau.notify import access, consent
from jangkau.notify import repository as repo
from jangkau.notify.schemas import ConsentRead, MessageRead
from jangkau.notify.templates import LANGUAGES, Use, catalog, render
from jangkau.webkit import check_csrf, get_session
from jangkau.webkit import render as render_page

router = APIRouter(include_in_schema=False)
SESSION = Depends(get_session)
PRINCIPAL = Depends(current_principal)


@router.get("/notify/messages", response_class=HTMLResponse)
def messages_page(
    request: Request,
    person_id: int | None = Query(None, ge=1),
    campaign: str | None = Query(None, max_length=60),
    principal: Principal = PRINCIPAL,
    session: Session = SESSION,
) -> HTMLResponse:
    """Messages of the officer's territory, newest first, with their delivery status (addresses masked)."""
    scope = access.message_scope(principal)
    rows = [MessageRead.of(m) for m in repo.list_messages(session, scope, person_id=person_id, campaign=campaign)]
    context = {"messages": rows, "person_id": person_id or "", "campaign": campaign or ""}
    return render_page(request, "notify/messages.html", context)


def _sample(use: Use) -> dict[str, str]:
    return {name: f"‹{name}›" for name in catalog().get(use).variables}


@router.get("/notify/templates", response_class=HTMLResponse)
def templates_page(request: Request, principal: Principal = PRINCIPAL) -> HTMLResponse:
    """Every template in both languages with its variables and WhatsApp name, filled with the variable names."""
    access.message_scope(principal)
    previews = []
    for template in catalog().templates.values():
        texts = {lang: render(template.use, lang, _sample(template.use)) for lang in LANGUAGES}
        previews.append({"template": template, "texts": texts})
    return render_page(request, "notify/templates.html", {"previews": previews})


def _consent_page(
    request: Request, session: Session, person_id: int, error: JangkauError | None = None
) -> HTMLResponse:
    rows = {r.channel: ConsentRead.of(r) for r in repo.consents_of(session, person_id)}
    mine = [MessageRead.of(m, masked=False) for m in repo.list_messages(session, ("",), person_id=person_id)]
    context = {"consents": rows, "messages": mine, "error": error, "channels": ("whatsapp", "sms", "email")}
    return render_page(request, "notify/consent.html", context, status_code=error.http_status if error else 200)


@router.get("/account/messages", response_class=HTMLResponse)
def my_consent_page(request: Request, principal: Principal = PRINCIPAL, session: Session = SESSION) -> HTMLResponse:
    """A worker's own page: which channels may reach them, and the messages they were sent."""
    return _consent_page(request, session, access.own_person(principal))


@router.post("/account/messages", response_model=None)
def my_consent_form(
    request: Request,
    channel: str = Form(..., pattern="^(sms|whatsapp|email)$"),
    address: str = Form("", max_length=254),
    language: str = Form("id", pattern="^(id|en)$"),
    action: str = Form("grant", pattern="^(grant|withdraw)$"),
    csrf_token: str = Form(""),
    principal: Principal = PRINCIPAL,
    session: Session = SESSION,
) -> Response:
    check_csrf(request, csrf_token)
    person_id = access.own_person(principal)
    try:
        if action == "grant":
            consent.grant(session, person_id, channel, address, consent.Via.WORKER_PAGE, language)
        else:
            consent.withdraw(session, person_id, [channel], consent.Via.WORKER_PAGE)
    except JangkauError as exc:
        return _consent_page(request, session, person_id, exc)
    return RedirectResponse("/account/messages", status_code=303)
