"""``/api/v1/outreach``: agents, campaigns, prospects, visits (and the offline batch sync), events, funnel,
leaderboards, incentive, partnerships and their documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from jangkau.api_errors import error_responses
from jangkau.auth.deps import require
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Permission
from jangkau.errors import InvalidInput
from jangkau.kit.documents import DOCUMENT_RESPONSES
from jangkau.kit.months import Month
from jangkau.kit.pagination import Page, PageRequest
from jangkau.outreach import repository as repo
from jangkau.outreach import service
from jangkau.outreach.campaigns.funnel import GroupBy, agent_incentive, funnel, leaderboard
from jangkau.outreach.errors import (
    AgentInvalid,
    AgentNotActive,
    AgentNotFound,
    AgentReactivationWait,
    AgentTerminated,
    CampaignInvalid,
    CampaignNotFound,
    ClientKeyReused,
    DocumentNotFound,
    EventInvalid,
    EventNotFound,
    MonthInvalid,
    MonthOutsideRule,
    NoAgentProfile,
    NoIncentiveForKind,
    PartnershipInvalid,
    PartnershipNotFound,
    PeriodInvalid,
    ProspectOutsideScope,
    ProspectSourceInvalid,
    SigningDateMissing,
    SyncBatchTooLarge,
    TargetsInvalid,
    VillageNotFound,
    VisitInvalid,
)
from jangkau.outreach.events import service as events
from jangkau.outreach.fieldwork import service as fieldwork
from jangkau.outreach.partnerships import service as partnerships
from jangkau.outreach.partnerships.service import MAX_DOCUMENT_BYTES
from jangkau.outreach.schemas import (
    AgentIn,
    AgentRead,
    AgentRegistrationIn,
    AgentReviewRead,
    AgentSavedRead,
    AgentStatusIn,
    AgentStatusRead,
    AttendeesAddedRead,
    AttendeesIn,
    CampaignIn,
    CampaignProgressRead,
    CampaignRead,
    DocumentRead,
    EventDetailRead,
    EventIn,
    EventRead,
    FunnelRead,
    IncentiveRead,
    LeaderboardRead,
    PartnerRead,
    PartnershipIn,
    PartnershipSavedRead,
    PartnershipStatusIn,
    PartnershipStatusRead,
    ProspectBatchIn,
    ProspectRead,
    ProspectsAddedRead,
    SyncIn,
    SyncRead,
    TargetsIn,
    TodayRead,
    VisitIn,
    VisitRead,
    VisitRecordedRead,
)
from jangkau.regions import repository as regions
from jangkau.regions.codes import parse_region_code
from jangkau.web.idempotency import request_fingerprint, run_idempotent
from jangkau.web.kit import get_session

router = APIRouter(prefix="/outreach", tags=["outreach"])
READ = Depends(require(Permission.OUTREACH_READ))
MANAGE = Depends(require(Permission.OUTREACH_MANAGE))
FIELD = Depends(require(Permission.FIELD_WORK))
SESSION = Depends(get_session)


def _period(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    return first or today.replace(day=1), last or today


@router.get("/agents", response_model=list[AgentRead])
def list_agents(session: Session = SESSION, principal: Principal = READ) -> list[dict[str, Any]]:
    """Agents working in the caller's territory, with institution, villages and status."""
    return service.list_agents(session, principal)


@router.post("/agents", status_code=201, responses=error_responses(AgentInvalid))
def save_agent(data: AgentIn, session: Session = SESSION, principal: Principal = MANAGE) -> AgentSavedRead:
    """Create or update an agent profile; the villages become the agent account's scope."""
    agent = service.save_agent(session, data, principal)
    return AgentSavedRead(id=agent.id, villages=repo.villages_of(session, agent.id), status=agent.status)


@router.post(
    "/agents/register", status_code=201, response_model=AgentSavedRead, responses=error_responses(AgentInvalid, 409)
)
def register_agent(
    request: Request,
    data: AgentRegistrationIn,
    session: Session = SESSION,
    principal: Principal = MANAGE,
    key: str | None = Header(None, alias="Idempotency-Key"),
) -> JSONResponse:
    """Make a field agent's sign-in account (``new_account``) or take an existing one of the territory, with the
    villages that become its scope. A retry with the same ``Idempotency-Key`` creates nothing new."""

    def produce() -> tuple[int, dict[str, Any]]:
        agent = service.register_agent(session, data, principal)
        return 201, {"id": agent.id, "villages": repo.villages_of(session, agent.id), "status": agent.status}

    body = data.model_dump(mode="json", exclude={"password"})
    fingerprint = request_fingerprint("POST", "/outreach/agents/register", body)
    return run_idempotent(session, request.app.state.session_factory, principal, key, fingerprint, produce)


@router.post(
    "/agents/{agent_id}/status",
    responses=error_responses(AgentNotFound, AgentTerminated, AgentReactivationWait),
)
def agent_status(
    agent_id: int, data: AgentStatusIn, session: Session = SESSION, principal: Principal = MANAGE
) -> AgentStatusRead:
    """Activate, deactivate or terminate an agent."""
    agent = service.set_agent_status(session, agent_id, data, principal)
    return AgentStatusRead.model_validate(agent)


@router.post("/agents/review", response_model=list[AgentReviewRead])
def review_agents(
    session: Session = SESSION, principal: Principal = MANAGE, as_of: dt.date | None = None, dry_run: bool = False
) -> list[dict[str, Any]]:
    """Apply the Perisai deactivation rule (data, named in each answer) to the active agents it covers
    (``dry_run``: only say what it would do)."""
    return service.review_agents(session, as_of or dt.date.today(), principal, apply=not dry_run)


@router.get("/campaigns")
def list_campaigns(session: Session = SESSION, _principal: Principal = READ) -> list[CampaignRead]:
    return [CampaignRead.model_validate(c) for c in repo.campaigns(session)]


@router.post(
    "/campaigns", status_code=201, response_model=CampaignProgressRead, responses=error_responses(CampaignInvalid)
)
def create_campaign(data: CampaignIn, session: Session = SESSION, principal: Principal = MANAGE) -> dict[str, Any]:
    """Create a campaign with targets (a region that does not exist is named in a 422)."""
    campaign = service.create_campaign(session, data, principal)
    return service.campaign_progress(session, campaign.id, principal)


@router.get(
    "/campaigns/{campaign_id}", response_model=CampaignProgressRead, responses=error_responses(CampaignNotFound)
)
def campaign_progress(campaign_id: int, session: Session = SESSION, principal: Principal = READ) -> dict[str, Any]:
    """Targets and paid registrations so far, per region in the caller's territory."""
    return service.campaign_progress(session, campaign_id, principal)


@router.put(
    "/campaigns/{campaign_id}/targets",
    response_model=CampaignProgressRead,
    responses=error_responses(CampaignNotFound, TargetsInvalid),
)
def set_targets(
    campaign_id: int, data: TargetsIn, session: Session = SESSION, principal: Principal = MANAGE
) -> dict[str, Any]:
    """Add or change targets (setting the same numbers again changes nothing); returns the progress."""
    service.set_targets(session, campaign_id, data.targets, principal, per_village=data.per_village)
    return service.campaign_progress(session, campaign_id, principal)


@router.get("/prospects", responses=error_responses(InvalidInput))
def list_prospects(
    session: Session = SESSION,
    principal: Principal = READ,
    village: str | None = Query(None, max_length=20),
    status: str | None = Query(None, max_length=12),
    page: int = Query(1, ge=1, le=100_000),
    size: int = Query(50, ge=1, le=500),
) -> Page[ProspectRead]:
    code = parse_region_code(village, "village").code if village else None
    listing = repo.list_prospects(session, principal.scope, PageRequest(page, size), code, status)
    names = regions.names(session, {p.village_code for p in listing.items})
    items = [ProspectRead.for_caller(p, principal, names) for p in listing.items]
    return Page[ProspectRead](items=items, total=listing.total, page=page, size=size)


@router.post("/prospects", status_code=201, responses=error_responses(ProspectSourceInvalid))
def add_prospects(
    data: ProspectBatchIn,
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> ProspectsAddedRead:
    """Add prospects (rows that are bad are named; the others are kept)."""
    return ProspectsAddedRead.model_validate(fieldwork.add_prospects(session, data.rows, data.source, principal))


@router.post("/prospects/from-lapses", status_code=201, responses=error_responses(InvalidInput, VillageNotFound))
def prospects_from_lapses(
    session: Session = SESSION, principal: Principal = MANAGE, village: str | None = Query(None, max_length=20)
) -> ProspectsAddedRead:
    """Turn the lapse list (memberships the funding lapse job marked) into prospects (optionally of one village)."""
    return ProspectsAddedRead.model_validate(fieldwork.prospects_from_lapses(session, principal, village=village))


@router.get("/today", response_model=TodayRead)
def today(session: Session = SESSION, principal: Principal = FIELD) -> dict[str, Any]:
    """The agent's work for today: follow-ups due, then prospects nearby (same village and RT)."""
    return fieldwork.todays_work(session, principal)


@router.post(
    "/visits",
    status_code=201,
    responses=error_responses(NoAgentProfile, AgentNotActive, ClientKeyReused, ProspectOutsideScope, VisitInvalid),
)
def record_visit(data: VisitIn, session: Session = SESSION, principal: Principal = FIELD) -> VisitRecordedRead:
    """Record one visit (a repeated ``client_key`` returns the visit already recorded)."""
    visit, created = fieldwork.record_visit(session, data, principal)
    return VisitRecordedRead(visit_id=visit.id, created=created, prospect_id=visit.prospect_id)


@router.post("/visits/sync", responses=error_responses(SyncBatchTooLarge))
def sync_visits(
    data: SyncIn,
    session: Session = SESSION,
    principal: Principal = FIELD,
) -> SyncRead:
    """Batch sync from the field app: a result per record; a bad record is named and the rest are kept."""
    results = fieldwork.sync_visits(session, data.records, principal)
    return SyncRead.model_validate({"results": results, "errors": sum(1 for r in results if r["status"] == "error")})


@router.get("/visits")
def list_visits(
    session: Session = SESSION,
    principal: Principal = READ,
    first: dt.date | None = Query(None, alias="from"),
    last: dt.date | None = Query(None, alias="to"),
) -> list[VisitRead]:
    start, end = _period(first, last)
    return [
        VisitRead(
            id=v.id, agent=u, prospect_id=p.id, name=p.full_name, village_code=v.village_code,
            visited_on=v.visited_on, outcome=v.outcome, follow_up_on=v.follow_up_on, note=v.note,
        )
        for v, p, u in repo.visits_between(session, principal.scope, start, end)
    ]  # fmt: skip


@router.get("/funnel", response_model=FunnelRead, responses=error_responses(PeriodInvalid))
def get_funnel(
    session: Session = SESSION,
    principal: Principal = READ,
    by: GroupBy = GroupBy.VILLAGE,
    first: dt.date | None = Query(None, alias="from"),
    last: dt.date | None = Query(None, alias="to"),
) -> dict[str, Any]:
    """Visited, interested, registered, paid and still active after 3 months, per agent/village/district/institution."""
    start, end = _period(first, last)
    return funnel(session, principal, by, start, end)


@router.get("/leaderboard", response_model=LeaderboardRead, responses=error_responses(PeriodInvalid))
def get_leaderboard(
    session: Session = SESSION,
    principal: Principal = READ,
    by: GroupBy = GroupBy.AGENT,
    first: dt.date | None = Query(None, alias="from"),
    last: dt.date | None = Query(None, alias="to"),
    top: int = Query(20, ge=1, le=500),
) -> dict[str, Any]:
    start, end = _period(first, last)
    return leaderboard(session, principal, by, start, end, top)


@router.get(
    "/incentive",
    response_model=IncentiveRead,
    responses=error_responses(AgentNotFound, MonthInvalid, MonthOutsideRule, NoIncentiveForKind),
)
def get_incentive(
    session: Session = SESSION,
    principal: Principal = READ,
    agent: str = Query(..., max_length=60),
    month: str = Query(..., description="YYYY-MM"),
) -> dict[str, Any]:
    """A community agent's incentive for a month, from the (UNCONFIRMED) Perisai rule data."""
    try:
        chosen = Month.parse(month)
    except ValueError as exc:
        raise MonthInvalid(str(exc)) from exc
    return agent_incentive(session, principal, agent, chosen)


@router.get("/events", response_model=list[EventRead])
def list_events(
    session: Session = SESSION, principal: Principal = READ, kind: str | None = Query(None, max_length=14)
) -> list[dict[str, Any]]:
    return events.list_events(session, principal, kind)


@router.post("/events", status_code=201, responses=error_responses(EventInvalid))
def create_event(data: EventIn, session: Session = SESSION, principal: Principal = MANAGE) -> EventRead:
    return EventRead.of(events.create_event(session, data, principal))


@router.get("/events/{event_id}", response_model=EventDetailRead, responses=error_responses(EventNotFound))
def event_detail(event_id: int, session: Session = SESSION, principal: Principal = READ) -> dict[str, Any]:
    return events.event_detail(session, event_id, principal)


@router.post(
    "/events/{event_id}/attendees", response_model=AttendeesAddedRead, responses=error_responses(EventNotFound)
)
def add_attendees(
    event_id: int,
    data: AttendeesIn,
    session: Session = SESSION,
    principal: Principal = MANAGE,
) -> dict[str, Any]:
    return events.add_attendees(session, event_id, data.attendees, principal)


@router.get("/partnerships", response_model=list[PartnerRead])
def list_partnerships(session: Session = SESSION, principal: Principal = READ) -> list[dict[str, Any]]:
    """Per partner: MoU and PKS, status, dates, commitments and documents."""
    return partnerships.partnership_overview(session, principal)


@router.post("/partnerships", status_code=201, responses=error_responses(PartnershipInvalid))
def create_partnership(
    data: PartnershipIn, session: Session = SESSION, principal: Principal = MANAGE
) -> PartnershipSavedRead:
    return PartnershipSavedRead.model_validate(partnerships.create_partnership(session, data, principal))


@router.post(
    "/partnerships/{partnership_id}/status",
    responses=error_responses(PartnershipNotFound, SigningDateMissing),
)
def partnership_status(
    partnership_id: int, data: PartnershipStatusIn, session: Session = SESSION, principal: Principal = MANAGE
) -> PartnershipStatusRead:
    return PartnershipStatusRead.model_validate(partnerships.set_status(session, partnership_id, data, principal))


@router.post(
    "/partnerships/{partnership_id}/upload",
    status_code=201,
    responses=error_responses(PartnershipNotFound, InvalidInput),
)
async def upload_document(
    partnership_id: int, file: UploadFile = File(...), session: Session = SESSION, principal: Principal = MANAGE
) -> DocumentRead:
    """Attach a document (PDF, PNG or JPEG up to 10 MB; the content must match the type)."""
    content = await file.read(MAX_DOCUMENT_BYTES + 1)
    document = partnerships.add_document(
        session, partnership_id, file.filename or "", file.content_type or "", content, principal
    )
    return DocumentRead.model_validate(document)


@router.get(
    "/documents/{document_id}",
    response_class=Response,
    responses={**DOCUMENT_RESPONSES, **error_responses(DocumentNotFound)},
)
def download_document(document_id: int, session: Session = SESSION, principal: Principal = READ) -> Response:
    document, content = partnerships.read_document(session, document_id, principal)
    return Response(
        content,
        media_type=document.content_type,
        headers={"Content-Disposition": f'attachment; filename="{_ascii(document.file_name)}"'},
    )


def _ascii(name: str) -> str:
    return "".join(c for c in name if c.isascii() and c.isprintable() and c not in '"\\') or "dokumen"


__all__ = ["router"]
