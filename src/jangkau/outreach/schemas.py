"""Input shapes of the outreach domain (shared by the API, the pages, the CLI and the offline field app)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
