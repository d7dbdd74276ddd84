"""The per-channel rate limit holds: a sender that uses up the window waits for the next one."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from jangkau.config import get_settings
from jangkau.notify import ratelimit


@pytest.fixture
def five_per_second(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JANGKAU_NOTIFY_RATE_SMS", "5/second")
    get_settings.cache_clear()
    ratelimit.reset()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    ratelimit.reset()


@pytest.mark.usefixtures("five_per_second")
def test_the_sixth_message_in_a_second_waits_for_the_next_window() -> None:
    started = time.monotonic()
    waits = [ratelimit.wait_for("sms") for _ in range(6)]
    assert waits[:5] == [0.0] * 5
    assert waits[5] > 0
    assert time.monotonic() - started >= 0.5
    assert ratelimit.wait_for("log") == 0.0, "the log channel has no limit"
