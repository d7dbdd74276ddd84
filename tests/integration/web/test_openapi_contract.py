"""The JSON API's contract: ``/openapi.json`` describes every answer of every route under ``/api/``.

Per router (its tag): each 2xx response of each operation has a schema (a ``$ref``, a typed schema, or a file's
``string``; ``{}`` or an object without properties counts as none; 204 needs none), and each operation lists at
least one 4xx answered with the shared ``ErrorRead`` schema. A failure names the offenders.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from jangkau.web.app import create_app

ERROR_REF = "#/components/schemas/ErrorRead"
METHODS = ("get", "post", "put", "patch", "delete")
# every tag of the API; a tag not listed here fails test_every_tag_is_checked
TAGS = (
    "system",
    "auth",
    "registry",
    "enrolment",
    "funding",
    "reports",
    "outreach",
    "compliance",
    "claims",
    "jobs",
    "linkage",
    "rules",
    "tasks",
    "notify",
)


@cache
def spec() -> dict[str, Any]:
    engine = create_engine("sqlite://", poolclass=StaticPool)  # the spec needs no tables
    return create_app(engine).openapi()


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec()["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
        if method in METHODS
    ]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    name = ref.rsplit("/", 1)[-1]
    found: dict[str, Any] = spec()["components"]["schemas"][name]
    return found


def described(schema: dict[str, Any] | None) -> bool:
    """A schema that says what comes back: not ``{}``, not a bare object without properties."""
    if not isinstance(schema, dict) or not schema:
        return False  # {} or additionalProperties: true (values of any type)
    if "$ref" in schema:
        return described(_resolve(schema))
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return all(described(s) or s.get("type") == "null" for s in schema[combined])
    kind = schema.get("type")
    if kind == "array":
        return described(schema.get("items"))
    if kind == "object" or kind is None:
        return bool(schema.get("properties")) or described(schema.get("additionalProperties") or None)
    return True  # string (a file, a text), number, integer, boolean


def undescribed_2xx(operation: dict[str, Any]) -> list[str]:
    missing = []
    for status, response in operation.get("responses", {}).items():
        if not status.startswith("2") or status == "204":
            continue
        content = response.get("content") or {}
        if not content or not all(described(media.get("schema")) for media in content.values()):
            missing.append(status)
    return missing


def lists_error_read(operation: dict[str, Any]) -> bool:
    return any(
        status.startswith("4")
        and (response.get("content") or {}).get("application/json", {}).get("schema", {}).get("$ref") == ERROR_REF
        for status, response in operation.get("responses", {}).items()
    )


def _of_tag(tag: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [op for op in operations() if tag in op[2].get("tags", [])]


def test_every_api_route_has_a_checked_tag() -> None:
    untagged = [f"{m.upper()} {p}" for p, m, op in operations() if not set(op.get("tags", [])) & set(TAGS)]
    assert untagged == [], "routes of no checked tag:\n" + "\n".join(untagged)


@pytest.mark.parametrize("tag", TAGS)
def test_every_2xx_has_a_schema(tag: str) -> None:
    ops = _of_tag(tag)
    assert ops, f"no route tagged {tag}"
    offenders = [f"{m.upper()} {p}: {', '.join(undescribed_2xx(op))}" for p, m, op in ops if undescribed_2xx(op)]
    assert len(offenders) == 0, f"{len(offenders)} route(s) of {tag} without a 2xx schema:\n" + "\n".join(offenders)


@pytest.mark.parametrize("tag", TAGS)
def test_every_route_lists_its_refusals_with_error_read(tag: str) -> None:
    offenders = [f"{m.upper()} {p}" for p, m, op in _of_tag(tag) if not lists_error_read(op)]
    assert offenders == [], f"route(s) of {tag} without a 4xx ErrorRead:\n" + "\n".join(offenders)


def test_error_read_is_the_shared_error_schema() -> None:
    error = spec()["components"]["schemas"]["ErrorRead"]
    assert error["properties"]["error"]["$ref"] == "#/components/schemas/ErrorBody"
    body = spec()["components"]["schemas"]["ErrorBody"]["properties"]
    assert {"code", "message", "message_id", "fields", "request_id"} <= set(body)


def test_a_route_lists_its_named_refusals() -> None:
    """A domain's named refusal shows in the route's description, with its status."""
    operation = spec()["paths"]["/api/v1/tasks/{task_id}/retry"]["post"]
    assert "NotFailed" in operation["responses"]["409"]["description"]
    assert "TaskNotFound" in operation["responses"]["404"]["description"]
    assert operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"] == ERROR_REF


def test_rates_are_numbers_in_the_coverage_report() -> None:
    figures = spec()["components"]["schemas"]["CoverageFiguresRead"]["properties"]
    assert {s.get("type") for s in figures["rate"]["anyOf"]} == {"number", "null"}


def test_schema_names_are_unique() -> None:
    """Two response models with the same class name in two domains get module-qualified component names
    (``jangkau__x__schemas__Name``), which client generators turn into the same class and then drop: each name once."""
    qualified = [name for name in spec()["components"]["schemas"] if name.startswith("jangkau__")]
    assert qualified == [], f"rename these models so that their class names are unique: {qualified}"
