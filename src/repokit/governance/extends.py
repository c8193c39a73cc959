"""``_extends``: a settings file that builds on another repository's, as probot merges them.

``_extends: <repo>`` names ``.github/settings.yml`` of ``<repo>`` in the same owner;
``_extends: <owner>/<repo>`` or ``<repo>:<path>`` name another owner or file. The local file
wins: mappings are merged key by key, and lists of named items (labels, branches, ...) are
merged by name, the local item laid over the inherited one; other lists are replaced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from repokit.errors import ConfigError

DEFAULT_PATH = ".github/settings.yml"
#: The key that names an item in each list probot merges by name.
_NAMES = ("name", "title", "username", "key_prefix")
#: ``repo``, ``owner/repo``, ``repo:path`` or ``owner/repo:path``: GitHub's names for an
#: owner (letters, digits, hyphens) and a repository, and a relative path in it.
_TARGET = re.compile(
    r"(?:(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/)?(?P<repo>[\w.-]{1,100})"
    r"(?::(?P<path>[\w.-]+(?:/[\w.-]+)*))?"
)
FORMS = "<repo>, <repo>:<path>, <owner>/<repo> or <owner>/<repo>:<path>"


def target(value: str, owner: str) -> tuple[str, str]:
    """``(owner/repo, path)`` that ``_extends: value`` names for a repository of ``owner``;
    anything else (a URL, an absolute path, ``..``) is refused naming the forms."""
    found = _TARGET.fullmatch(value.strip())
    path = found.group("path") if found else None
    if found is None or found.group("repo") in (".", "..") or ".." in (path or "").split("/"):
        msg = f"_extends: {value!r} is not one of {FORMS}"
        raise ConfigError(
            msg,
            hint="name a repository on GitHub, not a URL: e.g. _extends: .github:base.yml",
        )
    repo_owner = found.group("owner") or owner
    return f"{repo_owner}/{found.group('repo')}", found.group("path") or DEFAULT_PATH


def merge(base: Mapping[str, Any], local: Mapping[str, Any]) -> dict[str, Any]:
    """``local`` laid over ``base`` (``_extends`` itself is dropped)."""
    result: dict[str, Any] = {k: v for k, v in base.items() if k != "_extends"}
    for key, value in local.items():
        if key == "_extends":
            continue
        result[key] = _merge_value(result.get(key), value)
    return result


def _merge_value(base: Any, local: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(local, Mapping):
        return merge(base, local)
    if isinstance(base, list) and isinstance(local, list):
        name = _name_key(base + local)
        if name is None:
            return local
        merged: dict[str, Any] = {}
        for item in base:
            merged[str(item[name])] = item
        for item in local:
            known = merged.get(str(item[name]))
            merged[str(item[name])] = _merge_value(known, item) if known is not None else item
        return list(merged.values())
    return local


def _name_key(items: list[Any]) -> str | None:
    for name in _NAMES:
        if items and all(isinstance(i, Mapping) and isinstance(i.get(name), str) for i in items):
            return name
    return None
