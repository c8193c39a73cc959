"""GitHub's OpenAPI description as a contract: does GitHub document this request or response?

The description is the subset of ``@octokit/openapi``'s dereferenced
``api.github.com`` document that ``scripts/update_github_openapi.py`` writes to
``tests/contract/github-openapi.json``. Bodies are checked with
openapi-schema-validator (OAS 3.0 or 3.1, whichever the document declares).

GitHub is looser than its description in a few known places. Those, and only
those, are allowed here, each in :func:`_allow_known_looseness` with the reason.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)

#: What an undocumented error status must still look like: GitHub's "basic error".
BASIC_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": {"type": "string"},
        "documentation_url": {"type": "string"},
        "status": {"type": "string"},
    },
}

PROTECTION_PATH = "/repos/{owner}/{repo}/branches/{branch}/protection"
#: Optional protection flags the description types as boolean and GitHub also takes as null.
NULLABLE_PROTECTION_FLAGS = (
    "required_linear_history",
    "allow_force_pushes",
    "allow_deletions",
    "block_creations",
    "required_conversation_resolution",
    "lock_branch",
    "allow_fork_syncing",
)
_MAX_ERRORS = 5


@dataclass(frozen=True)
class Operation:
    """One method on one path template, with the JSON schemas of its bodies."""

    path: str
    method: str
    operation_id: str
    request_schema: dict[str, Any] | None
    request_media_type: str | None
    request_body_required: bool
    required_query: tuple[str, ...]
    #: status code (as text, or "default") -> JSON schema of the body, None for no JSON body.
    responses: dict[str, dict[str, Any] | None]
    _pattern: re.Pattern[str] = field(repr=False, compare=False, default=re.compile(""))

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, self.method)


@dataclass(frozen=True)
class Violation:
    """A request or response that GitHub's description does not allow."""

    #: "request", "response", or "emulator" (a handler failed: a bug to fix here).
    direction: str
    method: str
    path: str
    operation_id: str
    status: int | None
    detail: str

    def __str__(self) -> str:
        status = f" -> {self.status}" if self.status is not None else ""
        where = f"{self.direction} {self.method} {self.path}{status}"
        return f"{where} ({self.operation_id}): {self.detail}"


#: Path parameters whose values may hold slashes (a file path, ``release/1.x``, a tag).
SLASHED_PARAMETERS = frozenset({"path", "branch", "ref", "tag"})


def template_pattern(template: str) -> re.Pattern[str]:
    """A regex for a path template; only SLASHED_PARAMETERS span slashes.

    Where a slashed parameter makes two templates match, the caller tries the one with
    more literal text first, as GitHub does (``.../main/protection`` is the protection).
    """
    regex = ""
    for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
        regex += re.escape(literal)
        if name:
            group = ".+" if name in SLASHED_PARAMETERS else "[^/]+"
            regex += f"(?P<{name}>{group})"
    return re.compile(f"^{regex}$")


class Contract:
    """The operations of the committed description, and the checks of bodies against them."""

    def __init__(self, document: dict[str, Any], *, source: str = "<document>") -> None:
        self.source = source
        self.openapi_version = str(document.get("openapi", ""))
        self.info: dict[str, Any] = dict(document.get("info", {}))
        self.is_oas31 = not self.openapi_version.startswith("3.0")
        self.operations: dict[tuple[str, str], Operation] = {}
        for path, item in document.get("paths", {}).items():
            for method, spec in item.items():
                if method in {"get", "put", "post", "patch", "delete", "head"}:
                    operation = _operation(path, method, spec, oas31=self.is_oas31)
                    self.operations[operation.key] = operation
        if not self.is_oas31:
            self._request_validator: Any = OAS30WriteValidator
            self._response_validator: Any = OAS30ReadValidator
            self._format_checker: Any = oas30_format_checker
        else:
            self._request_validator = self._response_validator = OAS31Validator
            self._format_checker = oas31_format_checker
        # Templates with more literal text first, so /releases/tags/{tag} beats /releases/{id}.
        self._by_specificity = sorted(
            self.operations.values(),
            key=lambda op: len(re.sub(r"\{\w+\}", "", op.path)),
            reverse=True,
        )

    @classmethod
    def load(cls, path: Path) -> Contract:
        return cls(json.loads(path.read_text(encoding="utf-8")), source=str(path))

    @property
    def version(self) -> str:
        """The ``@octokit/openapi`` release the description was taken from."""
        return str(self.info.get("version", "unknown"))

    def operation(self, path: str, method: str) -> Operation | None:
        return self.operations.get((path, method.lower()))

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation serving a concrete ``path`` and its path parameters, if any."""
        for operation in self._by_specificity:
            if operation.method != method.lower():
                continue
            found = operation._pattern.match(path)
            if found:
                return operation, found.groupdict()
        return None

    def request_errors(
        self, operation: Operation, body: Any, *, query: dict[str, list[str]] | None = None
    ) -> list[str]:
        """Why GitHub's description rejects this request (empty: it accepts it)."""
        errors = [
            f"query parameter {name!r} is required"
            for name in operation.required_query
            if name not in (query or {})
        ]
        if body is None:
            if operation.request_body_required:
                errors.append("a request body is required")
            return errors
        if operation.request_schema is None:
            if operation.request_media_type is None:
                errors.append("this operation takes no request body")
            return errors
        return errors + self._schema_errors(self._request_validator, operation.request_schema, body)

    def response_errors(self, operation: Operation, status: int, body: Any) -> list[str]:
        """Why this response is not one the description documents (empty: it is)."""
        key = str(status)
        if key not in operation.responses and f"{key[0]}XX" in operation.responses:
            key = f"{key[0]}XX"
        if key not in operation.responses:
            if status < 400:
                return [f"status {status} is not a documented response"]
            # The description lists only some error statuses (401, 403, 5xx can come from
            # anywhere); an undocumented error must still be GitHub's basic error shape.
            return self._schema_errors(self._response_validator, BASIC_ERROR_SCHEMA, body)
        schema = operation.responses[key]
        if schema is None and body is not None and status >= 400:
            # Some error statuses are documented without a body, yet GitHub answers its basic
            # error there too (PyGithub needs its "message": a 404 "Not Found" is how
            # Team.get_repo_permission learns the team lacks the repository).
            schema = BASIC_ERROR_SCHEMA
        if schema is None:
            return [] if body is None else [f"status {status} documents no JSON body"]
        if body is None:
            return [f"status {status} documents a JSON body, none was sent"]
        return self._schema_errors(self._response_validator, schema, body)

    def _schema_errors(self, validator_class: Any, schema: dict[str, Any], body: Any) -> list[str]:
        validator = validator_class(schema, format_checker=self._format_checker)
        return [_describe(error) for error in _first(validator.iter_errors(body), _MAX_ERRORS)]


def _first(errors: Iterator[Any], count: int) -> list[Any]:
    found = []
    for error in errors:
        found.append(error)
        if len(found) == count:
            break
    return found


def _describe(error: Any) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "(body)"
    message = str(error.message)
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{where}: {message}"


def _operation(path: str, method: str, spec: dict[str, Any], *, oas31: bool) -> Operation:
    request_schema: dict[str, Any] | None = None
    media_type: str | None = None
    body = spec.get("requestBody") or {}
    content = body.get("content") or {}
    if content:
        media_type = next(iter(content))
        json_content = content.get("application/json")
        if json_content is not None:
            media_type = "application/json"
            request_schema = json_content.get("schema")
    responses: dict[str, dict[str, Any] | None] = {}
    for status, response in (spec.get("responses") or {}).items():
        json_body = (response.get("content") or {}).get("application/json")
        schema = json_body.get("schema") if json_body else None
        if schema is not None and str(status)[0] in "45" and "oneOf" in schema:
            # Alternative error bodies are written as oneOf, yet they overlap (the basic error
            # and the rule-violation error both fit {"message": ...}), so no answer could
            # match exactly one: for errors, fitting any of them is what GitHub means.
            schema = {**schema, "anyOf": schema["oneOf"]}
            del schema["oneOf"]
        responses[str(status)] = schema
    required_query = tuple(
        parameter["name"]
        for parameter in spec.get("parameters", [])
        if parameter.get("in") == "query" and parameter.get("required")
    )
    if request_schema is not None:
        request_schema = _allow_known_looseness(path, method, request_schema, oas31=oas31)
    return Operation(
        path=path,
        method=method,
        operation_id=str(spec.get("operationId", f"{method} {path}")),
        request_schema=request_schema,
        request_media_type=media_type,
        request_body_required=bool(body.get("required", False)),
        required_query=required_query,
        responses=responses,
        _pattern=template_pattern(path),
    )


def _allow_known_looseness(
    path: str, method: str, schema: dict[str, Any], *, oas31: bool
) -> dict[str, Any]:
    """The request schema, widened only where GitHub itself accepts more than it documents."""
    if (path, method) != (PROTECTION_PATH, "put"):
        return schema
    schema = copy.deepcopy(schema)
    properties = schema.get("properties", {})
    checks = properties.get("required_status_checks")
    if isinstance(checks, dict) and "contexts" in checks.get("required", []):
        # The description requires the deprecated `contexts`; GitHub takes `checks` in its
        # place (PyGithub sends only `checks`). One of the two must be there; sending both is
        # refused by GitHub itself with a 422, which the emulator answers, not this check.
        checks["required"] = [name for name in checks["required"] if name != "contexts"]
        checks["anyOf"] = [{"required": ["contexts"]}, {"required": ["checks"]}]
    for flag in NULLABLE_PROTECTION_FLAGS:
        # Typed boolean, yet GitHub takes null ("leave it off"): PyGithub's
        # Branch.edit_protection sends null for every flag it is not given.
        flag_schema = properties.get(flag)
        if not isinstance(flag_schema, dict):
            continue
        if oas31:
            types = flag_schema.get("type", "boolean")
            types = types if isinstance(types, list) else [types]
            flag_schema["type"] = [*types, "null"] if "null" not in types else types
        else:
            flag_schema["nullable"] = True
    return schema
