"""The lists of named items of a settings file: labels, milestones, collaborators, teams.

Each section is a probot list (``labels: [{name, color}, ...]``) or, to remove what the file
does not list, a mapping ``{prune: true, items: [...]}``. Items are identified by their key
(a label's name, a milestone's title, ...); listing one twice is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from repokit.governance import deployment_pattern_syntax
from repokit.governance.yamlfile import (
    Problems,
    as_written,
    check_types,
    item_line,
    line_of,
    plain,
)

NULL = type(None)
PERMISSIONS = ("pull", "triage", "push", "maintain", "admin")
#: The names GitHub's newer screens use for the same levels.
PERMISSION_ALIASES = {"read": "pull", "write": "push"}


@dataclass(frozen=True)
class SectionSpec:
    name: str
    key: str
    fields: Mapping[str, type | tuple[type, ...]]
    #: Keys other tools put in the same file: accepted, not applied (why).
    ignored: Mapping[str, str] = field(default_factory=dict)
    #: Allowed values of a field, when GitHub has a fixed list.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    case_insensitive: bool = False


@dataclass(frozen=True)
class Item:
    key: str
    fields: Mapping[str, Any]
    line: int


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]
    prune: bool = False

    def keys(self) -> list[str]:
        return [item.key for item in self.items]


#: GitHub takes CSS's three-digit shorthand too ("fff"), and stores it as six ("ffffff").
_COLOR = re.compile(r"[0-9a-fA-F]{6}|[0-9a-fA-F]{3}")
_PERMISSION = tuple(PERMISSIONS + tuple(PERMISSION_ALIASES))

SECTIONS: dict[str, SectionSpec] = {
    "labels": SectionSpec(
        "labels",
        "name",
        {
            "name": str,
            "color": (str, int, float, NULL),
            "description": (str, NULL),
            "new_name": str,
            "oldname": str,
        },
        ignored={"aliases": "label aliases belong to other label tools"},
        case_insensitive=True,
    ),
    "milestones": SectionSpec(
        "milestones",
        "title",
        {"title": str, "description": (str, NULL), "state": str, "due_on": (str, NULL)},
        choices={"state": ("open", "closed")},
    ),
    "collaborators": SectionSpec(
        "collaborators",
        "username",
        {"username": str, "permission": str},
        choices={"permission": _PERMISSION},
        case_insensitive=True,
    ),
    "teams": SectionSpec(
        "teams",
        "name",
        {"name": str, "permission": str},
        choices={"permission": _PERMISSION},
        case_insensitive=True,
    ),
    "environments": SectionSpec(
        "environments",
        "name",
        {
            "name": str,
            "wait_timer": (int, NULL),
            "prevent_self_review": (bool, NULL),
            "reviewers": (list, NULL),
            "deployment_branch_policy": (dict, NULL),
        },
    ),
    "rulesets": SectionSpec(
        "rulesets",
        "name",
        {
            "name": str,
            "target": str,
            "enforcement": str,
            "bypass_actors": (list, NULL),
            "conditions": (dict, NULL),
            "rules": (list, NULL),
        },
        choices={
            "target": ("branch", "tag", "push"),
            "enforcement": ("disabled", "active", "evaluate"),
        },
    ),
    "autolinks": SectionSpec(
        "autolinks",
        "key_prefix",
        {"key_prefix": str, "url_template": str, "is_alphanumeric": (bool, NULL)},
        case_insensitive=True,
    ),
}


def parse_items(
    problems: Problems, spec: SectionSpec, node: Any, line: int, notes: list[str]
) -> ItemList | None:
    """The section's items, every problem added to ``problems``."""
    prune = False
    if isinstance(node, Mapping):
        check_types(problems, node, f"{spec.name}.", {"prune": bool, "items": list})
        prune = bool(node.get("prune"))
        node = node.get("items") or []
    if not isinstance(node, list):
        problems.add(line, spec.name, f"expected a list of {{{spec.key}, ...}}")
        return None
    items: list[Item] = []
    seen: dict[str, int] = {}
    ignored_seen: set[str] = set()
    for index, entry in enumerate(node):
        where = f"{spec.name}[{index}]"
        at = item_line(node, index)
        if not isinstance(entry, Mapping) or not isinstance(entry.get(spec.key), (str, int)):
            problems.add(at, where, f"expected a mapping with a {spec.key}")
            continue
        if isinstance(entry.get(spec.key), bool):
            problems.add(at, f"{where}.{spec.key}", "expected text")
            continue
        types = {**spec.fields, **dict.fromkeys(spec.ignored, object)}
        check_types(problems, entry, f"{where}.", types)
        for key, allowed in spec.choices.items():
            value = entry.get(key)
            if value is not None and value not in allowed:
                problems.add(
                    line_of(entry, key), f"{where}.{key}", f"expected one of {', '.join(allowed)}"
                )
        key = str(entry[spec.key])
        identity = key.lower() if spec.case_insensitive else key
        if identity in seen:
            problems.add(at, where, f"{key} is listed twice (also line {seen[identity]})")
            continue
        seen[identity] = at
        for name, why in spec.ignored.items():
            if name in entry and name not in ignored_seen:
                ignored_seen.add(name)
                notes.append(f"{spec.name}: {name} is not applied: {why}")
        fields = {k: plain(v) for k, v in entry.items() if k in spec.fields and k != spec.key}
        if isinstance(fields.get("color"), (int, float)):
            fields["color"] = as_written(entry["color"])
        color = fields.get("color")
        if isinstance(color, str) and not _COLOR.fullmatch(color.strip().lstrip("#")):
            problems.add(line_of(entry, "color"), f"{where}.color", "expected 6 (or 3) hex digits")
        _check_item(problems, spec, entry, where)
        items.append(Item(key, fields, at))
    return ItemList(tuple(items), prune)


def _check_item(
    problems: Problems, spec: SectionSpec, entry: Mapping[str, Any], where: str
) -> None:
    """What GitHub would refuse in an environment or an autolink, found before any write."""
    if spec.name == "autolinks" and "<num>" not in str(entry.get("url_template", "")):
        problems.add(line_of(entry, "url_template"), f"{where}.url_template", "must hold <num>")
    due = entry.get("due_on")
    if spec.name == "milestones" and isinstance(due, str) and not _is_date(due):
        problems.add(
            line_of(entry, "due_on"),
            f"{where}.due_on",
            f"{due!r} is not a date (2030-01-31, or 2030-01-31T00:00:00Z)",
        )
    if spec.name != "environments":
        return
    wait = entry.get("wait_timer")
    if isinstance(wait, int) and not isinstance(wait, bool) and not 0 <= wait <= 43_200:
        problems.add(line_of(entry, "wait_timer"), f"{where}.wait_timer", "0 to 43200 minutes")
    reviewers = entry.get("reviewers")
    if isinstance(reviewers, list) and (
        len(reviewers) > 6
        or not all(
            isinstance(r, Mapping)
            and r.get("type") in ("User", "Team")
            and isinstance(r.get("id"), int)
            and not isinstance(r.get("id"), bool)
            for r in reviewers
        )
    ):
        problems.add(
            line_of(entry, "reviewers"),
            f"{where}.reviewers",
            "up to six {type: User or Team, id: <number>}",
        )
    policy = entry.get("deployment_branch_policy")
    if isinstance(policy, Mapping):
        before = len(problems.items)
        check_types(
            problems,
            policy,
            f"{where}.deployment_branch_policy.",
            {
                "protected_branches": bool,
                "custom_branch_policies": (bool, list),
                "custom_branches": (list, NULL),
            },
        )
        custom = deployment_pattern_syntax.custom_on(policy)
        typed = len(problems.items) == before  # a wrong type is said once
        if typed and bool(policy.get("protected_branches")) == custom:
            problems.add(
                line_of(entry, "deployment_branch_policy"),
                f"{where}.deployment_branch_policy",
                "exactly one of protected_branches and custom_branch_policies is true "
                "(listed patterns count as true)",
            )
        deployment_pattern_syntax.check(problems, policy, f"{where}.deployment_branch_policy")


def _is_date(text: str) -> bool:
    """A date GitHub takes for a milestone: the day is what counts (see items.MILESTONES)."""
    from datetime import date

    try:
        date.fromisoformat(text.strip()[:10])
    except ValueError:
        return False
    return True


def level(permission: str | None) -> str | None:
    """A permission in the REST API's words (read is pull, write is push)."""
    if permission is None:
        return None
    return PERMISSION_ALIASES.get(permission, permission)
