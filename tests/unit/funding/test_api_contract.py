"""The JSON routes of funding, claims and compliance: every 2xx answer has a schema, every route lists its refusals
with the shared error schema, and each named refusal keeps its stable code and has both its texts in the catalog."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from jangkau.claims import errors as claims_errors
from jangkau.compliance import errors as compliance_errors
from jangkau.errors import JangkauError
from jangkau.funding import errors as funding_errors
from jangkau.web.app import create_app

PREFIXES = ("/api/v1/funding", "/api/v1/claims", "/api/v1/compliance")
BINARY = {("get", "/api/v1/compliance/cases/{case_id}/documents/{document_id}")}  # a stored file, not JSON


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    spec = create_app().openapi()
    return [
        (method, path, operation)
        for path, operations in spec["paths"].items()
        if path.startswith(PREFIXES)
        for method, operation in operations.items()
    ]


def test_every_json_route_of_the_money_domains_has_a_response_schema() -> None:
    operations = _operations()
    assert len(operations) >= 37
    without = [
        (method, path)
        for method, path, operation in operations
        if (method, path) not in BINARY
        and not any(
            code.startswith("2") and response.get("content", {}).get("application/json", {}).get("schema")
            for code, response in operation["responses"].items()
        )
    ]
    assert without == []


def test_every_route_lists_its_refusals_with_the_error_schema() -> None:
    for method, path, operation in _operations():
        refusals = {code: r for code, r in operation["responses"].items() if code[0] in "45" and code != "422"}
        assert refusals, (method, path)
        for response in refusals.values():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorRead"}, (method, path)


def _refusal_classes() -> list[type[JangkauError]]:
    modules = (funding_errors, claims_errors, compliance_errors)
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, JangkauError) and cls.__module__ == module.__name__ and not cls.__name__.startswith("_")
    ]


@pytest.mark.parametrize(
    ("refusal", "code"),
    [
        (funding_errors.SponsorNotFound(7), "sponsor_not_found"),
        (funding_errors.BudgetExceeded(3, 30_000, 1_000), "budget_exceeded"),
        (funding_errors.StatementInvalid(funding_errors.StatementInvalid.EMPTY), "statement_invalid"),
        (claims_errors.DuplicateClaim("KLM-2026-000001", "submitted"), "duplicate_claim"),
        (claims_errors.EventInFuture("2026-02-01", "2026-01-01"), "event_in_future"),
        (
            compliance_errors.StepTooEarly(
                "warning_1",
                "warning_2",
                "2026-01-10",
                "2026-01-11",
                {"warning_1": "Peringatan 1", "warning_2": "Peringatan 2"},
            ),
            "step_too_early",
        ),
        (compliance_errors.ImportHeaderInvalid(["npp"], ["nama"]), "import_header"),
    ],
)
def test_a_named_refusal_keeps_its_code_and_speaks_both_languages(refusal: JangkauError, code: str) -> None:
    assert refusal.code == code
    assert refusal.message
    assert refusal.message_id
    assert refusal.message != refusal.message_id


def test_every_refusal_class_says_what_it_refuses() -> None:
    classes = _refusal_classes()
    assert len(classes) > 60
    assert [c.__name__ for c in classes if not (c.__doc__ or "").strip()] == []
