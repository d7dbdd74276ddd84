"""``demo seed``: fill a region with a synthetic but realistic population, district by district.

Each district is one step: generated from its own random stream, inserted and committed together with a
checkpoint. A crash leaves whole districts; the next run with the same region, scale and seed resumes after the
last committed one. ``replace`` removes all demo rows first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, literal_column, select
from sqlalchemy.orm import Session, sessionmaker

from jangkau.db.checkpoint import delete_checkpoints, get_checkpoint, save_checkpoint
from jangkau.db.uow import unit_of_work
from jangkau.demo.errors import DemoExists, DemoScaleUnknown, RegionHasNoVillages
from jangkau.demo.generator import (
    Context,
    DemoEmployer,
    DistrictBatch,
    NikAllocator,
    employer_rows,
    employer_weight,
    generate_district,
    village_sizes,
)
from jangkau.regions import repository as regions
from jangkau.regions.codes import Level
from jangkau.regions.service import require_region
from jangkau.registry.models import Employer, Household, Membership, Person

SCALES = {"small": 5_000, "medium": 100_000, "large": 1_000_000}
JOB = "demo_seed"
DEFAULT_AS_OF = dt.date(2026, 11, 1)


@dataclass
class SeedReport:
    region: str
    scale: str
    seed: int
    districts: int
    districts_done_before: int
    persons: int
    households: int
    employers: int
    memberships: int


Progress = Callable[[str, int, int], None]


def seed_demo(
    factory: sessionmaker[Session],
    region: str,
    scale: str,
    seed: int,
    as_of: dt.date = DEFAULT_AS_OF,
    replace: bool = False,
    on_progress: Progress | None = None,
) -> SeedReport:
    """Seed (or resume seeding) a demo population in ``region``.

    Args:
        factory: session factory; each district commits in its own unit of work.
        region: a regency/city code such as ``12.71`` (or a district or province code).
        scale: ``small`` (5k people), ``medium`` (100k) or ``large`` (1M).
        seed: random seed; the same seed gives the same people.
        as_of: the date the population is "now" (ages, membership dates).
        replace: delete every earlier demo row first.
        on_progress: called with (district code, districts done, districts total).

    Raises:
        InvalidInput: unknown scale or region, or a region without villages.
        Conflict: a different demo seed is already in the database (use ``replace``).
    """
    if scale not in SCALES:
        raise DemoScaleUnknown(SCALES)
    with unit_of_work(factory) as session:
        region = require_region(session, region, "region")
        key = f"{region}:{scale}:{seed}:{as_of.isoformat()}"
        if replace:
            _delete_demo(session)
        done_before = _check_resumable(session, key)
        villages = regions.descendants(session, region, Level.VILLAGE.value)
        if not villages:
            raise RegionHasNoVillages(region)
        by_district: dict[str, list[str]] = {}
        for village in villages:
            by_district.setdefault(village.parent_code or "", []).append(village.code)
        origin = [r.code for r in regions.descendants(session, region.split(".")[0], Level.DISTRICT.value)]
        if done_before == 0:
            _seed_employers(session, region, [v.code for v in villages], SCALES[scale], seed)
            save_checkpoint(session, JOB, key, 0, len(by_district))
    ctx = _context(factory, region, seed, as_of, origin)
    sizes = village_sizes(random.Random(f"{seed}:sizes"), [v.code for v in villages], SCALES[scale])
    districts = sorted(by_district)
    for number, district in enumerate(districts, start=1):
        if number <= done_before:
            continue
        ctx.rng = random.Random(f"{seed}:{district}")
        batch = generate_district(ctx, district, {v: sizes[v] for v in by_district[district]})
        with unit_of_work(factory) as session:
            _insert_batch(session, batch)
            save_checkpoint(
                session, JOB, key, number, len(districts), "done" if number == len(districts) else "running"
            )
        if on_progress:
            on_progress(district, number, len(districts))
    with unit_of_work(factory) as session:
        counts = _demo_counts(session)
    return SeedReport(region, scale, seed, len(districts), done_before, **counts)


def _check_resumable(session: Session, key: str) -> int:
    checkpoint = get_checkpoint(session, JOB, key)
    if checkpoint is not None:
        return checkpoint.units_done
    other = session.scalar(select(func.count()).select_from(Person).where(Person.registered_by_kind == "demo"))
    if other:
        raise DemoExists(other)
    return 0


def _seed_employers(session: Session, region: str, villages: list[str], people: int, seed: int) -> None:
    rng = random.Random(f"{seed}:employers")
    rows = employer_rows(rng, region.replace(".", ""), villages, max(20, people // 150))
    session.execute(insert(Employer), rows)


def _context(factory: sessionmaker[Session], region: str, seed: int, as_of: dt.date, origin: list[str]) -> Context:
    with unit_of_work(factory) as session:
        rows = session.execute(
            select(Employer.id, Employer.size_class, Employer.business_sector)
            .where(Employer.registered_by_kind == "demo")
            .order_by(Employer.registration_number)
        ).all()
        prefix = func.substr(Person.nik, literal_column("1"), literal_column("12"))
        serial = func.substr(Person.nik, literal_column("13"), literal_column("4"))
        serials = session.execute(select(prefix, func.max(serial)).group_by(prefix)).all()
    rng = random.Random(f"{seed}:weights")
    employers = [DemoEmployer(r.id, r.size_class, r.business_sector, employer_weight(r.size_class, rng)) for r in rows]
    return Context(
        rng=rng,
        as_of=as_of,
        employers=employers,
        employer_cum_weights=list(itertools.accumulate(e.weight for e in employers)),
        origin_districts=origin or [region],
        niks=NikAllocator({p: int(s) for p, s in serials}),
    )


def _insert_batch(session: Session, batch: DistrictBatch) -> None:
    household_ids = session.scalars(
        insert(Household).returning(Household.id, sort_by_parameter_order=True), batch.households
    ).all()
    for person, household in zip(batch.persons, batch.person_household, strict=True):
        person["household_id"] = household_ids[household]
    person_ids = session.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True), batch.persons).all()
    for membership, person_index in zip(batch.memberships, batch.membership_person, strict=True):
        membership["person_id"] = person_ids[person_index]
        membership["registered_by_kind"] = "demo"
        membership["registered_by_label"] = "demo seed"
    if batch.memberships:
        session.execute(insert(Membership), batch.memberships)


def _delete_demo(session: Session) -> None:
    demo_people = select(Person.id).where(Person.registered_by_kind == "demo")
    session.execute(delete(Membership).where(Membership.person_id.in_(demo_people)))
    session.execute(delete(Person).where(Person.registered_by_kind == "demo"))
    in_use = select(Person.household_id).where(Person.household_id.is_not(None))
    session.execute(delete(Household).where(~Household.id.in_(in_use)))
    session.execute(delete(Employer).where(Employer.registered_by_kind == "demo"))
    delete_checkpoints(session, JOB)


def _demo_counts(session: Session) -> dict[str, int]:
    def count(model: type[Person] | type[Employer] | type[Membership]) -> int:
        return int(
            session.scalar(select(func.count()).select_from(model).where(model.registered_by_kind == "demo")) or 0
        )

    households = (
        session.scalar(
            select(func.count(func.distinct(Person.household_id))).where(Person.registered_by_kind == "demo")
        )
        or 0
    )
    return {
        "persons": count(Person),
        "households": int(households),
        "employers": count(Employer),
        "memberships": count(Membership),
    }
