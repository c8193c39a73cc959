#!/usr/bin/env python3
"""Refresh tests/contract/github-openapi.json from GitHub's official OpenAPI description.

Downloads ``@octokit/openapi`` with ``npm pack`` (GitHub's description from
github/rest-api-description, republished on npm), reads its dereferenced
``api.github.com`` document, keeps only the operations the GitHub emulator serves
(its routing table is the list) and writes them, smaller, to the contract file:
descriptions, examples and vendor extensions go, every keyword validation uses stays.

    python scripts/update_github_openapi.py                 # latest release
    python scripts/update_github_openapi.py --version 23.0.2
    python scripts/update_github_openapi.py --tarball octokit-openapi-23.0.2.tgz

It also writes the request schemas of the writes governance sends, as plain JSON Schema
(OpenAPI 3.0's ``nullable`` turned into a ``null`` type), into the package:
src/repokit/governance/github_request_schemas.json, which checks every body before any write.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "@octokit/openapi"
MEMBER = "package/generated/api.github.com.deref.json"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "tests" / "contract" / "github-openapi.json"
SCHEMAS_OUTPUT = ROOT / "src" / "repokit" / "governance" / "github_request_schemas.json"

#: Annotations that validation does not read: dropped from every schema and operation.
ANNOTATIONS = frozenset(
    {"description", "summary", "example", "examples", "title", "externalDocs", "tags"}
)
#: Keywords whose value is a schema, or a list or map of schemas.
SCHEMA_KEYWORDS = frozenset({"items", "additionalProperties", "not"})
SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf"})
SCHEMA_MAP_KEYWORDS = frozenset({"properties", "patternProperties"})
METHODS = ("get", "put", "post", "patch", "delete")


def needed_operations() -> list[tuple[str, str]]:
    """(path template, method) of every operation the emulator serves, from its routing table."""
    sys.path.insert(0, str(ROOT / "src"))
    from repokit.testing.github.routes import ROUTES

    return sorted({route.operation_key for route in ROUTES})


def fetch_tarball(version: str, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("error: npm is not installed\nhint: install Node.js, or pass --tarball FILE")
    spec = PACKAGE if version == "latest" else f"{PACKAGE}@{version}"
    result = subprocess.run(
        [npm, "pack", spec, "--silent"], cwd=workdir, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"error: npm pack {spec} failed: {result.stderr.strip()}")
    return workdir / result.stdout.strip().splitlines()[-1]


def read_description(tarball: Path) -> dict[str, Any]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            sys.exit(f"error: {tarball} has no {MEMBER}")
        document: dict[str, Any] = json.load(member)
    return document


def strip_schema(schema: Any) -> Any:
    """A schema without annotations; property *names* such as "description" are kept."""
    if isinstance(schema, list):
        return [strip_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS or key.startswith("x-"):
            continue
        if key in SCHEMA_MAP_KEYWORDS:
            kept[key] = {name: strip_schema(item) for name, item in value.items()}
        elif key in SCHEMA_LIST_KEYWORDS or key in SCHEMA_KEYWORDS:
            kept[key] = strip_schema(value)
        else:
            kept[key] = value
    return kept


def strip_operation(operation: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {"operationId": operation["operationId"]}
    if "servers" in operation:
        kept["servers"] = [{"url": server["url"]} for server in operation["servers"]]
    parameters = [
        {
            key: strip_schema(value)
            for key, value in parameter.items()
            if key in {"name", "in", "required", "schema"}
        }
        for parameter in operation.get("parameters", [])
    ]
    if parameters:
        kept["parameters"] = parameters
    if "requestBody" in operation:
        body = operation["requestBody"]
        kept["requestBody"] = {
            "required": body.get("required", False),
            "content": {
                media: {"schema": strip_schema(content.get("schema", {}))}
                for media, content in body.get("content", {}).items()
            },
        }
    responses: dict[str, Any] = {}
    for status, response in operation.get("responses", {}).items():
        entry: dict[str, Any] = {}
        content = {
            media: {"schema": strip_schema(value["schema"])}
            for media, value in response.get("content", {}).items()
            if "schema" in value
        }
        if content:
            entry["content"] = content
        responses[status] = entry
    kept["responses"] = responses
    return kept


def subset(
    document: dict[str, Any], operations: list[tuple[str, str]], source: str
) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    missing = []
    for path, method in operations:
        operation = document["paths"].get(path, {}).get(method)
        if operation is None:
            missing.append(f"{method.upper()} {path}")
            continue
        paths.setdefault(path, {})[method] = strip_operation(operation)
    if missing:
        sys.exit("error: the description no longer has: " + ", ".join(missing))
    info = document["info"]
    return {
        "openapi": document["openapi"],
        "info": {
            "title": "GitHub v3 REST API: the operations repokit's GitHub emulator serves",
            "version": info["version"],
            "x-source": source,
            "x-regenerate": "python scripts/update_github_openapi.py",
        },
        "servers": [{"url": server["url"]} for server in document.get("servers", [])],
        "paths": dict(sorted(paths.items())),
    }


def plain_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: ``nullable: true`` becomes a null type."""
    if isinstance(schema, list):
        return [plain_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {
        key: (
            {name: plain_schema(item) for name, item in value.items()}
            if key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict)
            else plain_schema(value)
        )
        for key, value in schema.items()
        if key != "nullable"
    }
    if schema.get("nullable"):
        if isinstance(result.get("type"), str):
            result["type"] = [result["type"], "null"]
        if "enum" in result and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
        for combinator in ("anyOf", "oneOf"):
            if combinator in result:
                result[combinator] = [*result[combinator], {"type": "null"}]
    return result


def request_schemas(contract_document: dict[str, Any], source: str) -> dict[str, Any]:
    """The request body schema of every write governance sends, widened where GitHub is."""
    sys.path.insert(0, str(ROOT / "src"))
    from repokit.governance.schemas import OPERATIONS, key
    from repokit.testing.github.openapi import _allow_known_looseness

    operations: dict[str, Any] = {}
    for method, path in OPERATIONS:
        spec = contract_document["paths"].get(path, {}).get(method.lower())
        if spec is None:
            sys.exit(f"error: the description has no {method} {path}")
        body = spec.get("requestBody") or {}
        schema = (body.get("content") or {}).get("application/json", {}).get("schema")
        if schema is not None:
            schema = _allow_known_looseness(path, method.lower(), schema, oas31=False)
            schema = plain_schema(schema)
        operations[key(method, path)] = {"required": bool(body.get("required")), "schema": schema}
    return {"source": source, "operations": operations}


def render(document: dict[str, Any]) -> str:
    """The document as JSON with one operation per line: small, and a diff names what changed."""

    def compact(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    head = {key: value for key, value in document.items() if key != "paths"}
    lines = ["{"]
    lines += [f" {compact(key)}: {compact(value)}," for key, value in head.items()]
    lines.append(' "paths": {')
    path_items = list(document["paths"].items())
    for path_index, (path, methods) in enumerate(path_items):
        lines.append(f"  {compact(path)}: {{")
        method_items = list(methods.items())
        for method_index, (method, operation) in enumerate(method_items):
            comma = "," if method_index < len(method_items) - 1 else ""
            lines.append(f"   {compact(method)}: {compact(operation)}{comma}")
        lines.append("  }" + ("," if path_index < len(path_items) - 1 else ""))
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="latest", help="@octokit/openapi version")
    parser.add_argument("--tarball", type=Path, help="use this npm tarball, do not download")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="file to write")
    parser.add_argument(
        "--schemas-output", type=Path, default=SCHEMAS_OUTPUT, help="request schemas to write"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        tarball = args.tarball or fetch_tarball(args.version, Path(workdir))
        document = read_description(tarball)
    version = document["info"]["version"]
    source = f"{PACKAGE}@{version} {MEMBER.removeprefix('package/')}"
    result = subset(document, needed_operations(), source)
    text = render(result)
    args.output.write_text(text, encoding="utf-8")
    schemas = request_schemas(result, source)
    args.schemas_output.write_text(
        json.dumps(schemas, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    count = sum(len(methods) for methods in result["paths"].values())
    print(f"wrote {args.output} ({count} operations, {PACKAGE}@{version}, {len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
