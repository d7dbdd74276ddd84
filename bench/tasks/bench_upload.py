"""A 500k-row list uploaded in the browser's form while other pages are used: does the server stay responsive?

Seeds (once, reused) a SQLite city as ``make run`` does (regions, the demo city 12.71 at ``--scale``, the demo
users) in ``bench/out/tasks/upload/<scale>/``, writes a list of ``--rows`` rows made of the city's persons (every
tenth name re-cased, every twentieth NIK mistyped, every fiftieth row without NIK), then starts the server the way
``make run`` does (``jangkau serve --with-worker``; ``--separate-worker`` runs ``jangkau worker`` in its own process
instead) and, in the same run:

- ``baseline``: the registry page (``GET /registry``) fetched back to back for ``--quiet-seconds``, nothing else;
- ``upload``: the list posted through the linkage page's form (``POST /linkage/import``, as Chromium sends it):
  the time until the answer (a redirect to the task's page);
- ``during``: the registry page fetched back to back while the worker imports and links the list (until the task
  is done), and the task's own time (queued to finished).

One JSON line per figure on stdout (latencies in ms: p50, p95, max, and the count of requests and of failures).

    .venv/bin/python bench/tasks/bench_upload.py --rows 500000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

BIN = Path(sys.executable).parent
PASSWORD = "jangkau-demo-2026"
USER = "pemkot.medan"

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--rows", type=int, default=500_000)
parser.add_argument("--scale", default="small")
parser.add_argument("--quiet-seconds", type=float, default=20.0)
parser.add_argument("--separate-worker", action="store_true")
parser.add_argument("--out", type=Path, default=Path("bench/out/tasks/upload"))


def emit(**figure: Any) -> None:
    print(json.dumps(figure, default=str), flush=True)


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "jangkau"), *args], env=env, check=True, capture_output=True, text=True)


def prepare(base: Path, scale: str) -> Path:
    """The seeded city (made once), copied to a scratch directory for this run."""
    seeded = base / scale / "seed"
    if not (seeded / "jangkau.db").exists():
        seeded.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "JANGKAU_VAR_DIR": str(seeded), "JANGKAU_DATABASE_URL": ""}
        seed = ("demo", "seed", "--region", "12.71", "--scale", scale, "--seed", "1")
        for step in (("db", "upgrade"), ("regions", "load"), seed, ("demo", "users")):
            cli(env, *step)
    run = base / scale / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    shutil.copy(seeded / "jangkau.db", run / "jangkau.db")
    cli({**os.environ, "JANGKAU_VAR_DIR": str(run), "JANGKAU_DATABASE_URL": ""}, "db", "upgrade")  # newer code
    return run


def write_list(db: Path, path: Path, rows: int) -> int:
    with sqlite3.connect(db) as conn:
        persons = conn.execute(
            "SELECT nik, full_name, birth_date, sex, village_code FROM person ORDER BY id"
        ).fetchall()
    with path.open("w", encoding="utf-8") as out:
        out.write("row_id,nik,name,birth_date,sex,village_code\n")
        for i in range(rows):
            nik, name, born, sex, village = persons[i % len(persons)]
            if i % 50 == 0:
                nik = ""
            elif i % 20 == 0:
                nik = nik[:-1] + ("1" if nik[-1] != "1" else "2")
            out.write(f"b{i},{nik},{name.title() if i % 10 == 0 else name},{born},{sex},{village}\n")
    return len(persons)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(env: dict[str, str], separate: bool, log: Path) -> tuple[list[subprocess.Popen[bytes]], str]:
    port = free_port()
    extra = [] if separate else ["--with-worker"]
    handle = log.open("wb")
    procs = [subprocess.Popen([str(BIN / "jangkau"), "serve", "--port", str(port), *extra], env=env, stdout=handle,
                              stderr=subprocess.STDOUT)]  # fmt: skip
    if separate:
        procs.append(
            subprocess.Popen([str(BIN / "jangkau"), "worker"], env=env, stdout=handle, stderr=subprocess.STDOUT)
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return procs, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=120, follow_redirects=False)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no csrf token on /login"
    answer = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)})
    assert answer.status_code == 303, answer.text[:300]
    return client


def sample(client: httpx.Client, until: threading.Event, seconds: float | None = None) -> tuple[list[float], int]:
    """Fetch the registry page back to back until ``until`` is set (or ``seconds`` passed)."""
    times: list[float] = []
    failures = 0
    end = time.monotonic() + seconds if seconds else None
    while not until.is_set() and (end is None or time.monotonic() < end):
        started = time.perf_counter()
        try:
            ok = client.get("/registry").status_code == 200
        except httpx.HTTPError:
            ok = False
        times.append((time.perf_counter() - started) * 1000)
        failures += 0 if ok else 1
    return times, failures


def figures(name: str, times: list[float], failures: int, **extra: Any) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else None
    emit(case=name, requests=len(times), failures=failures, p50_ms=round(statistics.median(ordered), 1) if ordered
         else None, p95_ms=round(p95, 1) if p95 is not None else None, max_ms=round(max(ordered), 1) if ordered
         else None, **extra)  # fmt: skip


def upload(client: httpx.Client, listed: Path) -> tuple[float, str]:
    form = client.get("/linkage").text
    once = re.search(r'name="once" value="([^"]+)"', form)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert once, "no form token on /linkage"
    assert csrf, "no csrf token on /linkage"
    data = {"source": "Bench 500k", "csrf_token": csrf.group(1), "once": once.group(1)}
    with listed.open("rb") as handle:
        started = time.perf_counter()
        answer = client.post("/linkage/import", data=data, files={"file": (listed.name, handle, "text/csv")})
        seconds = time.perf_counter() - started
    assert answer.status_code == 303, answer.text[:500]
    return seconds, answer.headers["location"]


def follow(client: httpx.Client, task: str, done: threading.Event, out: dict[str, Any]) -> None:
    while True:
        shown = client.get(task).json()
        if shown["status"] in ("done", "failed"):
            out.update(shown)
            done.set()
            return
        time.sleep(1)


def main() -> None:
    args = parser.parse_args()
    run = prepare(args.out, args.scale)
    listed = run / "list.csv"
    persons = write_list(run / "jangkau.db", listed, args.rows)
    env = {**os.environ, "JANGKAU_VAR_DIR": str(run), "JANGKAU_DATABASE_URL": "", "JANGKAU_QUEUE_URL": ""}
    emit(case="setup", rows=args.rows, list_mb=round(listed.stat().st_size / 1e6, 1), register_persons=persons,
         scale=args.scale, worker="separate process" if args.separate_worker else "serve --with-worker",
         load=os.getloadavg())  # fmt: skip
    procs, url = start(env, args.separate_worker, run / "server.log")
    try:
        client, sampler = signed_in(url), signed_in(url)
        sample(sampler, threading.Event(), 2)  # warm up
        figures("baseline", *sample(sampler, threading.Event(), args.quiet_seconds), load=os.getloadavg())
        seconds, location = upload(client, listed)
        emit(case="upload", response_s=round(seconds, 3), location=location)
        task_api = "/api/v1/tasks/" + location.rsplit("/", 1)[1]
        done, result = threading.Event(), {}
        watcher = threading.Thread(target=follow, args=(client, task_api, done, result))
        watcher.start()
        times, failures = sample(sampler, done)
        watcher.join()
        figures("during", times, failures, task_status=result.get("status"), task_s=result.get("duration_seconds"),
                task_result=result.get("result"), task_error=result.get("error"), load=os.getloadavg())  # fmt: skip
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)


if __name__ == "__main__":
    main()
