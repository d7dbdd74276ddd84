"""The auth tests run with the shipped TOTP requirement (admin and rules_admin), which tests/conftest.py turns off
for the rest of the suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jangkau.config import get_settings


@pytest.fixture(autouse=True)
def _totp_required_for_admin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JANGKAU_TOTP_REQUIRED_ROLES", "admin,rules_admin")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
