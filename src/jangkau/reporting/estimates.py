"""Workforce estimates (the denominator of the coverage rate) and coverage targets.

Estimates are per village or per district, never both for the same place (so sums up the tree count nobody
twice). An import is all or nothing: one bad line and nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import Principal
from jangkau.errors import N_, FieldError, bilingual
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level, normalise_code
from jangkau.registry.models import Person
from jangkau.reporting import repository as repo
from jangkau.reporting.errors import (
    EstimatesFileUnreadable,
    EstimatesInvalid,
    RegionNotFound,
    TargetNotPositive,
)
from jangkau.reporting.models import CoverageTarget

MAX_ERRORS_SHOWN = 20
# Demo assumption, not a statistic for a real place: share of people aged 15-64 in the labour force.
DEMO_LFPR_BP = 6_900
DEMO_SOURCE = "DEMO ESTIMATE: working-age (15-64) demo residents x labour-force participation {rate} % (assumed)"


def import_estimates(session: Session, principal: Principal, content: bytes, year: int, source: str) -> dict[str, Any]:
    """Import a CSV ``region_code,workers`` (villages or districts) for ``year``, replacing those regions' rows.

    Args:
        session: the unit of work's session.
        principal: who imports; every code must lie inside their territory.
        content: the CSV file (UTF-8, header ``region_code,workers``).
        year: the year the estimates describe.
        source: where the numbers come from (shown next to every rate).

    Returns:
        How many rows were stored.

    Raises:
        InvalidInput: a bad header, a negative or non-integer number, an unknown code or one outside the territory,
            a province/regency code, a repeated code, or a code overlapping an estimate at another level.
    """
    rows, errors = _parse(content)
    known = regions.names(session, [r["region_code"] for r in rows])
    existing = repo.estimate_codes(session, year) - {r["region_code"] for r in rows}
    codes = {r["region_code"] for r in rows}
    for row in rows:
        code, line = row["region_code"], row["line"]
        if code not in known:
            errors.append(_line_error(line, N_("unknown region code %(code)s"), code=code))
        elif not principal.sees(code):
            errors.append(_line_error(line, N_("%(code)s is outside your territory"), code=code))
        elif _overlaps(code, codes | existing):
            errors.append(_line_error(line, N_("%(code)s overlaps another estimate"), code=code))
    if errors:
        raise EstimatesInvalid(errors, MAX_ERRORS_SHOWN)
    now = dt.datetime.now(dt.UTC)
    stored = [
        {
            "region_code": r["region_code"],
            "year": year,
            "workers": r["workers"],
            "source": source[:200],
            "is_demo": source.upper().startswith("DEMO"),
            "imported_at": now,
            "imported_by": principal.username,
        }
        for r in rows
    ]
    repo.replace_estimates(session, year, stored)
    repo.refresh_workforce(session, [year])
    return {"year": year, "stored": len(stored), "source": source}


def _overlaps(code: str, others: set[str]) -> bool:
    return any(o != code and (o.startswith(code + ".") or code.startswith(o + ".")) for o in others)


def _parse(content: bytes) -> tuple[list[dict[str, Any]], list[FieldError]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EstimatesFileUnreadable(N_("not UTF-8 text")) from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header[:2] != ["region_code", "workers"]:
        raise EstimatesFileUnreadable(N_("the first line must be: region_code,workers"))
    rows: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    for line, record in enumerate(reader, start=2):
        if not record or not "".join(record).strip():
            continue
        code = normalise_code(record[0])
        raw = record[1].strip().replace(".", "") if len(record) > 1 else ""
        if code.count(".") not in (Level.DISTRICT - 1, Level.VILLAGE - 1):
            errors.append(_line_error(line, N_("%(code)r is not a district or village code"), code=code))
        elif code in seen:
            errors.append(_line_error(line, N_("%(code)s appears twice"), code=code))
        elif not raw.lstrip("-").isdigit() or int(raw) < 0:
            errors.append(_line_error(line, N_("workers must be a whole number >= 0, got %(got)s"), got=record[1:2]))
        else:
            rows.append({"region_code": code, "workers": int(raw), "line": line})
        seen.add(code)
    if not rows and not errors:
        raise EstimatesFileUnreadable(N_("no estimate rows"))
    return rows, errors


def demo_estimates(
    session: Session, principal: Principal, region: str, year: int, lfpr_bp: int = DEMO_LFPR_BP
) -> dict[str, Any]:
    """Estimate every village of ``region`` from the demo population: residents aged 15-64 on 1 January of
    ``year`` times an assumed labour-force participation rate; labelled a demo estimate everywhere it shows.

    Raises:
        NotFound: the region does not exist or lies outside the caller's territory.
    """
    if regions.get(session, region) is None or not principal.sees(region):
        raise RegionNotFound(region, scoped=False)
    jan1 = dt.date(year, 1, 1)
    oldest, youngest = dt.date(year - 65, 1, 2), dt.date(year - 15, 1, 1)
    counts = session.execute(
        select(Person.village_code, func.count())
        .where(Person.village_code.like(region + ".%"), Person.birth_date.between(oldest, youngest))
        .group_by(Person.village_code)
    ).all()
    source = DEMO_SOURCE.format(rate=f"{lfpr_bp / 100:.1f}".replace(".", ","))
    lines = ["region_code,workers"] + [f"{v},{(n * lfpr_bp + 5_000) // 10_000}" for v, n in counts]
    result = import_estimates(session, principal, "\n".join(lines).encode(), year, source)
    return {**result, "as_of": jan1, "lfpr_bp": lfpr_bp}


def set_target(
    session: Session, principal: Principal, region: str, year: int, target_active: int, note: str | None = None
) -> CoverageTarget:
    """Set the active-member target of a region for a year (reporting's own table until outreach provides one).

    Raises:
        InvalidInput: a target that is not a positive number.
        NotFound: the region does not exist or lies outside the caller's territory.
    """
    if target_active <= 0:
        raise TargetNotPositive
    if (region != "ID" and regions.get(session, region) is None) or not principal.sees(
        "" if region == "ID" else region
    ):
        raise RegionNotFound(region, scoped=False)
    return repo.put_target(
        session,
        CoverageTarget(
            region_code=region, year=year, target_active=target_active, note=note, set_by=principal.username
        ),
    )


def _line_error(line: int, text: str, **params: object) -> FieldError:
    return FieldError(f"line {line}", *bilingual(text, **params))
