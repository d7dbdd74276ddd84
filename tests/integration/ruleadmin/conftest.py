"""Fixtures of the rule-version tests: every test starts and ends with the shipped tables only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jangkau.ruleadmin import service


@pytest.fixture(autouse=True)
def shipped_tables_only() -> Iterator[None]:
    service.forget()
    yield
    service.forget()
