"""``/api/v1/notify``: provider webhooks (signed), a worker's own consent, the messages of a territory."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import current_principal
from jangkau.auth.principal import Principal
from jangkau.config import get_settings
from jangkau.notify import access, consent, hooks
from jangkau.notify import repository as repo
from jangkau.notify.errors import BadSignature, InvalidAddress
from jangkau.notify.schemas import ConsentIn, ConsentRead, HookResult, MessageRead
from jangkau.web.kit import get_session

router = APIRouter(prefix="/notify", tags=["notify"])
SESSION = Depends(get_session)
PRINCIPAL = Depends(current_principal)
CONSENT_CHANNELS = "^(sms|whatsapp|email)$"


@router.post("/hooks/sms", response_model=HookResult, responses=error_responses(BadSignature))
async def sms_hook(
    request: Request,
    session: Session = SESSION,
    x_jangkau_signature: str | None = Header(None, max_length=200),
) -> HookResult:
    """The SMS gateway's callbacks: a delivery status or an inbound reply (STOP withdraws SMS consent)."""
    return hooks.sms_callback(session, await request.body(), x_jangkau_signature)


@router.get(
    "/hooks/whatsapp",
    response_class=PlainTextResponse,
    responses={
        200: {"description": "hub.challenge, echoed", "content": {"text/plain": {"schema": {"type": "string"}}}},
        **error_responses(BadSignature),
    },
)
def whatsapp_verify(
    mode: str | None = Query(None, alias="hub.mode", max_length=40),
    token: str | None = Query(None, alias="hub.verify_token", max_length=200),
    challenge: str | None = Query(None, alias="hub.challenge", max_length=200),
) -> str:
    """Meta's subscription check: echo ``hub.challenge`` when the verify token matches."""
    expected = get_settings().notify_whatsapp_verify_token
    if mode != "subscribe" or not expected or token != expected:
        raise BadSignature
    return challenge or ""


@router.post("/hooks/whatsapp", response_model=HookResult, responses=error_responses(BadSignature))
async def whatsapp_hook(
    request: Request,
    session: Session = SESSION,
    x_hub_signature_256: str | None = Header(None, max_length=200),
) -> HookResult:
    """The WhatsApp Cloud API webhook: statuses (sent, delivered, read, failed) and replies (STOP)."""
    return hooks.whatsapp_callback(session, await request.body(), x_hub_signature_256)


@router.get("/consent", response_model=list[ConsentRead])
def my_consent(principal: Principal = PRINCIPAL, session: Session = SESSION) -> list[ConsentRead]:
    """A worker's own consent per channel, with when and how it was given or withdrawn."""
    person_id = access.own_person(principal)
    return [ConsentRead.of(row) for row in repo.consents_of(session, person_id)]


@router.put("/consent/{channel}", response_model=list[ConsentRead], responses=error_responses(InvalidAddress))
def set_my_consent(
    data: ConsentIn,
    channel: str = Path(..., pattern=CONSENT_CHANNELS),
    principal: Principal = PRINCIPAL,
    session: Session = SESSION,
) -> list[ConsentRead]:
    """A worker gives consent for a channel at an address (checked: an Indonesian mobile number or an e-mail
    address) or withdraws it (messages not yet sent there are cancelled)."""
    person_id = access.own_person(principal)
    if data.granted:
        consent.grant(session, person_id, channel, data.address, consent.Via.WORKER_PAGE, data.language)
    else:
        consent.withdraw(session, person_id, [channel], consent.Via.WORKER_PAGE)
    return [ConsentRead.of(row) for row in repo.consents_of(session, person_id)]


@router.get("/messages", response_model=list[MessageRead])
def messages(
    person_id: int | None = Query(None, ge=1),
    campaign: str | None = Query(None, max_length=60),
    limit: int = Query(200, ge=1, le=1000),
    principal: Principal = PRINCIPAL,
    session: Session = SESSION,
) -> list[MessageRead]:
    """Messages of the caller's territory (per person or campaign), newest first, addresses masked."""
    scope = access.message_scope(principal)
    rows = repo.list_messages(session, scope, person_id=person_id, campaign=campaign, limit=limit)
    return [MessageRead.of(row) for row in rows]


@router.get("/my-messages", response_model=list[MessageRead])
def my_messages(principal: Principal = PRINCIPAL, session: Session = SESSION) -> list[MessageRead]:
    """A worker's own messages."""
    person_id = access.own_person(principal)
    rows = repo.list_messages(session, ("",), person_id=person_id, limit=200)
    return [MessageRead.of(row, masked=False) for row in rows]
