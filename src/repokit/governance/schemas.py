"""Every request body a plan would send, checked against GitHub's own request schemas.

The schemas are the write operations' request bodies of GitHub's OpenAPI description,
shipped with the package (``github_request_schemas.json``, written by
scripts/update_github_openapi.py), so that a bad file is refused before the first write
instead of by a 422 halfway through.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("github_request_schemas.json")

#: (method, path template) of every write governance sends.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("PATCH", "/repos/{owner}/{repo}"),
    ("PUT", "/repos/{owner}/{repo}/topics"),
    ("PUT", "/repos/{owner}/{repo}/branches/{branch}/protection"),
    ("DELETE", "/repos/{owner}/{repo}/branches/{branch}/protection"),
    ("POST", "/repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"),
    ("DELETE", "/repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"),
    ("PUT", "/repos/{owner}/{repo}/vulnerability-alerts"),
    ("DELETE", "/repos/{owner}/{repo}/vulnerability-alerts"),
    ("PUT", "/repos/{owner}/{repo}/automated-security-fixes"),
    ("DELETE", "/repos/{owner}/{repo}/automated-security-fixes"),
    ("POST", "/repos/{owner}/{repo}/labels"),
    ("PATCH", "/repos/{owner}/{repo}/labels/{name}"),
    ("DELETE", "/repos/{owner}/{repo}/labels/{name}"),
    ("POST", "/repos/{owner}/{repo}/milestones"),
    ("PATCH", "/repos/{owner}/{repo}/milestones/{milestone_number}"),
    ("DELETE", "/repos/{owner}/{repo}/milestones/{milestone_number}"),
    ("PUT", "/repos/{owner}/{repo}/collaborators/{username}"),
    ("DELETE", "/repos/{owner}/{repo}/collaborators/{username}"),
    ("PUT", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"),
    ("DELETE", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"),
    ("PUT", "/repos/{owner}/{repo}/environments/{environment_name}"),
    ("DELETE", "/repos/{owner}/{repo}/environments/{environment_name}"),
    ("POST", "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"),
    (
        "DELETE",
        "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/"
        "{branch_policy_id}",
    ),
    ("POST", "/repos/{owner}/{repo}/autolinks"),
    ("DELETE", "/repos/{owner}/{repo}/autolinks/{autolink_id}"),
    ("POST", "/repos/{owner}/{repo}/rulesets"),
    ("PUT", "/repos/{owner}/{repo}/rulesets/{ruleset_id}"),
    ("DELETE", "/repos/{owner}/{repo}/rulesets/{ruleset_id}"),
)


@cache
def _schemas() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return dict(loaded["operations"])


def key(method: str, template: str) -> str:
    return f"{method.upper()} {template}"


@cache
def _validator(name: str) -> Any:
    """One validator per operation, built once (building it costs more than a check), that
    checks the ``date-time`` format too (a milestone's ``due_on``)."""
    from jsonschema import Draft202012Validator, FormatChecker

    formats = FormatChecker(formats=())
    formats.checks("date-time", raises=ValueError)(_date_time)
    return Draft202012Validator(_schemas()[name]["schema"], format_checker=formats)


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _date_time(value: object) -> bool:
    """RFC 3339's date-time (``2030-01-31T00:00:00Z``), a real date and time."""
    from datetime import datetime

    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # ValueError: no such day or hour
    return True


def unknown_keys(schema: Any, body: Any, where: str = "") -> list[str]:
    """Nested keys of ``body`` that a plain object schema does not name: GitHub ignores them,
    so the setting would silently not be applied (a typo under ``security_and_analysis``).
    Top-level fields are the model's to check (the schema may predate a new one)."""
    if not isinstance(schema, dict) or not isinstance(body, dict):
        return []
    properties = schema.get("properties")
    combined = any(k in schema for k in ("oneOf", "anyOf", "allOf"))
    if not isinstance(properties, dict) or combined or schema.get("additionalProperties"):
        return []
    found = []
    for key, value in body.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in properties and not where:
            continue  # a top-level field newer than the shipped schema: the model knows them
        if key not in properties:
            close = difflib.get_close_matches(str(key), list(properties), 1, 0.6)
            mean = f" (did you mean {close[0]!r}?)" if close else ""
            found.append(f"{path}: unknown key{mean}; GitHub would ignore it")
        else:
            found += unknown_keys(properties[key], value, path)
    return found


def body_problems(method: str, template: str, body: Any) -> list[str]:
    """Why GitHub's schema refuses this body (empty: it accepts it)."""
    entry = _schemas().get(key(method, template))
    if entry is None:
        return [f"{method} {template} is not an operation repokit knows"]
    schema = entry.get("schema")
    if schema is None:
        return [] if body is None else ["GitHub takes no body here"]
    if body is None:
        return ["a body is required"] if entry.get("required") else []
    validator = _validator(key(method, template))
    found = unknown_keys(schema, body)
    errors = [e for top in validator.iter_errors(body) for e in _meant(top)]
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        where = ".".join(str(p) for p in error.absolute_path) or "(body)"
        found.append(f"{where}: {error.message[:200]}")
    return found


def _meant(error: Any) -> list[Any]:
    """For a value that matches none of its ``oneOf`` shapes (a ruleset's rules), the errors
    of the one shape its ``type`` names ("'dismiss_stale_reviews_on_push' is a required
    property"), rather than "is not valid under any of the given schemas"."""
    shapes: dict[Any, list[Any]] = {}
    for sub in error.context or ():
        shapes.setdefault(sub.relative_schema_path[0], []).append(sub)
    named = [
        subs
        for subs in shapes.values()
        if not any(list(e.relative_path) == ["type"] and e.validator == "enum" for e in subs)
    ]
    if error.validator not in ("oneOf", "anyOf") or len(named) != 1:
        return [error]
    return [e for sub in named[0] for e in _meant(sub)]


def check(requests: Iterable[tuple[str, str, str, Any]]) -> list[str]:
    """Problems of every ``(description, method, template, body)``, each naming its request."""
    return [
        f"{description}: {problem}"
        for description, method, template, body in requests
        for problem in body_problems(method, template, body)
    ]


def field_of(problem: str) -> str:
    """The top-level field a problem of :func:`body_problems` is about ("" for the body)."""
    where = problem.split(": ", 1)[0]
    return "" if where == "(body)" else where.split(".", 1)[0]
