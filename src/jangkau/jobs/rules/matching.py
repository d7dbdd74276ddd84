"""How well a seeker and a vacancy fit: a score out of 100 in three parts, each with its reason. Pure code.

- skills, up to 60: the share of the vacancy's skills the seeker has;
- district, up to 25: 25 when the vacancy's kecamatan is one the seeker prefers, 15 in the same regency/city as
  one they prefer, 10 when they named no preference (willing to work anywhere), else 0;
- wage, up to 15: 15 when the offer (as a monthly wage) meets what the seeker expects (or they expect nothing),
  else in proportion to the offer, rounded down.

Ties are broken by the lower id (the earlier profile or vacancy), so the order is stable. A pair with no skill in
common is not a match at all: the candidate search only looks at pairs sharing a skill.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jangkau.i18n import N_, bilingual

SKILLS_MAX = 60
DISTRICT_MAX = 25
DISTRICT_SAME_REGENCY = 15
DISTRICT_ANYWHERE = 10
WAGE_MAX = 15


@dataclass(frozen=True)
class Part:
    """One part of a score: points out of a maximum, and why (English and Bahasa Indonesia)."""

    points: int
    max: int
    why: str
    why_id: str

    def as_dict(self) -> dict[str, Any]:
        return {"points": self.points, "max": self.max, "why": self.why, "why_id": self.why_id}

    @classmethod
    def of(cls, points: int, maximum: int, why: str, **params: object) -> Part:
        """A part whose ``why`` is an English catalog msgid (``N_``), ``params`` filling it."""
        return cls(points, maximum, *bilingual(why, **params))


@dataclass(frozen=True)
class Score:
    """A total out of 100 and its three parts."""

    total: int
    skills: Part
    district: Part
    wage: Part
    matched_skills: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.total,
            "parts": {
                "skills": self.skills.as_dict(),
                "district": self.district.as_dict(),
                "wage": self.wage.as_dict(),
            },
            "matched_skills": list(self.matched_skills),
        }


def _skills(seeker_skills: frozenset[str], wanted: frozenset[str]) -> tuple[Part, tuple[str, ...]]:
    matched = tuple(sorted(seeker_skills & wanted))
    points = SKILLS_MAX * len(matched) // len(wanted) if wanted else 0
    names = ", ".join(matched) or "-"
    return (
        Part.of(
            points,
            SKILLS_MAX,
            N_("%(matched)s of %(wanted)s skills wanted (%(names)s)"),
            matched=len(matched),
            wanted=len(wanted),
            names=names,
        ),
        matched,
    )


def _district(preferred: frozenset[str], district: str) -> Part:
    if not preferred:
        return Part.of(DISTRICT_ANYWHERE, DISTRICT_MAX, N_("no preferred district: anywhere"))
    if district in preferred:
        return Part.of(DISTRICT_MAX, DISTRICT_MAX, N_("%(district)s is a preferred district"), district=district)
    regency = district[:5]
    if any(code[:5] == regency for code in preferred):
        return Part.of(
            DISTRICT_SAME_REGENCY,
            DISTRICT_MAX,
            N_("%(district)s is in the same regency/city as a preferred district"),
            district=district,
        )
    return Part.of(0, DISTRICT_MAX, N_("%(district)s is not near a preferred district"), district=district)


def _wage(expected: int | None, offered: int) -> Part:
    if not expected or offered >= expected:
        if not expected:
            return Part.of(WAGE_MAX, WAGE_MAX, N_("no wage expectation"))
        text = N_("offer Rp%(offered)s meets the Rp%(expected)s expected")
        return Part.of(WAGE_MAX, WAGE_MAX, text, offered=f"{offered:,}", expected=f"{expected:,}")
    points = WAGE_MAX * offered // expected
    text = N_("offer Rp%(offered)s is below the Rp%(expected)s expected")
    return Part.of(points, WAGE_MAX, text, offered=f"{offered:,}", expected=f"{expected:,}")


def score(
    seeker_skills: Iterable[str],
    preferred_districts: Iterable[str],
    expected_wage: int | None,
    wanted_skills: Iterable[str],
    district: str,
    monthly_wage: int,
) -> Score:
    """Score one seeker against one vacancy.

    Args:
        seeker_skills: the seeker's skill slugs.
        preferred_districts: kecamatan codes the seeker prefers (empty: anywhere).
        expected_wage: the monthly wage the seeker hopes for, or None.
        wanted_skills: the vacancy's skill slugs.
        district: the vacancy's kecamatan code.
        monthly_wage: the offer as a monthly wage.

    Returns:
        The total and its parts.
    """
    skills, matched = _skills(frozenset(seeker_skills), frozenset(wanted_skills))
    place = _district(frozenset(p for p in preferred_districts if p), district)
    wage = _wage(expected_wage, monthly_wage)
    return Score(skills.points + place.points + wage.points, skills, place, wage, matched)


def points(
    seeker_skills: frozenset[str],
    preferred_districts: frozenset[str],
    expected_wage: int | None,
    wanted_skills: frozenset[str],
    district: str,
    monthly_wage: int,
) -> int:
    """The same total as :func:`score`, without building the reasons: used to rank many candidates quickly."""
    total = SKILLS_MAX * len(seeker_skills & wanted_skills) // len(wanted_skills) if wanted_skills else 0
    if not preferred_districts:
        total += DISTRICT_ANYWHERE
    elif district in preferred_districts:
        total += DISTRICT_MAX
    elif any(code[:5] == district[:5] for code in preferred_districts):
        total += DISTRICT_SAME_REGENCY
    if not expected_wage or monthly_wage >= expected_wage:
        return total + WAGE_MAX
    return total + WAGE_MAX * monthly_wage // expected_wage


def best_ids(ranked: Iterable[tuple[int, int]], limit: int) -> list[int]:
    """Ids of the ``limit`` best (id, points) pairs: highest points first, then the lower id."""
    return [i for i, _ in heapq.nsmallest(limit, ranked, key=lambda pair: (-pair[1], pair[0]))]


def split(text: str | None) -> list[str]:
    """A comma-separated column as a list."""
    return [item for item in (text or "").split(",") if item]


def top(scored: Iterable[tuple[int, Score]], limit: int) -> list[tuple[int, Score]]:
    """The ``limit`` best (id, score) pairs: highest score first, then the lower id."""
    return heapq.nsmallest(limit, scored, key=lambda pair: (-pair[1].total, pair[0]))
