"""Pages: the officers' message list (per person, per campaign), the template preview, a worker's own consent."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.errors import InvalidInput, JangkauError
from jangkau.i18n import N_, bilingual
from jangkau.notify import access, consent
from jangkau.notify import repository as repo
from jangkau.notify.schemas import ConsentRead, MessageRead
from jangkau.notify.templates import LANGUAGES, Use, catalog, render
from jangkau.web.kit import check_csrf, get_session
from jangkau.web.kit import render as render_page

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


AGENT_CHANNELS = ("whatsapp", "sms")  # the daily list of follow-ups goes to the agent's phone


def _consent_page(
    request: Request, session: Session, holder: access.Holder, error: JangkauError | None = None
) -> HTMLResponse:
    if holder.user_id is not None:
        found = repo.consents_of_user(session, holder.user_id)
        sent = repo.list_messages(session, ("",), user_id=holder.user_id)
    else:
        found = repo.consents_of(session, holder.person_id or 0)
        sent = repo.list_messages(session, ("",), person_id=holder.person_id)
    context = {
        "consents": {r.channel: ConsentRead.of(r) for r in found},
        "messages": [MessageRead.of(m, masked=False) for m in sent],
        "error": error,
        "agent": holder.user_id is not None,
        "channels": AGENT_CHANNELS if holder.user_id is not None else ("whatsapp", "sms", "email"),
    }
    return render_page(request, "notify/consent.html", context, status_code=error.http_status if error else 200)


@router.get("/account/messages", response_class=HTMLResponse)
def my_consent_page(request: Request, principal: Principal = PRINCIPAL, session: Session = SESSION) -> HTMLResponse:
    """A worker's own page (which channels may reach them, and the messages they were sent); for a field agent,
    the channels of their daily list of follow-ups."""
    return _consent_page(request, session, access.own_holder(principal))


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
    holder = access.own_holder(principal)
    try:
        if holder.user_id is not None:
            _agent_consent(session, holder.user_id, channel, address, language, action)
        elif action == "grant":
            consent.grant(session, holder.person_id or 0, channel, address, consent.Via.WORKER_PAGE, language)
        else:
            consent.withdraw(session, holder.person_id or 0, [channel], consent.Via.WORKER_PAGE)
    except JangkauError as exc:
        return _consent_page(request, session, holder, exc)
    return RedirectResponse("/account/messages", status_code=303)


def _agent_consent(session: Session, user_id: int, channel: str, address: str, language: str, action: str) -> None:
    if channel not in AGENT_CHANNELS:
        raise InvalidInput.for_field("channel", *bilingual(N_("the daily list goes by WhatsApp or SMS")))
    if action == "grant":
        consent.grant_user(session, user_id, channel, address, consent.Via.AGENT_PAGE, language)
    else:
        consent.withdraw_user(session, user_id, [channel], consent.Via.AGENT_PAGE)
