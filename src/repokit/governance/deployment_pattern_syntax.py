"""The shapes a settings file gives an environment's deployment patterns, checked and read.

Pure: the file's policy mapping in, the patterns (or the problems) out. Reading GitHub's
patterns and planning the writes belong to :mod:`repokit.governance.deployment_patterns`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from repokit.governance.yamlfile import Problems, check_types, item_line, line_of

TYPES = ("branch", "tag")
_SHAPES = "a pattern, {name: <pattern>, type: branch or tag} or {names: [...], type: ...}"


class Pattern(NamedTuple):
    name: str
    type: str


#: Where a file lists the patterns: probot/settings' key, then safe-settings' (in place of true).
KEYS = ("custom_branches", "custom_branch_policies")


def listed(policy: Any) -> tuple[str, list[Any]] | None:
    """The key that lists the patterns, and its list; None when the file lists none."""
    if not isinstance(policy, Mapping):
        return None
    return next(((k, policy[k]) for k in KEYS if isinstance(policy.get(k), list)), None)


def custom_on(policy: Mapping[str, Any]) -> bool:
    """GitHub's ``custom_branch_policies`` flag: true, or patterns listed."""
    return policy.get("custom_branch_policies") is True or listed(policy) is not None


def wanted(policy: Any) -> list[Pattern] | None:
    """The patterns the file lists, in its order; None when it lists none."""
    found_list = listed(policy)
    if found_list is None:
        return None
    found: list[Pattern] = []
    for entry in found_list[1]:
        if isinstance(entry, str):
            found.append(Pattern(entry, "branch"))
        elif isinstance(entry, Mapping):
            kind = str(entry.get("type") or "branch")
            names = entry["names"] if "names" in entry else [entry.get("name")]
            found += [Pattern(str(name), kind) for name in names or []]
    return list(dict.fromkeys(found))


def check(problems: Problems, policy: Mapping[str, Any], where: str) -> None:
    """Every problem of a list of patterns, each at its line, before anything is read."""
    given = [key for key in KEYS if isinstance(policy.get(key), list)]
    if len(given) == 2:
        text = "list the patterns once: in custom_branches, or in custom_branch_policies"
        problems.add(line_of(policy, "custom_branches"), f"{where}.custom_branches", text)
        return
    if given == ["custom_branches"] and policy.get("custom_branch_policies") is False:
        text = "false, yet custom_branches lists patterns: make it true or leave it out"
        at = line_of(policy, "custom_branch_policies")
        problems.add(at, f"{where}.custom_branch_policies", text)
        return
    if not given:
        return
    value = policy[given[0]]
    prefix = f"{where}.{given[0]}"
    seen: dict[Pattern, int] = {}
    for index, entry in enumerate(value):
        at = item_line(value, index) or line_of(policy, given[0])
        key = f"{prefix}[{index}]"
        names: list[Any]
        kind: Any = "branch"
        if isinstance(entry, str):
            names = [entry]
        elif isinstance(entry, Mapping):
            before = len(problems.items)
            check_types(
                problems, entry, f"{key}.", {"name": str, "names": list, "type": (str, type(None))}
            )
            if len(problems.items) > before:
                continue  # a value of the wrong type, said once
            if ("name" in entry) == ("names" in entry):
                both = ", not both" if "name" in entry else ""
                problems.add(at, key, f"give name: (one pattern) or names: (a list){both}")
                continue
            kind = entry.get("type") or "branch"
            if kind not in TYPES:
                problems.add(
                    line_of(entry, "type"), f"{key}.type", f"expected branch or tag, got {kind!r}"
                )
                continue
            names = list(entry["names"]) if "names" in entry else [entry["name"]]
        else:
            problems.add(at, key, f"expected {_SHAPES}")
            continue
        for name in names:
            if not isinstance(name, str) or isinstance(name, bool) or not name.strip():
                problems.add(at, key, "a pattern is non-empty text, such as release/*")
                continue
            pattern = Pattern(name, str(kind))
            if pattern in seen:
                problems.add(at, key, f"{kind} {name} is listed twice (also line {seen[pattern]})")
                continue
            seen[pattern] = at
