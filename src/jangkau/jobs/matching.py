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
        Part(
            points,
            SKILLS_MAX,
            f"{len(matched)} of {len(wanted)} skills wanted ({names})",
            f"{len(matched)} dari {len(wanted)} keahlian yang dicari ({names})",
        ),
        matched,
    )


def _district(preferred: frozenset[str], district: str) -> Part:
    if not preferred:
        return Part(DISTRICT_ANYWHERE, DISTRICT_MAX, "no preferred district: anywhere", "tidak memilih kecamatan")
    if district in preferred:
        return Part(DISTRICT_MAX, DISTRICT_MAX, f"{district} is a preferred district", f"{district} kecamatan pilihan")
    regency = district[:5]
    if any(code[:5] == regency for code in preferred):
        return Part(
            DISTRICT_SAME_REGENCY,
            DISTRICT_MAX,
            f"{district} is in the same regency/city as a preferred district",
            f"{district} satu kabupaten/kota dengan kecamatan pilihan",
        )
    return Part(0, DISTRICT_MAX, f"{district} is not near a preferred district", f"{district} jauh dari pilihan")


def _wage(expected: int | None, offered: int) -> Part:
    if not expected or offered >= expected:
        why = "no wage expectation" if not expected else f"offer Rp{offered:,} meets the Rp{expected:,} expected"
        why_id = "tanpa harapan upah" if not expected else f"tawaran Rp{offered:,} memenuhi harapan Rp{expected:,}"
        return Part(WAGE_MAX, WAGE_MAX, why, why_id)
    points = WAGE_MAX * offered // expected
    return Part(
        points,
        WAGE_MAX,
        f"offer Rp{offered:,} is below the Rp{expected:,} expected",
        f"tawaran Rp{offered:,} di bawah harapan Rp{expected:,}",
    )


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
