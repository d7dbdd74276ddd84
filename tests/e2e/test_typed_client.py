"""A typed client generated from the running app's ``/openapi.json`` (openapi-python-client) works against the live
server for three flows: enrol a worker, file a claim, read a region's coverage.

Each flow calls the generated function and checks that it parsed the answer into the generated response model (not
a bare dict), with numbers as numbers: the spec describes what the server sends.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from jangkau.demo.users import DEMO_PASSWORD

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "jangkau_typed_client"

pytestmark = pytest.mark.skipif(not GENERATOR.exists(), reason="openapi-python-client is not installed")


@pytest.fixture(scope="module")
def generated(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The client package generated from the live server's spec, importable as ``jangkau_typed_client``."""
    root = tmp_path_factory.mktemp("typed_client")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(httpx.get(live_server + "/openapi.json", timeout=30).json()))
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(spec), "--output-path", str(root / PACKAGE), "--meta", "none"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=root,
    )
    assert (root / PACKAGE / "client.py").exists(), result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield root / PACKAGE
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        shutil.rmtree(root, ignore_errors=True)


def operation(package: Path, method: str, path: str) -> ModuleType:
    """The generated module of one route, found by its method and path (names follow the Python functions)."""
    wanted = re.compile(rf'"method": "{method}",\s*"url": "{re.escape(path)}"')
    for file in sorted((package / "api").glob("*/*.py")):
        if wanted.search(file.read_text()):
            module = ".".join(file.relative_to(package.parent).with_suffix("").parts)
            return importlib.import_module(module)
    raise AssertionError(f"no generated operation for {method.upper()} {path}")


def model(name: str) -> Any:
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def typed(parsed: Any) -> bool:
    """The generated function parsed the body into one of the generated models (an untyped route gives a dict)."""
    name = type(parsed).__name__  # a route typed ``dict[str, Any]`` gets an open model named after the route
    return type(parsed).__module__.startswith(f"{PACKAGE}.models.") and name != "ErrorRead" and "ApiV1" not in name


def signed_in(live_server: str, username: str) -> Any:
    """An ``AuthenticatedClient`` of the generated package with a bearer token of ``username``."""
    response = httpx.post(
        live_server + "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}, timeout=30
    )
    assert response.status_code == 200, response.text
    client = importlib.import_module(f"{PACKAGE}.client")
    return client.AuthenticatedClient(base_url=live_server, token=response.json()["access_token"], timeout=60)


def test_enrol_a_worker(generated: Path, live_server: str) -> None:
    agent = signed_in(live_server, "bhabin.medankota")  # field agent of Kecamatan Medan Kota (12.71.01)
    body = model("EnrolmentIn").from_dict(
        {
            "person": {
                "nik": "1271015708920007",
                "full_name": "Rina Typed Client",
                "birth_date": "1992-08-17",
                "sex": "P",
                "village_code": "12.71.01.1001",
            },
            "programs": ["jkk", "jkm"],
            "declared_income": 1_500_000,
        }
    )
    response = operation(generated, "post", "/api/v1/enrolments").sync_detailed(
        client=agent, body=body, idempotency_key="typed-client-enrol-1"
    )
    assert response.status_code == 201, response.content
    enrolled = response.parsed
    assert typed(enrolled)
    assert isinstance(enrolled, model("EnrolmentRead"))
    assert enrolled.person.created is True
    assert enrolled.person.village_code == "12.71.01.1001"
    assert enrolled.membership.segment == "bpu"
    assert enrolled.membership.programs == ["jkk", "jkm"]
    assert isinstance(enrolled.membership.start_date, dt.date)
    assert isinstance(enrolled.quote.total, int)
    assert enrolled.quote.total > 0
    assert enrolled.quote.total == sum(line.total for line in enrolled.quote.lines)
    assert {line.program for line in enrolled.quote.lines} == {"jkk", "jkm"}
    assert enrolled.quote.rules  # the rules, versions and citations the quote used


def _paid_member_nik(officer: Any, generated: Path) -> str:
    """The NIK of a demo worker in Medan Kota with an active membership (read in full by a branch officer)."""
    listing = operation(generated, "get", "/api/v1/persons").sync(client=officer, region="12.71.01", size=200)
    assert isinstance(listing, model("PagePersonRead")), listing
    detail = operation(generated, "get", "/api/v1/persons/{person_id}")
    for item in listing.items:
        person = detail.sync(client=officer, person_id=item.id)
        assert isinstance(person, model("PersonDetailRead"))
        if any(m.status == "active" and "jkm" in m.programs for m in person.memberships):
            return str(person.nik)
    raise AssertionError("the demo city has no active JKM member in 12.71.01")


def test_file_a_claim(generated: Path, live_server: str) -> None:
    officer = signed_in(live_server, "cabang.medan")
    nik = _paid_member_nik(officer, generated)
    body = model("ClaimIn").from_dict(
        {
            "type": "jkm",
            "nik": nik,
            "event_date": (dt.date.today() - dt.timedelta(days=4)).isoformat(),
            "reporter_kind": "agent",
            "reporter_name": "Bripka Andi",
            "heirs": [{"full_name": "Siti", "relationship": "spouse"}],
        }
    )
    response = operation(generated, "post", "/api/v1/claims").sync_detailed(
        client=officer, body=body, idempotency_key="typed-client-claim-1"
    )
    assert response.status_code == 201, response.content
    claim = response.parsed
    assert typed(claim), f"POST /claims is not typed: {type(claim)}"
    assert claim.reference.startswith("KLM-")
    assert claim.program == "jkm"
    assert claim.person.village_code.startswith("12.71.01")
    assert isinstance(claim.event_date, dt.date)
    assert isinstance(claim.amount, int)
    assert claim.amount > 0


def test_read_a_regions_coverage(generated: Path, live_server: str) -> None:
    officer = signed_in(live_server, "pemkot.medan")
    response = operation(generated, "get", "/api/v1/reports/coverage/{region}").sync_detailed(
        client=officer, region="12.71"
    )
    assert response.status_code == 200, response.content
    report = response.parsed
    assert typed(report), f"GET /reports/coverage/{{region}} is not typed: {type(report)}"
    assert report.month
    assert isinstance(report.totals.active, int)
    assert isinstance(report.totals.rate_bp, int | None)
    assert not isinstance(report.totals.rate, str)  # a number (or none without an estimate): pages format it
    assert isinstance(report.has_data, bool)
