"""Quiet hours: no message between 21:00 and 07:00 in the person's time zone (WIB, WITA or WIT by province).

Indonesia has three zones (Law 1987 / Keppres 41/1987): WIB (UTC+7) for Sumatra, Java, West and Central
Kalimantan; WITA (UTC+8) for Bali, Nusa Tenggara, South, East and North Kalimantan and Sulawesi; WIT (UTC+9) for
Maluku and Papua. The province is the first two digits of the Kemendagri region code.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96", "97"})
QUIET_FROM = dt.time(21, 0)
QUIET_UNTIL = dt.time(7, 0)


def zone_of(region_code: str | None) -> ZoneInfo:
    """The time zone of a region (WIB when the region is unknown)."""
    province = (region_code or "")[:2]
    if province in WIT_PROVINCES:
        return WIT
    if province in WITA_PROVINCES:
        return WITA
    return WIB


def is_quiet(at: dt.datetime, region_code: str | None) -> bool:
    """Whether ``at`` (aware) falls in the quiet hours of the region's zone."""
    local = at.astimezone(zone_of(region_code)).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def next_allowed(at: dt.datetime, region_code: str | None) -> dt.datetime:
    """``at`` itself outside quiet hours, else the next 07:00 local time (in UTC): deferred, never dropped."""
    if not is_quiet(at, region_code):
        return at.astimezone(dt.UTC)
    zone = zone_of(region_code)
    local = at.astimezone(zone)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, QUIET_UNTIL, zone).astimezone(dt.UTC)
