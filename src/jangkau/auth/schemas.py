"""Response shapes of the auth domain."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class ApiTokenRead(BaseModel):
    """One of the caller's API tokens (never the token itself: only its hash is stored)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class SessionRead(BaseModel):
    """One of the caller's open page sessions."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    ip: str
    user_agent: str


class TokenRead(BaseModel):
    """A bearer token (OAuth2 password flow): shown once, only its hash is stored."""

    access_token: str
    token_type: str = Field(description="always ``bearer``")
    expires_in: int = Field(description="seconds")
    expires_at: dt.datetime


class MeRead(BaseModel):
    """Who the token or session belongs to: role, territory and permissions."""

    username: str
    role: str
    agent_kind: str | None
    scope: list[str] = Field(description="region-code prefixes; an empty string is the whole country")
    permissions: list[str]
