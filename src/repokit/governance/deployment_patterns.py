"""An environment's deployment branch and tag patterns: which refs may deploy to it.

``deployment_branch_policy.custom_branch_policies`` is true or false on GitHub's environment
itself; the patterns are items of their own (``/environments/{name}/deployment-branch-policies``).
A file lists them in one of the shapes settings files use::

    deployment_branch_policy:                     # probot/settings (repository-settings/app)
      custom_branches: [main, {name: "v*", type: tag}]
    deployment_branch_policy:                     # safe-settings: the list in place of true
      protected_branches: false
      custom_branch_policies: [main, {names: ["v*", "hotfix-*"], type: tag}]

Each entry is a branch pattern as text, GitHub's ``{name, type}`` or safe-settings'
``{names: [...], type}`` (``type`` is branch when left out). A list, even an empty one,
turns custom branch policies on and manages the patterns: a missing one is created; one on
GitHub that the file does not list is kept and shown as unmanaged, and deleted only when
the section (or the command) prunes. A pattern is its name and its type together: GitHub
may hold ``v*`` as a branch and as a tag. ``custom_branch_policies: true`` alone leaves the
patterns as they are, and they are not even read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from repokit.governance.deployment_pattern_syntax import Pattern, wanted
from repokit.governance.items import Live, SectionPlan, quoted
from repokit.governance.plan import Change, Request
from repokit.governance.sections import ItemList

if TYPE_CHECKING:
    from repokit.github import GitHub

COLLECTION = "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
ONE = f"{COLLECTION}/{{branch_policy_id}}"


def managed(environments: ItemList) -> list[str]:
    """The environments whose patterns the file lists: only theirs are read."""
    return [
        item.key
        for item in environments.items
        if wanted(item.fields.get("deployment_branch_policy")) is not None
    ]


def read(github: GitHub, name: str) -> list[dict[str, Any]]:
    """The patterns of environment ``name`` as GitHub lists them (``id``, ``name``, ``type``)."""
    path = f"/repos/{github.slug}/environments/{quoted(name)}/deployment-branch-policies"
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = github.send(
            f"read the deployment patterns of {name}", "GET", f"{path}?per_page=100&page={page}"
        )
        batch = answer.get("branch_policies") if isinstance(answer, Mapping) else None
        found += [dict(p) for p in batch or []]
        if len(batch or []) < 100:
            return found
        page += 1


def read_live(
    github: GitHub, environments: Sequence[Live], names: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The patterns of the named environments; none is read where custom policies are off."""
    wanted_names = set(names)
    return {
        str(env["name"]): read(github, str(env["name"]))
        for env in environments
        if env.get("name") in wanted_names and _live_custom(env)
    }


def _live_custom(env: Live) -> bool:
    policy = env.get("deployment_branch_policy")
    return isinstance(policy, Mapping) and bool(policy.get("custom_branch_policies"))


def exported(github: GitHub, env: Live) -> dict[str, Any] | None:
    """The environment's policy as the file writes it: its patterns listed, if it has any."""
    policy = env.get("deployment_branch_policy")
    if not _live_custom(env):
        return dict(policy) if isinstance(policy, Mapping) else None
    patterns = [
        {"name": p["name"], "type": p.get("type") or "branch"}
        for p in read(github, str(env["name"]))
    ]
    exported: dict[str, Any] = {"protected_branches": False, "custom_branch_policies": True}
    if patterns:  # probot/settings' key: the file reads the same to probot
        exported["custom_branches"] = patterns
    return exported


def plan(
    repo: str,
    environments: ItemList,
    live: Mapping[str, Sequence[Live]],
    *,
    prune: bool,
) -> SectionPlan:
    """The patterns to create and (pruning) delete, after the environments' own writes."""
    result = SectionPlan([], [], [])
    for item in environments.items:
        want = wanted(item.fields.get("deployment_branch_policy"))
        if want is None:
            continue
        name = item.key
        path = f"/repos/{repo}/environments/{quoted(name)}/deployment-branch-policies"
        have = {
            Pattern(str(p["name"]), str(p.get("type") or "branch")): p for p in live.get(name, [])
        }
        for pattern in want:
            if pattern in have:
                continue
            setting = f"{name} {pattern.type} pattern {pattern.name}"
            result.changes.append(Change("environments", setting, "absent", "present"))
            body = {"name": pattern.name, "type": pattern.type}
            request = Request("POST", path, COLLECTION, body)
            text = f"add {pattern.type} pattern {pattern.name} to environment {name}"
            result.writes.append((text, request, item.line))
        for pattern, current in have.items():
            if pattern in want:
                continue
            if prune or environments.prune:
                setting = f"{name} {pattern.type} pattern {pattern.name}"
                result.changes.append(Change("environments", setting, "present", "absent (pruned)"))
                request = Request("DELETE", f"{path}/{current['id']}", ONE)
                text = f"remove {pattern.type} pattern {pattern.name} from environment {name}"
                result.writes.append((text, request, item.line))
            else:
                result.unmanaged.append(f"{name}: {pattern.name} ({pattern.type})")
    return result
