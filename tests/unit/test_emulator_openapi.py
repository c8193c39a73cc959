"""The OpenAPI contract: matching paths, checking bodies, and GitHub's known looseness only."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from repokit.testing.github.openapi import PROTECTION_PATH, Contract

FLAG = {"type": "boolean"}
PROTECTION_BODY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["required_status_checks", "enforce_admins"],
    "properties": {
        "required_status_checks": {
            "type": "object",
            "nullable": True,
            "required": ["strict", "contexts"],
            "properties": {
                "strict": {"type": "boolean"},
                "contexts": {"type": "array", "items": {"type": "string"}},
                "checks": {"type": "array", "items": {"type": "object"}},
            },
        },
        "enforce_admins": {"type": "boolean", "nullable": True},
        "allow_deletions": FLAG,
        "lock_branch": FLAG,
    },
}
SETTINGS_SCHEMA: dict[str, Any] = {"type": "object", "properties": {"has_wiki": FLAG}}
PYGITHUB_PROTECTION = {
    "required_status_checks": {"strict": True, "checks": [{"context": "ci"}]},
    "enforce_admins": None,
    "allow_deletions": None,
    "lock_branch": None,
}


def _as_oas31(schema: Any) -> Any:
    """OAS 3.0's ``nullable: true`` written the 3.1 way, ``type: [..., "null"]``."""
    if isinstance(schema, list):
        return [_as_oas31(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _as_oas31(value) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable"):
        converted["type"] = [schema["type"], "null"]
    return converted


def _document(version: str = "3.0.3") -> dict[str, Any]:
    def body(schema: dict[str, Any]) -> dict[str, Any]:
        if version.startswith("3.1"):
            schema = _as_oas31(schema)
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    ok = {"content": {"application/json": {"schema": {"type": "object", "required": ["url"]}}}}
    return {
        "openapi": version,
        "info": {"version": "1.2.3"},
        "paths": {
            PROTECTION_PATH: {
                "put": {
                    "operationId": "repos/update-branch-protection",
                    "requestBody": body(PROTECTION_BODY_SCHEMA),
                    "responses": {"200": ok, "404": {}},
                }
            },
            "/repos/{owner}/{repo}": {
                "patch": {
                    "operationId": "repos/update",
                    "requestBody": body(SETTINGS_SCHEMA),
                    "responses": {"200": ok},
                }
            },
            "/repos/{owner}/{repo}/releases/{release_id}": {
                "get": {"operationId": "repos/get-release", "responses": {"200": ok}}
            },
            "/repos/{owner}/{repo}/releases/tags/{tag}": {
                "get": {"operationId": "repos/get-release-by-tag", "responses": {"200": ok}}
            },
        },
    }


def _protection(contract: Contract) -> Any:
    operation = contract.operation(PROTECTION_PATH, "put")
    assert operation is not None
    return operation


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_pygithub_protection_body_is_accepted_despite_the_description(version: str) -> None:
    contract = Contract(_document(version))

    assert contract.request_errors(_protection(contract), PYGITHUB_PROTECTION) == []


def test_the_unrelaxed_description_would_refuse_pygithubs_body() -> None:
    from openapi_schema_validator import OAS30WriteValidator

    errors = list(OAS30WriteValidator(PROTECTION_BODY_SCHEMA).iter_errors(PYGITHUB_PROTECTION))

    assert {error.message for error in errors} >= {
        "'contexts' is a required property",
        "None is not of type 'boolean'",
    }


def test_status_checks_still_need_contexts_or_checks() -> None:
    contract = Contract(_document())
    body = {**PYGITHUB_PROTECTION, "required_status_checks": {"strict": True}}

    assert contract.request_errors(_protection(contract), body) != []


def test_a_protection_flag_of_the_wrong_type_is_still_refused() -> None:
    contract = Contract(_document())
    body = {**PYGITHUB_PROTECTION, "allow_deletions": "no"}

    errors = contract.request_errors(_protection(contract), body)

    assert errors == ["allow_deletions: 'no' is not of type 'boolean'"]


def test_null_stays_refused_outside_the_protection_put() -> None:
    contract = Contract(_document())
    update = contract.operation("/repos/{owner}/{repo}", "patch")
    assert update is not None

    errors = contract.request_errors(update, {"has_wiki": None})

    assert errors and all(error.startswith("has_wiki: None") for error in errors)


def test_a_required_body_must_be_sent() -> None:
    contract = Contract(_document())

    assert contract.request_errors(_protection(contract), None) == ["a request body is required"]


def test_responses_are_checked_by_status() -> None:
    contract = Contract(_document())
    operation = _protection(contract)

    assert contract.response_errors(operation, 200, {"url": "u"}) == []
    assert contract.response_errors(operation, 200, {}) == ["(body): 'url' is a required property"]
    assert contract.response_errors(operation, 201, {"url": "u"}) == [
        "status 201 is not a documented response"
    ]
    assert contract.response_errors(operation, 404, {"message": "Branch not protected"}) == []
    assert contract.response_errors(operation, 401, {"message": "Bad credentials"}) == []
    assert contract.response_errors(operation, 502, {"oops": 1}) == [
        "(body): 'message' is a required property"
    ]


def test_match_prefers_the_template_with_more_literal_text() -> None:
    contract = Contract(_document())

    by_tag = contract.match("GET", "/repos/acme/widget/releases/tags/v1.0")
    by_id = contract.match("GET", "/repos/acme/widget/releases/7")

    assert by_tag is not None and by_tag[0].operation_id == "repos/get-release-by-tag"
    assert by_tag[1] == {"owner": "acme", "repo": "widget", "tag": "v1.0"}
    assert by_id is not None and by_id[1]["release_id"] == "7"
    assert contract.match("DELETE", "/repos/acme/widget/releases/7") is None


def test_a_branch_parameter_may_hold_slashes() -> None:
    contract = Contract(_document())

    found = contract.match("PUT", "/repos/acme/widget/branches/release/1.x/protection")

    assert found is not None and found[1]["branch"] == "release/1.x"


def _update_script() -> Any:
    path = Path(__file__).parents[2] / "scripts" / "update_github_openapi.py"
    spec = importlib.util.spec_from_file_location("update_github_openapi", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_update_script_drops_annotations_but_keeps_property_names() -> None:
    script = _update_script()
    schema = {
        "title": "Repository",
        "description": "A repository",
        "type": "object",
        "required": ["description"],
        "properties": {
            "description": {"type": "string", "nullable": True, "example": "x"},
            "topics": {"type": "array", "items": {"type": "string", "description": "a topic"}},
        },
        "x-github": {"internal": True},
    }

    assert script.strip_schema(schema) == {
        "type": "object",
        "required": ["description"],
        "properties": {
            "description": {"type": "string", "nullable": True},
            "topics": {"type": "array", "items": {"type": "string"}},
        },
    }


def test_the_update_script_writes_nullable_as_a_null_type_for_plain_json_schema() -> None:
    script = _update_script()
    schema = {
        "type": "object",
        "nullable": True,
        "properties": {
            "nullable": {"type": "boolean"},
            "state": {"type": "string", "enum": ["open", "closed"], "nullable": True},
        },
    }
    assert script.plain_schema(schema) == {
        "type": ["object", "null"],
        "properties": {
            "nullable": {"type": "boolean"},
            "state": {"type": ["string", "null"], "enum": ["open", "closed", None]},
        },
    }


def test_the_shipped_request_schemas_cover_every_write_governance_sends() -> None:
    import json

    from repokit.governance.schemas import OPERATIONS, SCHEMA_FILE, key

    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert sorted(shipped["operations"]) == sorted(key(m, p) for m, p in OPERATIONS)
    assert shipped["source"].startswith("@octokit/openapi@")
