"""Shapes of the outreach domain: ``XIn`` for input (shared by the API, the pages, the CLI and the offline field
app), ``XRead`` for every JSON response (so that ``/openapi.json`` describes what comes back).

Masking by the caller's role is done by the serialisers (:meth:`ProspectRead.for_caller`), not by the endpoints.
Numbers are numbers: percentages as 0-100 floats, money as whole Rupiah.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from jangkau.api_errors import FieldErrorRead
from jangkau.auth.roles import Permission
from jangkau.kit.masking import mask_nik

if TYPE_CHECKING:
    from jangkau.auth.principal import Principal
    from jangkau.outreach.models import Agent, Event, Prospect

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
T = TypeVar("T")


class AgentIn(BaseModel):
    """An agent profile for an existing field-agent account, with the villages it works in."""

    model_config = _STRICT

    username: str = Field(min_length=1, max_length=60)
    institution_kind: str = Field(min_length=1, max_length=12, description="polres, polsek, koramil, kelurahan, ...")
    institution: str = Field(min_length=1, max_length=150, description="e.g. Polsek Medan Kota")
    villages: list[str] = Field(min_length=1, max_length=200, description="Village codes, 12.71.01.1001")
    umbrella: str | None = Field(default=None, max_length=150, description="Perisai umbrella CV/yayasan/koperasi")


class AgentRegistrationIn(BaseModel):
    """Register a field agent: a new sign-in account (``new_account``) or an existing field-agent account."""

    model_config = _STRICT

    username: str = Field(min_length=1, max_length=60)
    new_account: bool = False
    full_name: str | None = Field(default=None, max_length=150)
    agent_kind: str | None = Field(default=None, max_length=20, description="bhabinkamtibmas, babinsa, kepling, ...")
    password: str | None = Field(default=None, max_length=200, description="first password of a new account")
    institution_kind: str = Field(min_length=1, max_length=12)
    institution: str = Field(min_length=1, max_length=150)
    villages: list[str] = Field(min_length=1, max_length=200)
    umbrella: str | None = Field(default=None, max_length=150)
    phone: str | None = Field(default=None, max_length=30, description="the agent's mobile number (08..., +628...)")
    followups_channel: str | None = Field(
        default=None, pattern="^(whatsapp|sms)$", description="consent to the daily list of follow-ups on this channel"
    )


class AgentStatusIn(BaseModel):
    model_config = _STRICT

    status: str = Field(pattern="^(active|inactive|terminated)$")
    reason: str = Field(min_length=1, max_length=200)
    on: dt.date | None = None


class CampaignIn(BaseModel):
    """A campaign: ``target_per_region`` for each village (or district) listed, or for every village in them."""

    model_config = _STRICT

    name: str = Field(min_length=1, max_length=200)
    starts_on: dt.date
    ends_on: dt.date
    regions: list[str] = Field(min_length=1, max_length=5000)
    target_per_region: int = Field(gt=0, le=1_000_000)
    per_village: bool = Field(default=True, description="Expand district/city codes to one target per village")
    vulnerable_only: bool = False
    note: str | None = Field(default=None, max_length=2000)


class ProspectIn(BaseModel):
    """A prospect from a list: a registered person, or a name with NIK/village/RT."""

    model_config = _STRICT

    person_id: int | None = None
    nik: str | None = Field(default=None, max_length=32)
    full_name: str | None = Field(default=None, max_length=150)
    village_code: str | None = Field(default=None, max_length=20)
    rt: str | None = Field(default=None, max_length=3)
    rw: str | None = Field(default=None, max_length=3)
    address: str | None = Field(default=None, max_length=255)
    occupation: str | None = Field(default=None, max_length=40)
    source_ref: str | None = Field(default=None, max_length=80)


class VisitIn(BaseModel):
    """One door-to-door visit; ``client_key`` (from the phone) makes a retried sync create nothing new."""

    model_config = _STRICT

    prospect_id: int
    visited_on: dt.date
    outcome: str = Field(pattern="^(not_home|refused|interested|registered|paid)$")
    follow_up_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)
    client_key: str | None = Field(default=None, min_length=8, max_length=100)
    nik: str | None = Field(default=None, max_length=32, description="NIK of the worker registered on this visit")


class EventIn(BaseModel):
    model_config = _STRICT

    kind: str = Field(pattern="^(socialisation|training)$")
    title: str = Field(min_length=1, max_length=200)
    organiser: str = Field(min_length=1, max_length=150)
    place: str = Field(min_length=1, max_length=200)
    region_code: str = Field(min_length=1, max_length=20)
    held_on: dt.date
    topics: list[str] = Field(default_factory=list, max_length=10)
    campaign_id: int | None = None


class AttendeeIn(BaseModel):
    """An attendee: an agent (by username), a registered worker (by NIK) or a name."""

    model_config = _STRICT

    username: str | None = Field(default=None, max_length=60)
    nik: str | None = Field(default=None, max_length=32)
    name: str | None = Field(default=None, max_length=150)
    attended: bool = True


class TargetsIn(BaseModel):
    """Targets to add or change on a campaign: region code -> number (``per_village``: for every village inside)."""

    model_config = _STRICT

    targets: dict[str, int] = Field(min_length=1, max_length=5000)
    per_village: bool = False


class PartnershipIn(BaseModel):
    model_config = _STRICT

    kind: str = Field(pattern="^(mou|pks)$")
    parent_id: int | None = None
    partner: str = Field(min_length=1, max_length=200)
    partner_kind: str = Field(min_length=1, max_length=20, description="opd, polres, kodim, company, ...")
    region_code: str = Field(min_length=1, max_length=20)
    number: str | None = Field(default=None, max_length=80)
    title: str = Field(min_length=1, max_length=250)
    status: str = Field(default="draft", pattern="^(draft|under_review|signed|expired)$")
    signed_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    budget: int | None = Field(default=None, ge=0, le=10**15)
    target_workers: int | None = Field(default=None, ge=0, le=100_000_000)
    data_sharing: str | None = Field(default=None, max_length=300)
    commitments: str | None = Field(default=None, max_length=4000)


class PartnershipStatusIn(BaseModel):
    model_config = _STRICT

    status: str = Field(pattern="^(draft|under_review|signed|expired)$")
    signed_on: dt.date | None = None


class ProspectBatchIn(BaseModel):
    model_config = _STRICT

    rows: list[ProspectIn] = Field(min_length=1, max_length=50_000)
    source: str = Field(default="manual", max_length=60, description="manual, lapse or linkage:<list id>")


class SyncIn(BaseModel):
    """A batch of visits queued on a phone; each record is checked on its own (a bad one spoils nothing)."""

    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, object]] = Field(max_length=200)


class AttendeesIn(BaseModel):
    model_config = _STRICT

    attendees: list[AttendeeIn] = Field(min_length=1, max_length=5000)


# --- responses ---------------------------------------------------------------------------------------------


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class OutreachRuleRead(_Read):
    """A rule version a result used, with its citation and evidence status (``unconfirmed`` is flagged)."""

    id: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    status: str


class _Trail(_Read):
    rules: list[OutreachRuleRead] = Field(default_factory=list, description="rule versions used")
    warnings: list[str] = Field(default_factory=list, description="UNCONFIRMED rules and open questions")


class AgentRead(_Read):
    """An agent working in the caller's territory."""

    id: int
    username: str
    full_name: str
    kind: str
    institution_kind: str
    institution: str
    umbrella: str | None
    status: str = Field(description="active, inactive or terminated")
    status_reason: str | None
    reactivation_from: dt.date | None
    villages: list[str]
    last_visit: dt.date | None = None

    @classmethod
    def of(cls, agent: Agent, username: str, full_name: str, villages: Sequence[str]) -> AgentRead:
        return cls(
            id=agent.id, username=username, full_name=full_name, kind=agent.kind,
            institution_kind=agent.institution_kind, institution=agent.institution, umbrella=agent.umbrella,
            status=agent.status, status_reason=agent.status_reason, reactivation_from=agent.reactivation_from,
            villages=list(villages),
        )  # fmt: skip


class AgentSavedRead(_Read):
    id: int
    villages: list[str]
    status: str


class AgentStatusRead(_Read):
    id: int
    status: str
    reactivation_from: dt.date | None


class AgentReviewRead(_Trail):
    """What the deactivation rule says about one active agent (and did, unless a dry run)."""

    agent_id: int
    username: str
    full_name: str
    last_activity: str | None = Field(description="the last month with an acquisition or contribution, YYYY-MM")
    deactivate: bool
    idle_since: str | None = Field(description="YYYY-MM")
    reactivation_from: dt.date | None


class CampaignRead(_Read):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    vulnerable_only: bool


class TargetProgressRead(_Read):
    region_code: str
    region: str
    target: int
    registered: int
    paid: int
    percent: float = Field(description="paid registrations as a percentage (0-100) of the target")


class CampaignProgressRead(CampaignRead):
    """Targets and paid registrations so far, per region in the caller's territory."""

    target: int
    paid: int
    registered: int
    regions: list[TargetProgressRead]


class ProspectRead(_Read):
    """A prospect to visit; the NIK is masked, the address shown only to roles that read full records."""

    id: int
    person_id: int | None = Field(description="the registered person (their page: /persons/{person_id}), if any")
    full_name: str
    nik: str | None
    village_code: str
    village: str
    rt: str | None
    rw: str | None
    address: str | None
    occupation: str | None
    source: str
    status: str
    follow_up_on: dt.date | None

    @classmethod
    def for_caller(cls, prospect: Prospect, principal: Principal, village_names: Mapping[str, str]) -> ProspectRead:
        full = principal.can(Permission.REGISTRY_READ_FULL)
        return cls(
            id=prospect.id,
            person_id=prospect.person_id,
            full_name=prospect.full_name,
            nik=mask_nik(prospect.nik),
            village_code=prospect.village_code,
            village=village_names.get(prospect.village_code, ""),
            rt=prospect.rt,
            rw=prospect.rw,
            address=prospect.address if full else None,
            occupation=prospect.occupation,
            source=prospect.source,
            status=prospect.status,
            follow_up_on=prospect.follow_up_on,
        )


class TodayItemRead(ProspectRead):
    reason: str = Field(description="follow_up_due, nearby or open")


class TodayRead(_Read):
    """The agent's work for today: follow-ups due first, then prospects nearby."""

    today: dt.date
    due: int
    items: list[TodayItemRead]


class ProspectRejectedRowRead(_Read):
    """A row that was not taken, and why (the refusal's code and texts, or the input check's message)."""

    row: int
    code: str | None = None
    message: str
    message_id: str | None = None
    field: str | None = None
    fields: list[FieldErrorRead] = Field(default_factory=list)
    details: dict[str, Any] | None = None


class ProspectsAddedRead(_Read):
    added: int
    reopened: int
    duplicates: int
    rejected: list[ProspectRejectedRowRead]
    prospect_ids: list[int]


class VisitRecordedRead(_Read):
    visit_id: int
    created: bool = Field(description="false: the client_key was seen before and the visit already recorded")
    prospect_id: int


class RefusalRead(_Read):
    code: str
    message: str
    message_id: str
    fields: list[FieldErrorRead] = Field(default_factory=list)
    details: dict[str, Any] | None = None


class SyncResultRead(_Read):
    index: int
    client_key: JsonValue = None
    status: str = Field(description="created, duplicate or error")
    visit_id: int | None = None
    error: RefusalRead | None = None


class SyncRead(_Read):
    results: list[SyncResultRead]
    errors: int


class VisitRead(_Read):
    id: int
    agent: str
    prospect_id: int
    name: str
    village_code: str
    visited_on: dt.date
    outcome: str
    follow_up_on: dt.date | None
    note: str | None


class FunnelTotalsRead(_Read):
    visited: int
    interested: int
    registered: int
    paid: int
    active_3m: int


class FunnelRowRead(FunnelTotalsRead):
    key: str
    label: str
    paid_rate: float | None = Field(description="paid as a percentage (0-100) of registered")
    interest_rate: float | None = Field(description="interested as a percentage (0-100) of visited")


class FunnelRead(_Read):
    by: str
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    as_of: dt.date | None = None
    rows: list[FunnelRowRead]
    total: FunnelTotalsRead


class LeaderboardRowRead(FunnelRowRead):
    rank: int


class LeaderboardRead(FunnelRead):
    rows: list[LeaderboardRowRead]  # type: ignore[assignment]


class IncentiveRead(_Trail):
    """A community agent's incentive for a month (money in whole Rupiah)."""

    agent: str
    umbrella: str | None
    month: str = Field(description="YYYY-MM")
    collected: int
    new_participants: int
    commission: int
    bonus: int
    total: int
    umbrella_share: int
    agent_share: int
    status: str = Field(description="the weakest evidence status of the rules used")


class EventRead(_Read):
    id: int
    kind: str = Field(description="socialisation or training")
    title: str
    organiser: str
    place: str
    region_code: str
    held_on: dt.date
    topics: list[str]
    campaign_id: int | None

    @classmethod
    def of(cls, event: Event) -> EventRead:
        return cls(
            id=event.id, kind=event.kind, title=event.title, organiser=event.organiser, place=event.place,
            region_code=event.region_code, held_on=event.held_on,
            topics=event.topics.split(",") if event.topics else [], campaign_id=event.campaign_id,
        )  # fmt: skip


class AttendeeRead(_Read):
    name: str | None
    nik: str | None = Field(description="masked")
    agent_id: int | None
    attended: bool
    registered_after: bool


class EventDetailRead(EventRead):
    attendees: list[AttendeeRead]
    attended: int
    registrations_followed: int


class AttendeeRejectedRead(_Read):
    row: int
    message: str
    message_id: str


class AttendeesAddedRead(_Read):
    added: int
    rejected: list[AttendeeRejectedRead]


class DocumentInfoRead(_Read):
    id: int
    file_name: str
    size: int
    content_type: str


class AgreementRead(_Read):
    id: int
    kind: str
    parent_id: int | None
    number: str | None
    title: str
    status: str
    signed_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    budget: int | None
    target_workers: int | None
    data_sharing: str | None
    commitments: str | None
    region_code: str
    documents: list[DocumentInfoRead]


class PartnerRead(_Read):
    """A partner with its MoU and PKS, and what the signed ones commit (budget in whole Rupiah)."""

    partner: str
    partner_kind: str
    signed: bool
    agreements: list[AgreementRead]
    committed_budget: int
    committed_workers: int


class PartnershipSavedRead(_Read):
    id: int
    kind: str
    status: str


class PartnershipStatusRead(_Read):
    id: int
    status: str
    signed_on: dt.date | None


class DocumentRead(_Read):
    id: int
    file_name: str
    size: int
    sha256: str
