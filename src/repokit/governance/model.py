"""The desired state of a repository, read from governance/settings.yml and validated.

The file is a superset of probot/settings' ``.github/settings.yml``: ``repository:``,
``branches:`` (each with ``protection:``) and ``codeowners:``. Every problem is reported at
once, each naming the file, the line and the key; a bad file changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repokit.errors import ConfigError

GITHUB_ACTIONS_APP_ID = 15368

#: Fields of GitHub's repository update (PATCH /repos/{owner}/{repo}) and their types.
REPOSITORY_FIELDS: dict[str, type | tuple[type, ...]] = {
    "description": str,
    "homepage": str,
    "private": bool,
    "visibility": str,
    "has_issues": bool,
    "has_projects": bool,
    "has_wiki": bool,
    "has_discussions": bool,
    "is_template": bool,
    "default_branch": str,
    "allow_squash_merge": bool,
    "allow_merge_commit": bool,
    "allow_rebase_merge": bool,
    "allow_auto_merge": bool,
    "delete_branch_on_merge": bool,
    "allow_update_branch": bool,
    "use_squash_pr_title_as_default": bool,
    "squash_merge_commit_title": str,
    "squash_merge_commit_message": str,
    "merge_commit_title": str,
    "merge_commit_message": str,
    "archived": bool,
    "allow_forking": bool,
    "web_commit_signoff_required": bool,
}
#: Accepted for probot/settings compatibility, but not written.
REPOSITORY_IGNORED = {
    "name": "the repository is never renamed",
    "has_downloads": "GitHub dropped it",
}

FLAGS = (
    "required_linear_history",
    "allow_force_pushes",
    "allow_deletions",
    "block_creations",
    "required_conversation_resolution",
    "lock_branch",
    "allow_fork_syncing",
)
REVIEW_FIELDS: dict[str, type | tuple[type, ...]] = {
    "required_approving_review_count": int,
    "dismiss_stale_reviews": bool,
    "require_code_owner_reviews": bool,
    "require_last_push_approval": bool,
    "dismissal_restrictions": dict,
    "bypass_pull_request_allowances": dict,
}
STATUS_FIELDS: dict[str, type | tuple[type, ...]] = {
    "strict": bool,
    "contexts": list,
    "checks": list,
    "from_workflows": (bool, list),
}
PROTECTION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "required_status_checks": (dict, type(None)),
    "enforce_admins": (bool, type(None)),
    "required_pull_request_reviews": (dict, type(None)),
    "restrictions": (dict, type(None)),
    "required_signatures": bool,
    **dict.fromkeys(FLAGS, bool),
}


@dataclass(frozen=True)
class BranchRule:
    """A branch's desired protection, as written (partial), and where it came from."""

    name: str
    protection: Mapping[str, Any]
    line: int


@dataclass(frozen=True)
class CodeownersRule:
    pattern: str
    owners: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class Settings:
    path: Path
    repository: Mapping[str, Any] = field(default_factory=dict)
    topics: tuple[str, ...] | None = None
    branches: tuple[BranchRule, ...] = ()
    codeowners: tuple[CodeownersRule, ...] | None = None
    notes: tuple[str, ...] = ()

    def branch(self, name: str) -> BranchRule | None:
        return next((rule for rule in self.branches if rule.name == name), None)


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, key: str, text: str) -> None:
        self.items.append(f"{self.path}:{line}: {key}: {text}")


def load(path: Path) -> Settings:
    """Read and validate the settings file; ConfigError lists every problem found."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"{path}: no settings file"
        hint = "write governance/settings.yml (see the README), or pass --config"
        raise ConfigError(msg, hint=hint) from None
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        msg = f"{path}{line}: invalid YAML: {getattr(error, 'problem', None) or error}"
        raise ConfigError(msg, hint="fix the YAML syntax at that line") from None
    data = data if data is not None else {}
    problems = _Problems(path)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping at the top", hint=_HINT)
    _check_keys(problems, data, "", {"repository", "branches", "codeowners"})
    repository, topics, notes = _repository(
        problems, data.get("repository"), _line(data, "repository")
    )
    branches = _branches(problems, data.get("branches"), _line(data, "branches"))
    codeowners = _codeowners(problems, data.get("codeowners"), _line(data, "codeowners"))
    if problems.items:
        count = len(problems.items)
        msg = f"{path}: {count} problem(s):\n  " + "\n  ".join(problems.items)
        raise ConfigError(msg, hint="fix them; nothing was changed")
    return Settings(
        path=path,
        repository=repository,
        topics=topics,
        branches=branches,
        codeowners=codeowners,
        notes=tuple(notes),
    )


_HINT = "see governance/settings.yml in the README for the format"


def _line(node: Any, key: Any) -> int:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return int(getattr(getattr(node, "lc", None), "line", -1) or -1) + 1


def _check_keys(problems: _Problems, node: Mapping[str, Any], prefix: str, known: Any) -> None:
    for key in node:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.add(_line(node, key), f"{prefix}{key}", f"unknown key{hint}")


def _check_types(
    problems: _Problems,
    node: Mapping[str, Any],
    prefix: str,
    types: Mapping[str, type | tuple[type, ...]],
) -> None:
    _check_keys(problems, node, prefix, types)
    for key, value in node.items():
        expected = types.get(key)
        if expected is None:
            continue
        wanted = expected if isinstance(expected, tuple) else (expected,)
        # true/false is an int to Python, but not a review count to GitHub
        is_flag = isinstance(value, bool) and int in wanted and bool not in wanted
        ok = isinstance(value, wanted) and not is_flag
        if not ok:
            names = " or ".join(_type_name(t) for t in wanted)
            problems.add(
                _line(node, key),
                f"{prefix}{key}",
                f"expected {names}, got {_type_name(type(value))}",
            )


def _type_name(kind: type) -> str:
    if issubclass(kind, bool):
        return "true/false"
    if issubclass(kind, Mapping):
        return "a mapping"
    if issubclass(kind, list):
        return "a list"
    if kind is type(None):
        return "null"
    return {"str": "text", "int": "a number"}.get(kind.__name__, kind.__name__)


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _repository(
    problems: _Problems, node: Any, line: int
) -> tuple[dict[str, Any], tuple[str, ...] | None, list[str]]:
    if node is None:
        return {}, None, []
    if not isinstance(node, Mapping):
        problems.add(line, "repository", "expected a mapping")
        return {}, None, []
    types = {
        **REPOSITORY_FIELDS,
        "topics": (list, str),
        **dict.fromkeys(REPOSITORY_IGNORED, object),
    }
    _check_types(problems, node, "repository.", types)
    fields = {k: _plain(v) for k, v in node.items() if k in REPOSITORY_FIELDS}
    notes = [
        f"repository.{k} is not applied: {why}"
        for k, why in REPOSITORY_IGNORED.items()
        if k in node
    ]
    topics = node.get("topics")
    parsed: tuple[str, ...] | None = None
    if isinstance(topics, str):
        parsed = tuple(t.strip() for t in topics.split(",") if t.strip())
    elif isinstance(topics, list):
        parsed = tuple(str(t) for t in topics)
    for topic in parsed or ():
        if not topic.replace("-", "").isalnum() or topic != topic.lower() or len(topic) > 50:
            problems.add(
                _line(node, "topics"),
                "repository.topics",
                f"{topic!r} is not a topic (lowercase letters, digits, hyphens; 50 at most)",
            )
    visibility = fields.get("visibility")
    if visibility is not None and visibility not in ("public", "private", "internal"):
        problems.add(
            _line(node, "visibility"),
            "repository.visibility",
            "expected public, private or internal",
        )
    return fields, parsed, notes


def _branches(problems: _Problems, node: Any, line: int) -> tuple[BranchRule, ...]:
    if node is None:
        return ()
    if not isinstance(node, list):
        problems.add(line, "branches", "expected a list of {name, protection}")
        return ()
    rules: list[BranchRule] = []
    for index, item in enumerate(node):
        where = f"branches[{index}]."
        item_line = _item_line(node, index)
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            problems.add(item_line, f"branches[{index}]", "expected a mapping with a name")
            continue
        _check_keys(problems, item, where, {"name", "protection"})
        protection = item.get("protection")
        if protection is None:
            rules.append(BranchRule(item["name"], {}, item_line))
            continue
        if not isinstance(protection, Mapping):
            problems.add(_line(item, "protection"), f"{where}protection", "expected a mapping")
            continue
        prefix = f"{where}protection."
        _check_types(problems, protection, prefix, PROTECTION_FIELDS)
        reviews = protection.get("required_pull_request_reviews")
        if isinstance(reviews, Mapping):
            _check_types(
                problems, reviews, f"{prefix}required_pull_request_reviews.", REVIEW_FIELDS
            )
            count = reviews.get("required_approving_review_count")
            if isinstance(count, int) and not isinstance(count, bool) and not 0 <= count <= 6:
                problems.add(
                    _line(reviews, "required_approving_review_count"),
                    f"{prefix}required_pull_request_reviews.required_approving_review_count",
                    f"must be 0 to 6, got {count}",
                )
        checks = protection.get("required_status_checks")
        if isinstance(checks, Mapping):
            _check_types(problems, checks, f"{prefix}required_status_checks.", STATUS_FIELDS)
            given = [k for k in ("contexts", "checks", "from_workflows") if checks.get(k)]
            if len(given) > 1:
                problems.add(
                    _line(checks, given[1]),
                    f"{prefix}required_status_checks",
                    f"give one of contexts, checks or from_workflows, not {' and '.join(given)}",
                )
            for entry in checks.get("checks") or []:
                if not isinstance(entry, Mapping) or not isinstance(entry.get("context"), str):
                    problems.add(
                        _line(checks, "checks"),
                        f"{prefix}required_status_checks.checks",
                        "each entry needs a context (and may have an app_id)",
                    )
        restrictions = protection.get("restrictions")
        if isinstance(restrictions, Mapping):
            _check_types(
                problems,
                restrictions,
                f"{prefix}restrictions.",
                {"users": list, "teams": list, "apps": list},
            )
        rules.append(BranchRule(item["name"], _plain(protection), item_line))
    return tuple(rules)


def _item_line(node: Any, index: int) -> int:
    try:
        return int(node.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return 0


def _codeowners(problems: _Problems, node: Any, line: int) -> tuple[CodeownersRule, ...] | None:
    if node is None:
        return None
    if not isinstance(node, list):
        problems.add(line, "codeowners", "expected a list of {pattern, owners}")
        return None
    rules: list[CodeownersRule] = []
    for index, item in enumerate(node):
        item_line = _item_line(node, index)
        if not isinstance(item, Mapping):
            problems.add(item_line, f"codeowners[{index}]", "expected {pattern, owners}")
            continue
        _check_keys(problems, item, f"codeowners[{index}].", {"pattern", "owners"})
        pattern, owners = item.get("pattern"), item.get("owners", [])
        if not isinstance(pattern, str) or not pattern.strip():
            problems.add(item_line, f"codeowners[{index}].pattern", "expected a path pattern")
            continue
        if isinstance(owners, str):
            owners = owners.split()
        if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
            problems.add(item_line, f"codeowners[{index}].owners", "expected a list of owners")
            continue
        rules.append(CodeownersRule(pattern.strip(), tuple(owners), item_line))
    return tuple(rules)
