"""Response shapes of the auth domain."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


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
