"""The JSON API of outreach and jobs is typed: every 2xx JSON response has a schema in /openapi.json, every refusal
a route may answer with is listed with the shared error schema, and each named refusal keeps its stable code."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from jangkau.errors import JangkauError
from jangkau.i18n import bilingual
from jangkau.jobs import endpoints as job_endpoints
from jangkau.jobs import errors as job_errors
from jangkau.outreach import endpoints as outreach_endpoints
from jangkau.outreach import errors as outreach_errors

PREFIXES = ("/outreach", "/jobs")
BINARY = {("GET", "/outreach/documents/{document_id}")}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    app = FastAPI()
    app.include_router(outreach_endpoints.router)
    app.include_router(job_endpoints.router)
    return app.openapi()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, ops in spec["paths"].items()
        if path.startswith(PREFIXES)
        for method, op in ops.items()
    ]


def test_every_2xx_json_response_has_a_schema(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert len(operations) >= 50
    without = [
        (method, path, status)
        for method, path, op in operations
        if (method, path) not in BINARY
        for status, response in op["responses"].items()
        if status.startswith("2") and not response.get("content", {}).get("application/json", {}).get("schema")
    ]
    assert without == []


def test_every_route_has_a_response_model() -> None:
    routes = [r for r in [*outreach_endpoints.router.routes, *job_endpoints.router.routes] if isinstance(r, APIRoute)]
    untyped = [
        (sorted(r.methods), r.path) for r in routes if r.response_model is None and ("GET", r.path) not in BINARY
    ]
    assert untyped == []


def test_refusals_are_listed_with_the_error_schema(spec: dict[str, Any]) -> None:
    ops = {(method, path): op for method, path, op in _operations(spec)}
    visit = ops[("POST", "/outreach/visits")]["responses"]["422"]
    assert visit["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorRead")
    assert "ProspectOutsideScope" in visit["description"]
    assert "VacancyClosed" in ops[("POST", "/jobs/applications")]["responses"]["422"]["description"]
    assert "AlreadyApplied" in ops[("POST", "/jobs/applications")]["responses"]["409"]["description"]
    assert "TrackingCodeNotFound" in ops[("GET", "/jobs/requests/track/{code}")]["responses"]["404"]["description"]


@pytest.mark.parametrize(
    ("refusal", "code", "status"),
    [
        (outreach_errors.AgentNotFound(7), "agent_not_found", 404),
        (outreach_errors.AgentTerminated(), "conflict", 409),
        (outreach_errors.ProspectOutsideScope(3), "outside_scope", 422),
        (outreach_errors.ClientKeyReused(), "client_key_reused", 422),
        (outreach_errors.CampaignNotFound(2), "campaign_not_found", 404),
        (job_errors.VacancyClosed(4, "Tukang las"), "vacancy_closed", 422),
        (job_errors.AlreadyApplied(4), "already_applied", 409),
        (job_errors.ApplicationTransitionRefused("rejected", "hired", []), "transition_refused", 422),
        (job_errors.TrainingFull(20), "training_full", 422),
        (job_errors.ActOnlyForSelf(), "forbidden", 403),
    ],
)
def test_named_refusals_keep_their_codes_and_speak_both_languages(
    refusal: JangkauError, code: str, status: int
) -> None:
    assert (refusal.code, refusal.http_status, type(refusal).status) == (code, status, status)
    assert refusal.message
    assert refusal.message_id
    assert refusal.message != refusal.message_id  # the Indonesian comes from the catalog


def test_a_transition_refusal_names_the_statuses_in_each_language() -> None:
    refusal = job_errors.ApplicationTransitionRefused("applied", "hired", ["interviewed", "rejected"])
    assert refusal.message.endswith("possible next: interviewed, rejected")
    assert refusal.message_id == (
        "status: lamaran berstatus melamar tidak bisa menjadi diterima; berikutnya: wawancara, ditolak"
    )
    assert bilingual("none (final)") == ("none (final)", "tidak ada (sudah final)")
