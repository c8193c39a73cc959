"""The functions of GitHub's expressions: contains, startsWith, format, join, toJSON and more."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from repokit.ci.values import compare, to_text
from repokit.errors import WorkflowError


def _contains(args: list[Any]) -> bool:
    haystack = args[0] if args else None
    needle = args[1] if len(args) > 1 else None
    if isinstance(haystack, list):
        return any(compare("==", item, needle) for item in haystack)
    return to_text(needle).lower() in to_text(haystack).lower()


def _format(args: list[Any]) -> str:
    if not args:
        return ""
    template, values = to_text(args[0]), [to_text(v) for v in args[1:]]

    def replace(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        index = int(match.group(1))
        return values[index] if index < len(values) else ""

    return re.sub(r"\{\{|\}\}|\{(\d+)\}", replace, template)


def _join(args: list[Any]) -> str:
    items = args[0] if args else None
    separator = args[1] if len(args) > 1 else ","
    if not isinstance(items, list):
        return to_text(items)
    return to_text(separator).join(to_text(item) for item in items)


def _from_json(args: list[Any]) -> Any:
    try:
        return json.loads(to_text(args[0]) if args else "null")
    except ValueError as error:
        raise WorkflowError(
            f"fromJSON: not JSON: {to_text(args[0])[:40]!r}",
            hint="pass a JSON string to fromJSON()",
        ) from error


FUNCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "contains": _contains,
    "startswith": lambda a: to_text(a[0]).lower().startswith(to_text(a[1]).lower()),
    "endswith": lambda a: to_text(a[0]).lower().endswith(to_text(a[1]).lower()),
    "format": _format,
    "join": _join,
    "tojson": lambda a: json.dumps(_plain(a[0] if a else None), indent=2),
    "fromjson": _from_json,
}


def _plain(value: Any) -> Any:
    """Contexts as JSON can show them: mappings as dicts, sequences as lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def hash_files(root: Path | None, patterns: list[str]) -> str:
    """GitHub's ``hashFiles()``: SHA-256 over the SHA-256 of each matched file, in path order.

    Patterns are relative to the workspace, ``!`` excludes; no match gives ''.
    """
    if root is None:
        return ""
    included = [p for p in patterns if p and not p.startswith("!")]
    excluded = [p[1:] for p in patterns if p.startswith("!")]
    matched: set[Path] = set()
    for pattern in included:
        matched |= {m for m in root.glob(pattern) if m.is_file()}
    for pattern in excluded:
        matched -= set(root.glob(pattern))
    if not matched:
        return ""
    total = hashlib.sha256()
    for path in sorted(matched):
        total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()
