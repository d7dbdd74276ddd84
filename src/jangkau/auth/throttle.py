"""Rate limits on the ``limits`` library: login backoff, the public coverage check, one-time codes.

Counters live outside the database transaction (memory by default; ``JANGKAU_RATE_LIMIT_STORAGE=redis://...``
when several processes serve), so a refused request that rolls back still counts. Keys never hold a NIK or a
phone number in clear: callers pass :func:`digest` of them.
"""

from __future__ import annotations

import hashlib
import math
import time
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from jangkau.auth.errors import Throttled as Throttled  # re-exported for callers of the throttle
from jangkau.config import get_settings


class Throttle:
    """Named limits ("5/15 minutes") counted per key in one storage."""

    def __init__(self, storage_uri: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, limit: str, *key: str) -> None:
        """Count one attempt; raise :class:`Throttled` when ``limit`` is already used up for ``key``."""
        item = parse(limit)
        if not self._limiter.hit(item, *key):
            raise Throttled(self.retry_after(item, *key))

    def allowed(self, limit: str, *key: str) -> bool:
        """Whether one more attempt would pass, without counting it."""
        return self._limiter.test(parse(limit), *key)

    def retry_after(self, item: RateLimitItem, *key: str) -> int:
        stats = self._limiter.get_window_stats(item, *key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def clear(self, limit: str, *key: str) -> None:
        self._limiter.clear(parse(limit), *key)


@lru_cache(maxsize=4)
def _throttle(storage_uri: str) -> Throttle:
    return Throttle(storage_uri)


def get_throttle() -> Throttle:
    """The process-wide throttle on the configured storage."""
    return _throttle(get_settings().rate_limit_storage)


def reset_throttles() -> None:
    """Forget every counter (tests; a restart does the same for the memory storage)."""
    _throttle.cache_clear()


def digest(value: str) -> str:
    """A keyed hash of a NIK, phone or username for use as a counter key (never the value in clear)."""
    return hashlib.blake2b(value.encode(), key=get_settings().secret_key.encode()[:64], digest_size=16).hexdigest()
