"""Linking outside evidence to employers: by registration number, by NPWP, else by fuzzy name and address.

Names are normalised before they are compared: legal forms (PT, CV, UD, Tbk, Koperasi...) and punctuation go,
case and spaces are folded. The similarity is a score 0-100 (name 80 %, address 20 % when both have one).
A link is made only when the best score reaches ``LINK_AT`` *and* beats the runner-up by ``MARGIN``; a close call
or a score between ``REVIEW_AT`` and ``LINK_AT`` goes to review, never silently attached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

LINK_AT = 90
REVIEW_AT = 70
MARGIN = 5
MAX_CANDIDATES = 5

_FORMS = {"pt", "cv", "ud", "tbk", "persero", "koperasi", "kop", "fa", "firma", "yayasan", "pd", "perum", "tb"}
_ABBREVIATIONS = {"jl": "jalan", "jln": "jalan", "no": "nomor", "gg": "gang", "kel": "kelurahan", "kec": "kecamatan"}
_PUNCTUATION = re.compile(r"[^0-9a-z ]+")


def normalise_name(name: str) -> str:
    """``PT. Maju-Jaya, Tbk`` -> ``maju jaya``: no legal form, no punctuation, lower case, single spaces."""
    words = _PUNCTUATION.sub(" ", name.lower().replace(".", " ")).split()
    kept = [w for w in words if w not in _FORMS]
    return " ".join(kept or words)


def normalise_address(address: str | None) -> str:
    """Lower case, no punctuation, common abbreviations written out (``Jl.`` -> ``jalan``)."""
    if not address:
        return ""
    words = _PUNCTUATION.sub(" ", address.lower().replace(".", " ")).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def digits(value: str | None) -> str:
    """Only the digits of an identifier (NPWP is written with dots and dashes)."""
    return "".join(c for c in (value or "") if c.isdigit())


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    sequence = SequenceMatcher(None, a, b).ratio()
    tokens_a, tokens_b = set(a.split()), set(b.split())
    jaccard = len(tokens_a & tokens_b) / len(tokens_a | tokens_b)
    return max(sequence, jaccard)


def similarity(name_a: str, address_a: str, name_b: str, address_b: str) -> int:
    """Score 0-100 of two normalised (name, address) pairs."""
    name = _ratio(name_a, name_b)
    if address_a and address_b:
        return round(100 * (0.8 * name + 0.2 * _ratio(address_a, address_b)))
    return round(100 * name)


@dataclass(frozen=True)
class Candidate:
    """An employer that might be the business a piece of evidence is about."""

    employer_id: int
    name: str
    score: int

    def as_dict(self) -> dict[str, object]:
        return {"employer_id": self.employer_id, "name": self.name, "score": self.score}


@dataclass(frozen=True)
class Link:
    """The outcome of linking one piece of evidence: ``linked``, ``review`` or ``unlinked``."""

    status: str
    employer_id: int | None
    method: str | None
    score: int | None
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class EmployerKey:
    """What is compared of an employer (normalised once per run)."""

    employer_id: int
    name: str
    norm_name: str
    norm_address: str


def fuzzy_link(name: str, address: str | None, employers: Iterable[EmployerKey]) -> Link:
    """Link by name and address similarity alone (registration number and NPWP did not match)."""
    norm_name, norm_address = normalise_name(name), normalise_address(address)
    scored = sorted(
        (
            Candidate(e.employer_id, e.name, similarity(norm_name, norm_address, e.norm_name, e.norm_address))
            for e in employers
        ),
        key=lambda c: (-c.score, c.employer_id),
    )
    top = [c for c in scored[:MAX_CANDIDATES] if c.score >= REVIEW_AT]
    if not top:
        return Link("unlinked", None, None, scored[0].score if scored else None)
    best = top[0]
    runner_up = top[1].score if len(top) > 1 else 0
    if best.score >= LINK_AT and best.score - runner_up >= MARGIN:
        return Link("linked", best.employer_id, "name", best.score, tuple(top))
    return Link("review", None, "name", best.score, tuple(top))
