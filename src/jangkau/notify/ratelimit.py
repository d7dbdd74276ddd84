"""Per-channel rate limits (``JANGKAU_NOTIFY_RATE_<CHANNEL>``, e.g. ``20/second``) on the ``limits`` library.

The counters live in ``JANGKAU_RATE_LIMIT_STORAGE`` (memory, or Redis shared by every worker). A sender that hits
the limit waits for the window to open again; nothing is dropped. Permits are taken from the shared counter a
tenth of the window at a time (``cost=``), so a fast sender does not pay a storage round trip per message.
"""

from __future__ import annotations

import threading
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


_PERMITS: dict[str, int] = {}  # permits taken from the shared counter and not used yet, per channel
_LOCK = threading.Lock()


def _chunk(item: RateLimitItem) -> int:
    """Permits taken per call to the shared counter: a tenth of the window's amount (at least 1), so that a fast
    sender does not pay one storage round trip per message."""
    return max(1, item.amount // 10)


def wait_for(channel: str, max_wait: float = 60.0) -> float:
    """Count one message on ``channel``, first waiting while its limit is used up. Returns the seconds waited."""
    item = limit_of(channel)
    if item is None:
        return 0.0
    with _LOCK:
        if _PERMITS.get(channel, 0) > 0:
            _PERMITS[channel] -= 1
            return 0.0
    limiter, chunk = _limiter(), _chunk(item)
    waited = 0.0
    while not limiter.hit(item, "notify", channel, cost=chunk) and waited < max_wait:
        stats = limiter.get_window_stats(item, "notify", channel)
        pause = min(max(stats.reset_time - time.time(), 0.005), 1.0)
        time.sleep(pause)
        waited += pause
    with _LOCK:
        _PERMITS[channel] = _PERMITS.get(channel, 0) + chunk - 1
    return waited


def reset() -> None:
    """Forget the settings and counters (tests)."""
    _limiter.cache_clear()
    limit_of.cache_clear()
    _PERMITS.clear()
