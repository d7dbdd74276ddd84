"""``jangkau serve`` as production runs it: two workers, JSON logs, metrics shared by the workers, a graceful stop,
and not one NIK or phone number in the server's log after a flow that sends both."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
from tests.e2e.conftest import BIN, _free_port, run_cli

NIK = "1271011505900001"  # Medan Tuntungan (12.71.01), born 15-05-1990
PHONE = "081234567890"
NIK_PATTERN = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?62|0)8\d{7,12}(?!\d)")


def test_production_server_logs_json_without_personal_numbers(city_env: dict[str, str], tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**city_env, "JANGKAU_LOG_FORMAT": "json", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom")}
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "jangkau"), "serve", "--port", str(port), "--workers", "2"], env=env, stdout=out, stderr=out
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base)
        _flow(base)
        metrics = httpx.get(base + "/metrics").text
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0  # graceful: requests finished, workers stopped, exit 0
    lines = log.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(records) == len(lines), "every log line is one JSON object"
    access = [r for r in records if r["logger"] == "jangkau.access"]
    assert any(r["request_id"] == "e2e-ops-lookup" and r["status"] == 200 for r in access)
    text = log.read_text()
    assert NIK_PATTERN.findall(text) == []
    assert PHONE_PATTERN.findall(text) == []
    assert 'route="/api/v1/persons/lookup"' in metrics  # counted by route template, in either worker


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    env = {**os.environ, "JANGKAU_VAR_DIR": str(tmp_path), "JANGKAU_DATABASE_URL": ""}
    result = run_cli("serve", "--port", str(_free_port()), env=env, check=False)
    assert result.returncode == 2
    assert "jangkau db upgrade" in result.stderr.replace("\n", "")


def _wait_ready(base: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(base + "/api/v1/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("server did not become ready")


def _flow(base: str) -> None:
    """Sign in, check a NIK, register a person with a phone, find them, and make a few mistakes on the way."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = client.post("/api/v1/auth/token", data={"username": "admin", "password": "jangkau-demo-2026"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert client.post("/api/v1/nik/check", json={"nik": NIK}).status_code == 200
        village = client.get("/api/v1/regions/12.71.01").json()["children"][0]["code"]
        person = {
            "nik": NIK,
            "full_name": "Uji Operasi",
            "birth_date": "1990-05-15",
            "sex": "L",
            "village_code": village,
            "phone": PHONE,
        }
        created = client.post("/api/v1/persons", json=person, headers=headers)
        assert created.status_code in (201, 409), created.text
        assert client.post("/api/v1/persons", json=person, headers=headers).status_code == 409
        lookup_headers = {**headers, "X-Request-ID": "e2e-ops-lookup"}
        assert client.post("/api/v1/persons/lookup", json={"nik": NIK}, headers=lookup_headers).status_code == 200
        assert client.get(f"/api/v1/persons/{NIK}", headers=headers).status_code in (404, 422)
        assert client.get("/api/v1/persons", params={"q": NIK}, headers=headers).status_code in (200, 422)
        bad = client.post("/api/v1/persons", json={**person, "nik": NIK[:-1] + "x"}, headers=headers)
        assert bad.status_code == 422
