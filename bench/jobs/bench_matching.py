"""Jobs search benchmark: 100k seekers and 10k vacancies, ours vs a naive baseline, in the same run.

Seeds a fresh database (SQLite by default; ``--postgres URL`` uses a scratch PostgreSQL database): the Kota Medan and
Deli Serdang region tree, N persons with a seeker profile each (1-4 skills from 60, drawn with Zipf-like weights so
some skills are common, 0-2 preferred kecamatan, an expected wage or none), 300 employers and M vacancies (1-4
skills, 90 % open). Then times, per query, p50/p95 over the same random sample:

- ``seekers_for_vacancy``: ours = the service (points computed in the database from the seekers' skill rows, top 20
  by points then id, explained and fetched); baseline = every looking seeker loaded and given the same points in
  Python, then the same top 20 fetched;
- ``vacancies_for_seeker``: ours = the service (points in the database, top 20, the employers' standings read for the
  page at once); baseline = every open vacancy loaded and given the same points, standings read one by one;
- ``vacancy_search``: ours = the service's search (words + region + skill index, a page of 20 with standings);
  baseline = all open vacancies loaded and filtered in Python;
- ``seekers_by_skill``: ours = the skill rows alone (count + page of 50); baseline = ``LIKE '%skill%'`` on the
  text column.

Ours and the baseline must return the same ranked ids; the run stops otherwise. One JSON line per figure on stdout
and in ``bench/out/jobs.jsonl``.

    .venv/bin/python bench/jobs/bench_matching.py --seekers 100000 --vacancies 10000 --queries 40
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from jangkau.auth.principal import OPERATOR
from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.jobs import repository as repo
from jangkau.jobs import service
from jangkau.jobs.models import Seeker, SeekerSkill, Vacancy, VacancySkill
from jangkau.jobs.rules import matching
from jangkau.kit.pagination import PageRequest
from jangkau.regions.service import load_region_tree
from jangkau.regions.source import RegionDataset, load_dataset
from jangkau.registry.models import Employer, Person

OUT = Path(__file__).resolve().parents[1] / "out"
SKILLS = [f"skill_{i:02d}" for i in range(60)]
WEIGHTS = [1 / (i + 1) for i in range(60)]
CHUNK = 10_000


def emit(**fields: object) -> None:
    line = json.dumps({"bench": "jobs", **fields})
    print(line, flush=True)
    with (OUT / "jobs.jsonl").open("a") as out:
        out.write(line + "\n")


def _skills(rng: random.Random) -> list[str]:
    return sorted(set(rng.choices(SKILLS, WEIGHTS, k=rng.randint(1, 4))))


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start : start + CHUNK])


def seed(session: Session, seekers: int, vacancies: int, rng: random.Random) -> None:
    full = load_dataset()
    records = [r for r in full.records if r.code.startswith(("12.71", "12.07")) or r.code.count(".") == 0]
    load_region_tree(session, RegionDataset(full.source, full.version, full.decree, records))
    villages = [r.code for r in records if r.code.count(".") == 3 and r.code.startswith("12.71")]
    districts = [r.code for r in records if r.code.count(".") == 2]
    now = dt.datetime.now(dt.UTC)
    stamp = {"created_at": now, "updated_at": now}
    people, profiles, skill_rows = [], [], []
    for i in range(1, seekers + 1):
        nik = f"127101{1 + i % 28:02d}{1 + (i // 28) % 12:02d}{70 + (i // 336) % 30:02d}{1 + i // 10080:04d}"
        people.append(
            {
                "id": i,
                "nik": nik,
                "full_name": f"Pencari {i}",
                "sex": "L",
                "birth_date": dt.date(1995, 1, 1),
                "village_code": rng.choice(villages),
                "registered_by_kind": "demo",
                "is_vulnerable": False,
                **stamp,
            }
        )
        skills = _skills(rng)
        profile = {
            "id": i,
            "person_id": i,
            "education": "sma",
            "experience_years": rng.randint(0, 10),
            "skills": ",".join(skills),
            "preferred_districts": ",".join(sorted(set(rng.sample(districts, rng.randint(0, 2))))),
            "expected_wage": rng.choice([None, rng.randrange(3_500_000, 7_000_000, 100_000)]),
            "availability": "not_looking" if rng.random() < 0.05 else "now",
            "maintained_by_kind": "operator",
            **stamp,
        }
        profiles.append(profile)
        copies = {  # what repository.replace_seeker_skills writes on each skill row
            "looking": profile["availability"] != "not_looking",
            "expected_wage": profile["expected_wage"],
            "preferred_districts": profile["preferred_districts"],
        }
        skill_rows += [{"seeker_id": i, "skill": s, **copies} for s in skills]
    _insert(session, Person, people)
    _insert(session, Seeker, profiles)
    _insert(session, SeekerSkill, skill_rows)
    employers = [
        {
            "id": e,
            "registration_number": f"B{e:06d}",
            "name": f"PT Bench {e}",
            "business_sector": "industri",
            "size_class": "medium",
            "jkk_risk_group": 2,
            "village_code": rng.choice(villages),
            "registered_by_kind": "demo",
            **stamp,
        }
        for e in range(1, 301)
    ]
    _insert(session, Employer, employers)
    jobs, wanted = [], []
    for v in range(1, vacancies + 1):
        skills, wage = _skills(rng), rng.randrange(4_100_000, 8_000_000, 50_000)
        open_ = rng.random() < 0.9
        jobs.append(
            {
                "id": v,
                "employer_id": rng.randint(1, 300),
                "title": f"Lowongan {rng.choice(['operator', 'kasir', 'staf', 'teknisi'])} {v}",
                "sector": rng.choice(["garmen", "ritel", "logistik", "konstruksi"]),
                "skills": ",".join(skills),
                "wage_offered": wage,
                "wage_period": "month",
                "monthly_wage": wage,
                "district_code": rng.choice(districts),
                "contract_type": "pkwt",
                "openings": 1,
                "status": "open" if open_ else "closed",
                "wage_check": "{}",
                "posted_by": "bench",
                **stamp,
            }
        )
        if open_:
            wanted += [{"vacancy_id": v, "skill": s} for s in skills]
    _insert(session, Vacancy, jobs)
    _insert(session, VacancySkill, wanted)


def naive_seekers(session: Session, vacancy_id: int) -> list[tuple[int, int]]:
    vacancy = session.get(Vacancy, vacancy_id)
    assert vacancy is not None
    wanted = frozenset(matching.split(vacancy.skills))
    rows = session.execute(
        select(Seeker.id, Seeker.skills, Seeker.preferred_districts, Seeker.expected_wage).where(
            Seeker.availability != "not_looking"
        )
    ).all()
    ranked = []
    for sid, s, p, w in rows:
        have = frozenset(s.split(","))
        if have & wanted:
            prefs = frozenset(matching.split(p))
            ranked.append((sid, matching.points(have, prefs, w, wanted, vacancy.district_code, vacancy.monthly_wage)))
    ids = matching.best_ids(ranked, 20)
    repo.seekers_with_people(session, ids)
    points = dict(ranked)
    return [(sid, points[sid]) for sid in ids]


def naive_vacancies(session: Session, seeker_id: int) -> list[tuple[int, int]]:
    seeker = session.get(Seeker, seeker_id)
    assert seeker is not None
    skills, prefs = frozenset(matching.split(seeker.skills)), frozenset(matching.split(seeker.preferred_districts))
    rows = session.execute(
        select(Vacancy.id, Vacancy.skills, Vacancy.district_code, Vacancy.monthly_wage).where(Vacancy.status == "open")
    ).all()
    ranked = []
    for vid, s, d, w in rows:
        wanted = frozenset(s.split(","))
        if wanted & skills:
            ranked.append((vid, matching.points(skills, prefs, seeker.expected_wage, wanted, d, w)))
    ids = matching.best_ids(ranked, 20)
    found = repo.vacancies_with_employers(session, ids)
    cache: dict[int, dict[str, Any]] = {}
    for vid in ids:
        service.standing_of(session, found[vid][1].id, cache)
    points = dict(ranked)
    return [(vid, points[vid]) for vid in ids]


def naive_search(session: Session, words: str, region: str, skill: str) -> list[int]:
    rows = session.execute(select(Vacancy).where(Vacancy.status == "open")).scalars().all()
    hits = [
        v
        for v in rows
        if (words in v.title.lower() or words in v.sector.lower())
        and (v.district_code == region or v.district_code.startswith(region + "."))
    ]
    hits = [v for v in hits if skill in matching.split(v.skills)]
    hits.sort(key=lambda v: -v.id)
    found = repo.vacancies_with_employers(session, [v.id for v in hits[:20]])
    cache: dict[int, dict[str, Any]] = {}
    for _vacancy, employer in found.values():
        service.standing_of(session, employer.id, cache)
    return [v.id for v in hits[:20]]


def timed(factory: sessionmaker[Session], call: Callable[[Session], Any]) -> tuple[float, Any]:
    with unit_of_work(factory) as session:
        start = time.perf_counter()
        out = call(session)
        return (time.perf_counter() - start) * 1000, out


def measure(
    factory: sessionmaker[Session],
    name: str,
    db: str,
    sizes: dict[str, int],
    ours: Callable[[Session], Any],
    naive: Callable[[Session], Any],
    samples: list[Any],
) -> None:
    times: dict[str, list[float]] = {"ours": [], "baseline": []}
    for sample in samples:
        t_ours, a = timed(factory, lambda s, x=sample: ours(s, x))
        t_naive, b = timed(factory, lambda s, x=sample: naive(s, x))
        if a != b:
            raise SystemExit(f"{name}: ours and the baseline disagree for {sample}: {a} vs {b}")
        times["ours"].append(t_ours)
        times["baseline"].append(t_naive)
    for impl, values in times.items():
        values.sort()
        emit(
            db=db,
            query=name,
            impl=impl,
            n=len(values),
            p50_ms=round(statistics.median(values), 2),
            p95_ms=round(values[max(0, int(len(values) * 0.95) - 1)], 2),
            **sizes,
        )


def engine_for(postgres: str | None, seekers: int) -> tuple[Engine, str]:
    if not postgres:
        path = OUT / f"jobs_bench_{seekers}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return make_engine(f"sqlite:///{path}"), "sqlite"
    url = make_url(postgres)
    admin = create_engine(url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "jangkau_bench_jobs" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "jangkau_bench_jobs"'))
    admin.dispose()
    return make_engine(url.set(database="jangkau_bench_jobs").render_as_string(hide_password=False)), "postgresql"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--postgres", default=None, help="PostgreSQL server URL (a scratch database is created)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    engine, db = engine_for(args.postgres, args.seekers)
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        seed(session, args.seekers, args.vacancies, rng)
    if db == "postgresql":
        # VACUUM ANALYZE, as autovacuum would have done on a live database: statistics and the visibility map
        # (index-only scans), outside a transaction
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    sizes = {"seekers": args.seekers, "vacancies": args.vacancies}
    emit(db=db, query="seed", impl="-", seconds=round(time.perf_counter() - started, 1), **sizes)
    with unit_of_work(factory) as session:
        open_ids = session.scalars(select(Vacancy.id).where(Vacancy.status == "open")).all()
        looking = session.scalars(select(Seeker.id).where(Seeker.availability != "not_looking")).all()
        common = session.scalar(select(func.count()).select_from(SeekerSkill).where(SeekerSkill.skill == SKILLS[0]))
    emit(db=db, query="data", impl="-", open_vacancies=len(open_ids), seekers_with_most_common_skill=common, **sizes)
    vacancy_sample = rng.sample(list(open_ids), args.queries)
    seeker_sample = rng.sample(list(looking), args.queries)

    def ours_seekers(session: Session, vid: int) -> list[tuple[int, int]]:
        return [(m["id"], m["score"]) for m in service.seekers_for_vacancy(session, vid, OPERATOR)["items"]]

    def ours_vacancies(session: Session, sid: int) -> list[tuple[int, int]]:
        return [(m["id"], m["score"]) for m in service.vacancies_for_seeker(session, sid, OPERATOR)["items"]]

    measure(factory, "seekers_for_vacancy", db, sizes, ours_seekers, naive_seekers, vacancy_sample)
    measure(factory, "vacancies_for_seeker", db, sizes, ours_vacancies, naive_vacancies, seeker_sample)
    searches = [
        (
            rng.choice(["operator", "kasir", "garmen", "ritel"]),
            rng.choice(["12.71", "12.71.01", "12.07"]),
            rng.choice(SKILLS[:10]),
        )
        for _ in range(args.queries)
    ]

    def ours_search(session: Session, q: tuple[str, str, str]) -> list[int]:
        found = service.search_vacancies(session, OPERATOR, PageRequest(1, 20), q[0], q[1], q[2])
        return [v["id"] for v in found["items"]]

    measure(factory, "vacancy_search", db, sizes, ours_search, lambda s, q: naive_search(s, *q), searches)
    skills = [rng.choice(SKILLS[:20]) for _ in range(args.queries)]

    def ours_by_skill(session: Session, skill: str) -> list[int]:
        return [p["id"] for p in service.list_seekers(session, OPERATOR, PageRequest(1, 50), skill)["items"]]

    def naive_by_skill(session: Session, skill: str) -> list[int]:
        rows = session.execute(
            select(Seeker.id, Seeker.skills)
            .where(Seeker.skills.like(f"%{skill}%"), Seeker.availability != "not_looking")
            .order_by(Seeker.id.desc())
        ).all()
        return [sid for sid, s in rows if skill in s.split(",")][:50]

    measure(factory, "seekers_by_skill", db, sizes, ours_by_skill, naive_by_skill, skills)


if __name__ == "__main__":
    main()
