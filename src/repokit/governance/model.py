"""The desired state of a repository, read from the settings file and validated.

The file is a superset of probot/settings' ``.github/settings.yml``: ``repository:`` (with
topics and the security toggles), ``branches:`` (each with ``protection:``), the lists of
named items (``labels:``, ``milestones:``, ``collaborators:``, ``teams:``; see
:mod:`repokit.governance.sections`) and ``codeowners:``. Every problem is reported at once,
each naming the file, the line and the key; a bad file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repokit.errors import ConfigError
from repokit.governance import codeowners_syntax
from repokit.governance.sections import SECTIONS, ItemList, parse_items
from repokit.governance.text import first_unsafe
from repokit.governance.yamlfile import (
    HINT,
    Problems,
    check_keys,
    check_types,
    item_line,
    line_of,
    parse,
    plain,
    read_text,
    strings,
)

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
    "security_and_analysis": dict,
}
#: probot's toggles, each its own endpoint on GitHub (PUT to enable, DELETE to disable).
SECURITY_TOGGLES = {
    "enable_vulnerability_alerts": "vulnerability-alerts",
    "enable_automated_security_fixes": "automated-security-fixes",
}
#: Other tools' names for those toggles, read as them. probot passes ``vulnerability_alerts``
#: on in its PATCH, where GitHub ignores it, though its users mean the toggle; safe-settings
#: reads ``security: {enableVulnerabilityAlerts, enableAutomatedSecurityFixes}``.
SECURITY_ALIASES = {"vulnerability_alerts": "enable_vulnerability_alerts"}
SAFE_SETTINGS_SECURITY = {
    "enableVulnerabilityAlerts": "enable_vulnerability_alerts",
    "enableAutomatedSecurityFixes": "enable_automated_security_fixes",
}
#: Accepted for probot/settings compatibility, but not written.
REPOSITORY_IGNORED = {
    "name": "the repository is never renamed",
    "has_downloads": "GitHub dropped it",
    "template_repository": "a repository's template is chosen when it is created",
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
NULL = type(None)
REVIEW_FIELDS: dict[str, type | tuple[type, ...]] = {
    "required_approving_review_count": (int, NULL),
    "dismiss_stale_reviews": (bool, NULL),
    "require_code_owner_reviews": (bool, NULL),
    "require_last_push_approval": (bool, NULL),
    "dismissal_restrictions": (dict, NULL),
    "bypass_pull_request_allowances": (dict, NULL),
}
STATUS_FIELDS: dict[str, type | tuple[type, ...]] = {
    "strict": (bool, NULL),
    "contexts": (list, NULL),
    "checks": (list, NULL),
    "from_workflows": (bool, list),
}
PROTECTION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "required_status_checks": (dict, NULL),
    "enforce_admins": (bool, NULL),
    "required_pull_request_reviews": (dict, NULL),
    "restrictions": (dict, NULL),
    "required_signatures": (bool, NULL),
    **dict.fromkeys(FLAGS, (bool, NULL)),
}
TOP_LEVEL = {"_extends", "repository", "branches", "codeowners", *SECTIONS}


@dataclass(frozen=True)
class BranchRule:
    """A branch's desired protection, as written (partial); ``delete``: remove the protection
    (probot's ``protection: null`` or ``{}``)."""

    name: str
    protection: Mapping[str, Any]
    line: int
    delete: bool = False


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
    security: Mapping[str, bool] = field(default_factory=dict)
    branches: tuple[BranchRule, ...] = ()
    codeowners: tuple[CodeownersRule, ...] | None = None
    sections: Mapping[str, ItemList] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    extends: str | None = None
    #: ``"repository.<key>"`` -> its line, to point at a value GitHub would refuse.
    lines: Mapping[str, int] = field(default_factory=dict)

    def branch(self, name: str) -> BranchRule | None:
        return next((rule for rule in self.branches if rule.name == name), None)


#: Fetches ``_extends``: given its value, the text of the file it names and where it is.
Extends = Callable[[str], tuple[str, str]]


def load(path: Path, extends: Extends | None = None) -> Settings:
    """Read and validate the settings file; ConfigError lists every problem found.

    With ``_extends:`` the named file is fetched through ``extends`` and the two are merged
    as probot merges them (see :func:`repokit.governance.extends.merge`).
    """
    from repokit.governance.extends import merge, target

    source = str(path)
    data = parse(read_text(path), source)
    data = data if data is not None else {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping at the top", hint=HINT)
    base_value = data.get("_extends")
    if base_value is not None:
        if not isinstance(base_value, str) or not base_value.strip():
            msg = f"{path}:{line_of(data, '_extends')}: _extends: expected owner/repo[:path]"
            raise ConfigError(msg, hint="e.g. _extends: .github (the organization's)")
        try:
            target(base_value.strip(), "owner")  # the form, before anything is fetched
        except ConfigError as error:
            at = f"{path}:{line_of(data, '_extends')}"
            raise ConfigError(f"{at}: {error.message}", hint=error.hint) from None
        if extends is None:
            msg = f"{path}: _extends: {base_value} needs a GitHub token to be read"
            raise ConfigError(msg, hint="export GITHUB_TOKEN (or log in with gh)")
        text, where = extends(base_value.strip())
        base = parse(text, where)
        if base is not None and not isinstance(base, Mapping):
            raise ConfigError(f"{where}: expected a mapping at the top", hint=HINT)
        if isinstance(base, Mapping) and base.get("_extends") is not None:
            raise ConfigError(f"{where}: _extends of an _extends", hint="extend one level only")
        data = merge(base or {}, data)
    return validate(data, path, extends=str(base_value) if base_value else None)


def validate(data: Mapping[str, Any], path: Path, *, extends: str | None = None) -> Settings:
    problems = Problems(str(path))
    _check_text(problems, data, "", 0)
    check_keys(problems, data, "", TOP_LEVEL)
    repository, topics, security, notes = _repository(
        problems, data.get("repository"), line_of(data, "repository")
    )
    branches = _branches(problems, data.get("branches"), line_of(data, "branches"))
    codeowners = _codeowners(problems, data.get("codeowners"), line_of(data, "codeowners"))
    sections: dict[str, ItemList] = {}
    for name, spec in SECTIONS.items():
        if data.get(name) is not None:
            parsed = parse_items(problems, spec, data[name], line_of(data, name), notes)
            if parsed is not None:
                sections[name] = parsed
    problems.raise_any()
    notes += problems.notes
    return Settings(
        path=path,
        repository=repository,
        topics=topics,
        security=security,
        branches=branches,
        codeowners=codeowners,
        sections=sections,
        notes=tuple(notes),
        extends=extends,
        lines=_lines(data.get("repository"), "repository"),
    )


def _check_text(problems: Problems, node: Any, prefix: str, line: int) -> None:
    """Every key and text value of the file, refused when it holds a character that could
    spoof the plan (a line break, a tab, an escape sequence, U+2028, a bidi override). The
    line break that ends a block scalar (``description: >``) is not part of the value."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            at = line_of(node, key)
            where = f"{prefix}{key}"
            for text in (key, value):
                found = first_unsafe(text.rstrip("\n")) if isinstance(text, str) else None
                if found:
                    problems.add(at, where, f"holds {found}: text here is one line, printable")
            _check_text(problems, value, f"{where}.", at)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            at = item_line(node, index) or line
            found = first_unsafe(item.rstrip("\n")) if isinstance(item, str) else None
            if found:
                problems.add(at, f"{prefix.rstrip('.')}[{index}]", f"holds {found}")
            _check_text(problems, item, f"{prefix.rstrip('.')}[{index}].", at)


def _lines(node: Any, prefix: str) -> dict[str, int]:
    if not isinstance(node, Mapping):
        return {}
    return {f"{prefix}.{key}": line_of(node, key) for key in node}


def _repository(
    problems: Problems, node: Any, line: int
) -> tuple[dict[str, Any], tuple[str, ...] | None, dict[str, bool], list[str]]:
    if node is None:
        return {}, None, {}, []
    if not isinstance(node, Mapping):
        problems.add(line, "repository", "expected a mapping")
        return {}, None, {}, []
    types: dict[str, Any] = {
        **{k: _or_null(t) for k, t in REPOSITORY_FIELDS.items()},
        **dict.fromkeys(SECURITY_TOGGLES, (bool, NULL)),
        **dict.fromkeys(SECURITY_ALIASES, (bool, NULL)),
        "security": (dict, NULL),
        "topics": (list, str, NULL),
        **dict.fromkeys(REPOSITORY_IGNORED, object),
    }
    check_types(problems, node, "repository.", types)
    # probot: a key left empty (null) changes nothing
    fields = {k: plain(v) for k, v in node.items() if k in REPOSITORY_FIELDS and v is not None}
    security = {k: bool(v) for k, v in node.items() if k in SECURITY_TOGGLES and v is not None}
    _security_aliases(problems, node, security)
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
        parsed = tuple(str(t).strip() for t in topics if str(t).strip())
    if not parsed:
        parsed = None  # an empty value changes nothing (it never wipes the live topics)
    # GitHub stores topics in lowercase: "Nix" is the topic "nix"
    parsed = tuple(dict.fromkeys(t.lower() for t in parsed)) if parsed else None
    for topic in parsed or ():
        if not topic.replace("-", "").isalnum() or not topic.isascii() or len(topic) > 50:
            problems.add(
                line_of(node, "topics"),
                "repository.topics",
                f"{topic!r} is not a topic (lowercase letters, digits, hyphens; 50 at most)",
            )
    visibility = fields.get("visibility")
    if visibility is not None and visibility not in ("public", "private", "internal"):
        problems.add(
            line_of(node, "visibility"),
            "repository.visibility",
            "expected public, private or internal",
        )
    return fields, parsed, security, notes


def _security_aliases(
    problems: Problems, node: Mapping[str, Any], security: dict[str, bool]
) -> None:
    """Add the toggles set by their aliases to ``security``; an alias that contradicts the
    toggle, or another alias, is a problem."""
    found = [
        (f"repository.{k}", line_of(node, k), t, v)
        for k, t in SECURITY_ALIASES.items()
        for v in [node.get(k)]
    ]
    block = node.get("security")
    if isinstance(block, Mapping):
        check_types(
            problems,
            block,
            "repository.security.",
            dict.fromkeys(SAFE_SETTINGS_SECURITY, (bool, NULL)),
        )
        found += [
            (f"repository.security.{k}", line_of(block, k), t, v)
            for k, t in SAFE_SETTINGS_SECURITY.items()
            for v in [block.get(k)]
        ]
    said = {k: f"repository.{k}" for k in security}
    for name, line, toggle, value in found:
        if not isinstance(value, bool):
            continue
        if security.get(toggle, value) != value:
            problems.add(line, name, f"{str(value).lower()} contradicts {said[toggle]}")
            continue
        security[toggle] = value
        said.setdefault(toggle, name)


def _or_null(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return (kind if isinstance(kind, tuple) else (kind,)) + (NULL,)


def _branches(problems: Problems, node: Any, line: int) -> tuple[BranchRule, ...]:
    if node is None:
        return ()
    if not isinstance(node, list):
        problems.add(line, "branches", "expected a list of {name, protection}")
        return ()
    rules: list[BranchRule] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(node):
        where = f"branches[{index}]."
        at = item_line(node, index)
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            problems.add(at, f"branches[{index}]", "expected a mapping with a name")
            continue
        name = str(item["name"])
        if name in seen:
            problems.add(
                at, f"branches[{index}]", f"{name} is listed twice (also line {seen[name]})"
            )
            continue
        seen[name] = at
        check_keys(problems, item, where, {"name", "protection"})
        protection = item.get("protection")
        if protection is None or protection == {}:
            rules.append(BranchRule(name, {}, at, delete=True))
            continue
        if not isinstance(protection, Mapping):
            problems.add(line_of(item, "protection"), f"{where}protection", "expected a mapping")
            continue
        _protection(problems, protection, f"{where}protection.")
        rules.append(BranchRule(name, _known(plain(protection), PROTECTION_FIELDS), at))
    return tuple(rules)


#: The nested mappings of a protection, and the keys each knows.
_NESTED: dict[str, Mapping[str, Any]] = {
    "required_pull_request_reviews": REVIEW_FIELDS,
    "required_status_checks": STATUS_FIELDS,
    "restrictions": dict.fromkeys(("users", "teams", "apps")),
}


def _known(node: dict[str, Any], known: Mapping[str, Any]) -> dict[str, Any]:
    """The protection without the keys no one applies (they were noted when read)."""
    kept = {k: v for k, v in node.items() if k in known}
    for key, fields in _NESTED.items():
        if isinstance(kept.get(key), dict) and known is PROTECTION_FIELDS:
            kept[key] = {k: v for k, v in kept[key].items() if k in fields}
    return kept


def _protection(problems: Problems, protection: Mapping[str, Any], prefix: str) -> None:
    check_types(problems, protection, prefix, PROTECTION_FIELDS)
    reviews = protection.get("required_pull_request_reviews")
    if isinstance(reviews, Mapping):
        where = f"{prefix}required_pull_request_reviews."
        check_types(problems, reviews, where, REVIEW_FIELDS)
        count = reviews.get("required_approving_review_count")
        if isinstance(count, int) and not isinstance(count, bool) and not 0 <= count <= 6:
            problems.add(
                line_of(reviews, "required_approving_review_count"),
                f"{where}required_approving_review_count",
                f"must be 0 to 6, got {count}",
            )
        for key in ("dismissal_restrictions", "bypass_pull_request_allowances"):
            _people(problems, reviews.get(key), f"{where}{key}.", ("users", "teams", "apps"))
    checks = protection.get("required_status_checks")
    if isinstance(checks, Mapping):
        where = f"{prefix}required_status_checks."
        check_types(problems, checks, where, STATUS_FIELDS)
        given = [k for k in ("contexts", "checks", "from_workflows") if checks.get(k)]
        if len(given) > 1:
            problems.add(
                line_of(checks, given[1]),
                f"{prefix}required_status_checks",
                f"give one of contexts, checks or from_workflows, not {' and '.join(given)}",
            )
        if isinstance(checks.get("contexts"), list):
            strings(problems, checks, "contexts", where)
        if isinstance(checks.get("from_workflows"), list):
            strings(problems, checks, "from_workflows", where)
        for entry in checks.get("checks") or []:
            app = entry.get("app_id") if isinstance(entry, Mapping) else None
            if (
                not isinstance(entry, Mapping)
                or not isinstance(entry.get("context"), str)
                or not (app is None or (isinstance(app, int) and not isinstance(app, bool)))
                or set(entry) - {"context", "app_id"}
            ):
                problems.add(
                    line_of(checks, "checks"),
                    f"{where}checks",
                    "each entry is {context: <name>, app_id: <number>} (app_id may be left out)",
                )
    _people(
        problems,
        protection.get("restrictions"),
        f"{prefix}restrictions.",
        ("users", "teams", "apps"),
    )


def _people(problems: Problems, node: Any, prefix: str, keys: tuple[str, ...]) -> None:
    if not isinstance(node, Mapping):
        return
    check_types(problems, node, prefix, dict.fromkeys(keys, (list, NULL)))
    for key in keys:
        if isinstance(node.get(key), list):
            strings(problems, node, key, prefix)


def _codeowners(problems: Problems, node: Any, line: int) -> tuple[CodeownersRule, ...] | None:
    if node is None:
        return None
    if not isinstance(node, list):
        problems.add(line, "codeowners", "expected a list of {pattern, owners}")
        return None
    rules: list[CodeownersRule] = []
    for index, item in enumerate(node):
        at = item_line(node, index)
        where = f"codeowners[{index}]"
        if not isinstance(item, Mapping):
            problems.add(at, where, "expected {pattern, owners}")
            continue
        check_keys(problems, item, f"{where}.", {"pattern", "owners"})
        pattern, owners = item.get("pattern"), item.get("owners", [])
        if not isinstance(pattern, str) or not pattern.strip():
            problems.add(at, f"{where}.pattern", "expected a path pattern")
            continue
        if isinstance(owners, str):
            owners = owners.split(" ")
        if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
            problems.add(at, f"{where}.owners", "expected a list of owners")
            continue
        found = codeowners_syntax.pattern_problem(pattern) or next(
            (p for o in owners if (p := codeowners_syntax.owner_problem(o))), None
        )
        if found:
            problems.add(at, where, found)
            continue
        rules.append(CodeownersRule(pattern.strip(" "), tuple(owners), at))
    return tuple(rules)
