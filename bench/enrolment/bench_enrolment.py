"""Door-to-door enrolment under load: ``jangkau serve`` on PostgreSQL against a loopback load generator.

Each setting (workers x concurrent clients) sends ``--requests`` new enrolments (one new NIK each) as a field agent,
plus 10 % of them again with the same Idempotency-Key (a phone retrying) and 5 % with the NIK of another request
under a new key (a second agent at the same door). Afterwards the database must hold exactly one person and one
membership per NIK. The baseline, in the same run, makes the same six inserts per enrolment (person, audit,
membership, report mark, audit, idempotency record) over one psycopg connection with prepared statements: the
floor the web path approaches. One JSON line per figure; also appended to bench/out/enrolment.jsonl.

    .venv/bin/python bench/enrolment/bench_enrolment.py --clients 8,32,64 --workers 1 --requests 1500

The server runs the code on ``PYTHONPATH`` (``jangkau serve`` inherits it), so one command measures two trees:
``PYTHONPATH=<old checkout>/src`` for "before", ``PYTHONPATH=src`` for "after".
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user
from jangkau.db.engine import make_engine
from jangkau.db.migrate import upgrade
from jangkau.db.uow import unit_of_work
from jangkau.regions.service import load_region_tree
from jangkau.regions.source import RegionDataset, load_dataset

OUT = Path(__file__).resolve().parents[1] / "out"
BIN = Path(sys.executable).parent
AGENT, PASSWORD = "bhabin.bench", "kata-sandi-bench-2026"
VILLAGE = "12.71.01.1001"
TICK = os.sysconf("SC_CLK_TCK")


LABEL: dict[str, str] = {}


def emit(figure: str, **values: Any) -> None:
    load = [round(x, 2) for x in os.getloadavg()]  # the machine is shared: compare figures of one run only
    line = json.dumps({"bench": "enrolment", "figure": figure, **LABEL, **values, "load_average_1_5_15": load})
    print(line, flush=True)
    OUT.mkdir(exist_ok=True)
    with (OUT / "enrolment.jsonl").open("a") as out:
        out.write(line + "\n")


def nik(n: int) -> str:
    """The n-th distinct valid NIK of a man born in 1988 in Medan Kota (28 birth days x 9,999 serials)."""
    day, serial = n % 28 + 1, n // 28 + 1
    return f"127101{day:02d}0488{serial:04d}"


def person(n: int) -> dict[str, Any]:
    day = n % 28 + 1
    return {"nik": nik(n), "full_name": f"Pekerja Uji {n}", "birth_date": f"1988-04-{day:02d}", "sex": "L",
            "village_code": VILLAGE}  # fmt: skip


def prepare_database(url: str) -> None:
    """A fresh database: migrated, Kota Medan's regions, one field agent for 12.71.01."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(url)
    upgrade(engine)
    full = load_dataset()
    records = [r for r in full.records if r.code.startswith("12.71") or r.code.count(".") == 0 or r.code == "12"]
    with unit_of_work(sessionmaker(bind=engine)) as session:
        load_region_tree(session, RegionDataset(full.source, full.version, full.decree, records))
        agent = NewUser(AGENT, "Bhabin Bench", Role.FIELD_AGENT, PASSWORD, ("12.71.01",), AgentKind.BHABINKAMTIBMAS)
        create_user(session, agent, OPERATOR)
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    # the server's connections shared out between workers (PostgreSQL's 100 connections serve other users too)
    pool = str(max(2, 12 // workers))
    env = {**os.environ, "JANGKAU_DATABASE_URL": url, "JANGKAU_DB_POOL_SIZE": pool, "JANGKAU_DB_MAX_OVERFLOW": "2"}
    process = subprocess.Popen(
        [str(BIN / "jangkau"), "serve", "--port", str(port), *(["--workers", str(workers)] if workers > 1 else [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # several workers importing the app on a loaded machine take a while
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start (exit code {process.poll()})")


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and every live descendant (uvicorn workers), from /proc."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return sum(times.get(pid, 0.0) for pid in family)


def database_cpu_seconds(database: str) -> float:
    """User + system CPU of the PostgreSQL backends serving ``database`` (their command line names it), from /proc.
    Backends that end during a setting (pool overflow) take their CPU with them: a slight undercount."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f" {database} ".encode() not in (entry / "cmdline").read_bytes().replace(b"\0", b" "):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def plan(first: int, requests: int) -> list[tuple[str, dict[str, Any], int]]:
    """(Idempotency-Key, body, NIK number) for every request of one setting, retries and same-NIK included."""
    items: list[tuple[str, dict[str, Any], int]] = []
    for i in range(requests):
        n = first + i
        body = {"person": person(n), "programs": ["jkk", "jkm"]}
        items.append((f"visit-{n}", body, n))
        if i % 10 == 0:
            items.append((f"visit-{n}", body, n))  # the phone retries: same key, same body
        if i % 20 == 1:
            other = {"person": person(n - 1), "programs": ["jkk", "jkm"]}
            items.append((f"second-agent-{n}", other, n - 1))  # same NIK, new key
    return items


def _error_code(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code} not in the error shape"


async def load(base: str, token: str, items: list[tuple[str, dict[str, Any], int]], clients: int) -> dict[str, Any]:
    queue: asyncio.Queue[tuple[str, dict[str, Any], int]] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    codes: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            while not queue.empty():
                key, body, _n = queue.get_nowait()
                headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
                started = time.perf_counter()
                try:
                    response = await client.post("/api/v1/enrolments", json=body, headers=headers)
                except httpx.HTTPError as exc:
                    statuses[599] += 1
                    codes[type(exc).__name__] += 1
                    continue
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] += 1
                if response.status_code >= 400:
                    codes[_error_code(response)] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    latencies.sort()
    return {"statuses": statuses, "codes": codes, "latencies": latencies}


def duplicates(url: str, first: int, last: int) -> dict[str, int]:
    """People per NIK and BPU memberships per person for the NIKs of one setting (each must be 1)."""
    niks = [nik(n) for n in range(first, last)]
    with psycopg.connect(url) as conn:
        people = conn.execute("SELECT count(*), count(DISTINCT nik) FROM person WHERE nik = ANY(%s)", [niks]).fetchone()
        members = conn.execute(
            "SELECT count(*), count(DISTINCT m.person_id) FROM membership m JOIN person p ON p.id = m.person_id "
            "WHERE p.nik = ANY(%s) AND m.segment = 'bpu'",
            [niks],
        ).fetchone()
    assert people is not None
    assert members is not None
    return {
        "people": people[0],
        "duplicate_people": people[0] - people[1],
        "memberships": members[0],
        "duplicate_memberships": members[0] - members[1],
        "niks_without_membership": len(niks) - members[1],
    }


def run_setting(url: str, base: str, server: int, token: str, workers: int, clients: int, first: int, n: int) -> None:
    items = plan(first, n)
    database = url.rsplit("/", 1)[1]
    db_before = database_cpu_seconds(database)
    cpu_before, started = tree_cpu_seconds(server), time.perf_counter()
    own_before = time.process_time()
    result = asyncio.run(load(base, token, items, clients))
    wall = time.perf_counter() - started
    server_cpu = tree_cpu_seconds(server) - cpu_before
    db_cpu = database_cpu_seconds(database) - db_before
    lat = result["latencies"]
    statuses: Counter[int] = result["statuses"]
    enrolled = statuses[201]
    emit(
        "web",
        workers=workers,
        clients=clients,
        requests=len(items),
        seconds=round(wall, 2),
        requests_per_s=round(len(items) / wall, 1),
        new_enrolments_per_s=round(n / wall, 1),
        p50_ms=round(lat[len(lat) // 2] * 1000, 1) if lat else None,
        p99_ms=round(lat[int(len(lat) * 0.99)] * 1000, 1) if lat else None,
        max_ms=round(lat[-1] * 1000, 1) if lat else None,
        over_5s=sum(1 for x in lat if x > 5),
        statuses={str(k): v for k, v in sorted(statuses.items())},
        refusals=dict(result["codes"]),
        server_5xx=sum(v for k, v in statuses.items() if 500 <= k < 599 and k != 503),
        busy_503=statuses[503],
        server_cpu_ms_per_request=round(server_cpu * 1000 / len(items), 2),
        server_cpu_ms_per_enrolment=round(server_cpu * 1000 / max(enrolled, 1), 2),
        database_cpu_ms_per_enrolment=round(db_cpu * 1000 / max(enrolled, 1), 2),
        loadgen_cpu_ms_per_request=round((time.process_time() - own_before) * 1000 / len(items), 2),
        **duplicates(url, first, first + n),
    )


def baseline(url: str, first: int, n: int) -> None:
    """The same six inserts per enrolment, one transaction each, over one psycopg connection (prepared)."""
    now = dt.datetime.now(dt.UTC)
    database = url.rsplit("/", 1)[1]
    cpu, started = time.process_time(), time.perf_counter()
    db_before = database_cpu_seconds(database)
    with psycopg.connect(url, autocommit=False) as conn:
        user_id = conn.execute("SELECT id FROM app_user WHERE username = %s", [AGENT]).fetchone()[0]  # type: ignore[index]
        for i in range(first, first + n):
            p = person(i)
            with conn.transaction():
                pid = conn.execute(
                    "INSERT INTO person (nik, full_name, birth_date, sex, village_code, is_vulnerable, created_at, "
                    "updated_at, registered_by_kind, registered_by_label) VALUES (%s, %s, %s, 'L', %s, false, %s, %s, "
                    "'agent', %s) RETURNING id",
                    [p["nik"], p["full_name"], p["birth_date"], VILLAGE, now, now, AGENT],
                    prepare=True,
                ).fetchone()[0]  # type: ignore[index]
                audit = (
                    "INSERT INTO audit_event (at, user_id, actor, action, entity, entity_id, region_code, after) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                )
                conn.execute(audit, [now, user_id, AGENT, "create", "person", str(pid), VILLAGE, "{}"], prepare=True)
                mid = conn.execute(
                    "INSERT INTO membership (person_id, segment, programs, declared_income, start_date, status, "
                    "created_at, updated_at, registered_by_kind, registered_by_label) VALUES (%s, 'bpu', 'jkk,jkm', "
                    "1000000, %s, 'pending', %s, %s, 'agent', %s) RETURNING id",
                    [pid, now.date(), now, now, AGENT],
                    prepare=True,
                ).fetchone()[0]  # type: ignore[index]
                conn.execute(
                    "INSERT INTO coverage_change (village_code, month, marked_at) VALUES (%s, %s, %s)",
                    [VILLAGE, now.date().replace(day=1), now],
                    prepare=True,
                )
                conn.execute(audit, [now, user_id, AGENT, "enrol", "membership", str(mid), VILLAGE, "{}"], prepare=True)
                conn.execute(
                    "INSERT INTO idempotency_record (user_id, key, request_hash, status_code, body, created_at) "
                    "VALUES (%s, %s, %s, 201, %s, %s)",
                    [user_id, f"baseline-{i}", "0" * 64, "{}", now],
                    prepare=True,
                )
        db_cpu = database_cpu_seconds(database) - db_before  # while the connection (and its backend) is open
    wall = time.perf_counter() - started
    emit(
        "baseline_psycopg_prepared",
        enrolments=n,
        seconds=round(wall, 2),
        enrolments_per_s=round(n / wall, 1),
        client_cpu_ms_per_enrolment=round((time.process_time() - cpu) * 1000 / n, 3),
        database_cpu_ms_per_enrolment=round(db_cpu * 1000 / n, 3),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/jangkau_bench_enrolment")
    parser.add_argument("--clients", default="8,32,64")
    parser.add_argument("--workers", default="1")
    parser.add_argument("--requests", type=int, default=1500, help="new enrolments per setting")
    parser.add_argument("--label", default="", help="tag for the JSON lines, e.g. before/after")
    args = parser.parse_args()
    if args.label:
        LABEL["label"] = args.label
    prepare_database(args.database)
    first = 0
    for workers in [int(w) for w in args.workers.split(",")]:
        process, base = start_server(args.database, workers)
        try:
            answer = httpx.post(f"{base}/api/v1/auth/token", data={"username": AGENT, "password": PASSWORD})
            token = answer.json()["access_token"]
            for clients in [int(c) for c in args.clients.split(",")]:
                run_setting(args.database, base, process.pid, token, workers, clients, first, args.requests)
                first += args.requests
        finally:
            process.terminate()
            process.wait(timeout=30)
    baseline(args.database, first, args.requests)


if __name__ == "__main__":
    main()
