"""Overload is answered at once with 503 + Retry-After by a queue that costs no thread, in arrival order."""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import Receive, Scope, Send

from jangkau.config import Settings
from jangkau.web.guard import ConcurrencyLimit

AT_WORK = {"now": 0, "most": 0}


async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
    AT_WORK["now"] += 1
    AT_WORK["most"] = max(AT_WORK["most"], AT_WORK["now"])
    await asyncio.sleep(0.2)
    AT_WORK["now"] -= 1
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope["path"].encode()})


async def burst(settings: Settings, n: int) -> list[httpx.Response]:
    app = ConcurrencyLimit(slow_app, lambda: settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return list(await asyncio.gather(*(client.get(f"/r{i}") for i in range(n))))


def test_requests_beyond_the_permits_wait_their_turn() -> None:
    AT_WORK["most"] = 0
    answers = asyncio.run(burst(Settings(max_concurrent_requests=2, db_pool_timeout_seconds=5), 6))
    assert [a.status_code for a in answers] == [200] * 6
    assert AT_WORK["most"] == 2


def test_a_wait_longer_than_the_timeout_is_a_quick_503_with_retry_after() -> None:
    settings = Settings(max_concurrent_requests=1, db_pool_timeout_seconds=0.05, retry_after_seconds=3)
    answers = asyncio.run(burst(settings, 3))
    assert sorted(a.status_code for a in answers) == [200, 503, 503]
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["retry-after"] == "3"
    assert busy.json()["error"]["code"] == "server_busy"
