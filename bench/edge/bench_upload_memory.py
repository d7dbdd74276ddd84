"""Server memory while a large chunked upload (no Content-Length) is refused: ``jangkau serve`` on SQLite.

Streams ``--mib`` MiB to the list import as a chunked multipart body and reads the server's resident memory
(VmRSS, and VmHWM, the peak) from /proc before and after. With the limit enforced on the stream the server answers
413 after ``max_upload_bytes`` and its memory stays flat; the baseline in the same run is the same upload with a
limit above the body's size (``JANGKAU_MAX_UPLOAD_BYTES``), which the server reads and imports (``--baseline-mib``).
The peak (VmHWM) includes the login's argon2 hash (64 MiB), made before the upload. One JSON line per run.

    .venv/bin/python bench/edge/bench_upload_memory.py --mib 150
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

OUT = Path(__file__).resolve().parents[1] / "out"
BIN = Path(sys.executable).parent
CHUNK = 1 << 20
PASSWORD = "kata-sandi-bench-2026"
ADD_ADMIN = f"""
import jangkau.db.all_models  # noqa: F401
from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import Role
from jangkau.auth.service import NewUser, create_user
from jangkau.db.session import unit
with unit() as session:
    create_user(session, NewUser("admin.bench", "Admin Bench", Role.ADMIN, "{PASSWORD}", ("",)), OPERATOR)
"""


def emit(figure: str, **values: object) -> None:
    line = json.dumps({"bench": "edge.upload_memory", "figure": figure, **values})
    print(line, flush=True)
    OUT.mkdir(exist_ok=True)
    with (OUT / "edge.jsonl").open("a") as out:
        out.write(line + "\n")


def memory_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}


def body(mib: int) -> Iterator[bytes]:
    yield b'--b\r\nContent-Disposition: form-data; name="source"\r\n\r\nbench\r\n'
    yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\nContent-Type: text/csv\r\n\r\n'
    yield b"nik,name,birth_date\r\n"
    row = b"1271011204880007,Rudi Hartono,1988-04-12\r\n"
    chunk = row * (CHUNK // len(row))
    for _ in range(mib):
        yield chunk
    yield b"\r\n--b--\r\n"


def serve(var: Path, extra_env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "JANGKAU_VAR_DIR": str(var), "JANGKAU_DATABASE_URL": "", **extra_env}
    subprocess.run([str(BIN / "jangkau"), "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", ADD_ADMIN], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [str(BIN / "jangkau"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def run(label: str, mib: int, extra_env: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as var:
        process, base = serve(Path(var), extra_env)
        try:
            login = {"username": "admin.bench", "password": PASSWORD}
            token = httpx.post(base + "/api/v1/auth/token", data=login).json()["access_token"]
            before = memory_kib(process.pid)
            started = time.perf_counter()
            try:
                response = httpx.post(
                    base + "/api/v1/linkage/import",
                    content=body(mib),
                    headers={"Content-Type": "multipart/form-data; boundary=b", "Authorization": f"Bearer {token}"},
                    timeout=300,
                )
                status, answer = response.status_code, response.text[:120]
            except httpx.HTTPError as exc:  # the server may close the connection after its 413
                status, answer = 0, type(exc).__name__
            seconds = time.perf_counter() - started
            time.sleep(0.5)
            after = memory_kib(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
    emit(
        label,
        mib_sent=mib,
        status=status,
        answer=answer,
        seconds=round(seconds, 2),
        rss_before_mib=round(before["VmRSS"] / 1024, 1),
        rss_after_mib=round(after["VmRSS"] / 1024, 1),
        peak_rss_mib=round(after["VmHWM"] / 1024, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=int, default=150)
    parser.add_argument("--limit-mib", type=int, default=5)
    parser.add_argument("--baseline-mib", type=int, default=20, help="150 takes ~2 min and ~4.6 GB peak")
    args = parser.parse_args()
    run("limit_on_stream", args.mib, {"JANGKAU_MAX_UPLOAD_BYTES": str(args.limit_mib << 20)})
    run("baseline_read_through", args.baseline_mib, {"JANGKAU_MAX_UPLOAD_BYTES": str((args.baseline_mib + 10) << 20)})


if __name__ == "__main__":
    main()
