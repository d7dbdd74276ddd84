"""All SQL of the regions domain, and the territory-scope filter every people query uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from jangkau.db.engine import database_name
from jangkau.db.scope import scope_filter as scope_filter  # re-exported: older imports of it keep working
from jangkau.regions.codes import Level
from jangkau.regions.models import Region, RegionSource


def get(session: Session, code: str) -> Region | None:
    return session.get(Region, code)


# (database, code) pairs seen to exist, so that every registration does not ask again for its district and village.
# Only "exists" is remembered: region codes are never deleted (a reload of the tree keeps codes that disappeared).
_KNOWN: set[tuple[str, str]] = set()
_MAX_KNOWN = 200_000  # more than the 91,000 codes of the whole country


def exists(session: Session, code: str) -> bool:
    """Whether region ``code`` is in the tree (a positive answer is remembered for the process)."""
    key = (database_name(session), code)
    if key in _KNOWN:
        return True
    found = session.scalar(select(Region.code).where(Region.code == code)) is not None
    if found and len(_KNOWN) < _MAX_KNOWN:
        _KNOWN.add(key)
    return found


def children(session: Session, code: str) -> Sequence[Region]:
    return session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code)).all()


def descendants(session: Session, code: str, level: int) -> Sequence[Region]:
    """Regions at ``level`` inside ``code``."""
    return session.scalars(
        select(Region).where(Region.level == level, Region.code.like(code + ".%")).order_by(Region.code)
    ).all()


def count_by_level(session: Session) -> dict[int, int]:
    rows = session.execute(select(Region.level, func.count()).group_by(Region.level)).all()
    return {int(level): int(n) for level, n in rows}


def count_by_kind(session: Session) -> dict[str, int]:
    rows = session.execute(select(Region.kind, func.count()).group_by(Region.kind)).all()
    return {str(kind): int(n) for kind, n in rows}


def latest_source(session: Session) -> RegionSource | None:
    return session.scalars(select(RegionSource).order_by(RegionSource.id.desc()).limit(1)).first()


def is_empty(session: Session) -> bool:
    return session.scalar(select(Region.code).limit(1)) is None


def add_source(session: Session, source: RegionSource) -> RegionSource:
    session.add(source)
    session.flush()
    return source


def insert_regions(session: Session, rows: list[dict[str, object]]) -> None:
    """Bulk-insert region rows (dicts with the Region columns)."""
    session.execute(insert(Region), rows)


def existing_names(session: Session) -> dict[str, str]:
    """Every stored code and its name."""
    return dict(session.execute(select(Region.code, Region.name)).all())


def rename(session: Session, names_by_code: dict[str, str]) -> None:
    """Change the names of existing codes."""
    if names_by_code:
        session.execute(
            update(Region).where(Region.code == bindparam("b_code")).values(name=bindparam("b_name")),
            [{"b_code": code, "b_name": name} for code, name in names_by_code.items()],
        )


def repoint_source(session: Session, source_id: int) -> None:
    """Mark every region as coming from the latest load."""
    session.execute(update(Region).values(source_id=source_id))


def delete_all(session: Session) -> None:
    session.execute(delete(Region))


def names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Names of the given region codes."""
    wanted = set(codes)
    if not wanted:
        return {}
    return dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(wanted))).all())


def villages_in(session: Session, scope: Iterable[str], limit: int) -> list[Region]:
    """Villages inside the scope prefixes, at most ``limit`` (the country-wide prefix ``""`` contributes none)."""
    out: list[Region] = []
    for prefix in scope:
        if not prefix:
            continue
        if prefix.count(".") == 3:
            region = get(session, prefix)
            out += [region] if region else []
        else:
            out += descendants(session, prefix, int(Level.VILLAGE))
        if len(out) >= limit:
            break
    return out[:limit]


def by_name(session: Session, name: str, limit: int) -> list[Region]:
    """Regions whose name is ``name`` (any case), else whose name contains it: provinces first, then regencies,
    districts and villages, each by code."""
    wanted = name.strip().lower()
    exact = list(
        session.scalars(
            select(Region).where(func.lower(Region.name) == wanted).order_by(Region.level, Region.code).limit(limit)
        )
    )
    if exact:
        return exact
    pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        session.scalars(
            select(Region)
            .where(func.lower(Region.name).like(pattern, escape="\\"))
            .order_by(Region.level, Region.code)
            .limit(limit)
        )
    )


def up_to_regency(session: Session, level: int) -> Sequence[Region]:
    """Every region down to ``level`` (1: provinces; 2: and the regencies and cities), by code."""
    return session.scalars(select(Region).where(Region.level <= level).order_by(Region.code)).all()
