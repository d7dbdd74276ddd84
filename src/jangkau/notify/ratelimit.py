"""Per-channel rate limits (``JANGKAU_NOTIFY_RATE_<CHANNEL>``, e.g. ``20/second``) on the ``limits`` library.

The counters live in ``JANGKAU_RATE_LIMIT_STORAGE`` (memory, or Redis shared by every worker). A sender that hits
the limit waits for the window to open again; nothing is dropped.
"""

from __future__ import annotations

import time
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from jangkau.config import get_settings


@lru_cache(maxsize=1)
def _limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(get_settings().rate_limit_storage))


@lru_cache(maxsize=8)
def limit_of(channel: str) -> RateLimitItem | None:
    """The configured limit of ``channel`` (None for the log channel)."""
    text = getattr(get_settings(), f"notify_rate_{channel}", "")
    return parse(text) if text else None


def wait_for(channel: str, max_wait: float = 60.0) -> float:
    """Count one message on ``channel``, first waiting while its limit is used up. Returns the seconds waited."""
    item = limit_of(channel)
    if item is None:
        return 0.0
    limiter = _limiter()
    waited = 0.0
    while not limiter.hit(item, "notify", channel) and waited < max_wait:
        stats = limiter.get_window_stats(item, "notify", channel)
        pause = min(max(stats.reset_time - time.time(), 0.005), 1.0)
        time.sleep(pause)
        waited += pause
    return waited


def reset() -> None:
    """Forget the settings and counters (tests)."""
    _limiter.cache_clear()
    limit_of.cache_clear()
