"""Schemathesis against ``/openapi.json``: no input makes the API answer 5xx, and every answer keeps its contract.

Runs in-process (ASGI) on a seeded city as two roles, an administrator and a field agent, with a bounded number of
examples per operation (``JANGKAU_FUZZ_EXAMPLES``, default 8; ``make fuzz`` runs a longer pass before releases).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from sqlalchemy.orm import sessionmaker
from tests.conftest import POSTGRES_URL, build_database

from jangkau.db.uow import unit_of_work
from jangkau.demo.seed import seed_demo
from jangkau.demo.users import DEMO_PASSWORD, ensure_demo_users
from jangkau.web.app import create_app

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("JANGKAU_FUZZ_EXAMPLES", "8"))
ROLES = {"admin": "admin", "field_agent": "bhabin.medankota"}
ERROR_KEYS = {"code", "message", "message_id", "fields"}


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app on a seeded city: PostgreSQL when configured (the production database, stricter on text), else SQLite."""
    kind = "postgresql" if POSTGRES_URL else "sqlite"
    engine = build_database(kind, Path(tmp_path_factory.mktemp("fuzz")), "fuzz")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    seed_demo(factory, "12.71", "small", 5)
    with unit_of_work(factory) as session:
        ensure_demo_users(session)
    return create_app(engine)


@pytest.fixture(scope="module")
def tokens(fuzz_app: FastAPI) -> dict[str, str]:
    client = TestClient(fuzz_app)
    out = {}
    for role, username in ROLES.items():
        response = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        out[role] = response.json()["access_token"]
    return out


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> Any:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, no_shrink=True)
    return schema


def error_shape(ctx: Any, response: Any, case: Any) -> bool:
    """A refusal (4xx/5xx) of the JSON API is ``{"error": {"code", "message", "message_id", "fields"}}``."""
    if response.status_code < 400 or "json" not in response.headers.get("content-type", [""])[0]:
        return True
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not error.keys() >= ERROR_KEYS:
        raise AssertionError(f"{response.status_code} not in the documented error shape: {response.text[:300]}")
    return True


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, error_shape]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _fuzz_mode(operation: Any, mode: GenerationMode, headers: dict[str, str], failures: list[str]) -> None:
    """Examples of one kind (valid or invalid) for one operation; failures are collected, not raised."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label} [{mode.value}]: {str(exc).strip()[:1500]}")
        except Exception as exc:  # the in-process server raised: a 500 over HTTP
            failures.append(f"{operation.label} [{mode.value}]: server error {exc!r}"[:1500])

    with contextlib.suppress(Unsatisfiable):  # nothing to make invalid (an operation without parameters)
        run()


def _fuzz_operation(operation: Any, token: str) -> list[str]:
    """Valid and invalid examples for one operation; the failures found (one entry each)."""
    failures: list[str] = []
    for mode in MODES:
        _fuzz_mode(operation, mode, {"Authorization": f"Bearer {token}"}, failures)
    return failures


def _fuzz(api_schema: Any, token: str) -> None:
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        failures.extend(_fuzz_operation(result.ok(), token))
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)


def test_as_admin(api_schema: Any, tokens: dict[str, str]) -> None:
    _fuzz(api_schema, tokens["admin"])


def test_as_field_agent(api_schema: Any, tokens: dict[str, str]) -> None:
    _fuzz(api_schema, tokens["field_agent"])
