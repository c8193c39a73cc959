"""Governance as a reconcile: desired state -> live state -> changes -> apply -> read back.

Required status checks can come from the workflows (``from_workflows``). A required check
that would never report on a pull request into the branch (its workflow runs only by hand,
or filters the branch or paths out) would block every pull request, so it is refused
unless the user says otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repokit.config import Config
from repokit.errors import GitHubError, RepokitError
from repokit.github import GitHub
from repokit.governance.live import LiveState, read
from repokit.governance.model import Settings
from repokit.governance.plan import (
    Change,
    DesiredBranch,
    branch_changes,
    desired_write_shape,
    merged_protection,
    repository_changes,
    topic_changes,
)

SECTIONS = ("repository", "branches")


class GovernanceError(RepokitError):
    """The desired state cannot be applied as written."""


@dataclass
class Write:
    """One write request: what it does and the call that does it."""

    description: str
    do: Callable[[], None]


@dataclass
class Reconcile:
    settings: Settings
    desired: dict[str, DesiredBranch]
    warnings: list[str] = field(default_factory=list)
    live: LiveState | None = None
    changes: list[Change] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)


def desired_branches(
    settings: Settings,
    config: Config,
    *,
    only: str | None = None,
    allow_unreported: bool = False,
) -> tuple[dict[str, DesiredBranch], list[str]]:
    """Each branch's protection in write shape, required checks resolved from the workflows."""
    from repokit.workflows import checks

    desired: dict[str, DesiredBranch] = {}
    warnings: list[str] = []
    rules = [r for r in settings.branches if only is None or r.name == only]
    if only is not None and not rules:
        msg = f"{settings.path}: no branches entry for {only}"
        raise GovernanceError(msg, hint=f"add '- name: {only}' with its protection under branches:")
    for rule in rules:
        status = rule.protection.get("required_status_checks")
        names: list[str] | None = None
        if isinstance(status, Mapping) and status.get("from_workflows"):
            files = status["from_workflows"]
            directory = config.root / config.workflows_dir
            found = checks(directory, None if files is True else list(files), branch=rule.name)
            unresolved = [c for c in found if not c.resolved]
            if unresolved:
                first = unresolved[0]
                msg = (
                    f"required check of {first.workflow} cannot be named statically: {first.reason}"
                )
                raise GovernanceError(
                    msg, hint="give that job a plain name:, or list checks: by hand"
                )
            silent = [c for c in found if not c.reports_on_pull_requests]
            if silent:
                workflow = silent[0].workflow
                names_text = ", ".join(c.name for c in silent)
                msg = (
                    f"required checks {names_text} would never report on pull requests into "
                    f"{rule.name}: {silent[0].reason}"
                )
                if not allow_unreported:
                    stem = Path(workflow).stem
                    hint = (
                        "turn on its pull_request trigger ('inv workflows.enable --workflow "
                        f"{stem}' or edit on:), or pass --allow-unreported-checks"
                    )
                    raise GovernanceError(msg, hint=hint)
                warnings.append(msg)
            names = list(dict.fromkeys(c.name for c in found))
        desired[rule.name] = DesiredBranch(
            name=rule.name,
            protection=desired_write_shape(rule.protection, names),
            required_signatures=rule.protection.get("required_signatures"),
        )
    return desired, warnings


def plan(
    settings: Settings,
    desired: dict[str, DesiredBranch],
    github: GitHub,
    *,
    sections: tuple[str, ...] = SECTIONS,
) -> Reconcile:
    """Read the live state and compute the changes and the write requests that make them."""
    result = Reconcile(settings=settings, desired=desired)
    branches = list(desired) if "branches" in sections else []
    live = read(github, branches)
    result.live = live
    if "repository" in sections:
        repo_changes = repository_changes(settings.repository, live.repository)
        result.changes += repo_changes
        if repo_changes:
            fields = {c.setting: c.desired for c in repo_changes}
            result.writes.append(
                Write(
                    f"PATCH repository: {', '.join(fields)}",
                    lambda: github.update_repository(fields),
                )
            )
        topics = topic_changes(settings.topics, live.topics)
        result.changes += topics
        if topics:
            wanted = list(settings.topics or ())
            result.writes.append(Write("PUT topics", lambda: github.replace_topics(wanted)))
    for name in branches:
        want, have = desired[name], live.branches[name]
        result.warnings += _unreported(github, name, want)
        changes = branch_changes(want, have)
        result.changes += changes
        protection_changed = any(c.setting != "required_signatures" for c in changes)
        if protection_changed:
            body = merged_protection(have.protection, want.protection)
            result.writes.append(
                Write(f"PUT protection of {name}", _bind(github.put_protection, name, body))
            )
        signatures = want.required_signatures
        if signatures is not None and (signatures != have.required_signatures):
            verb = "POST" if signatures else "DELETE"
            result.writes.append(
                Write(
                    f"{verb} required signatures of {name}",
                    _bind(github.set_signatures, name, signatures),
                )
            )
    return result


def _unreported(github: GitHub, branch: str, want: DesiredBranch) -> list[str]:
    """Required checks that the branch's latest commit has not reported: a typo or a renamed
    job would block every pull request."""
    status = want.protection.get("required_status_checks")
    if not isinstance(status, Mapping) or not status.get("checks"):
        return []
    reported = github.reported_checks(branch)
    missing = [c["context"] for c in status["checks"] if c["context"] not in reported]
    if not missing:
        return []
    return [
        f"required check(s) {', '.join(missing)} have not reported on the latest commit of "
        f"{branch}; make sure they run before relying on them"
    ]


def _bind(function: Callable[[str, Any], None], name: str, value: Any) -> Callable[[], None]:
    return lambda: function(name, value)


def apply(result: Reconcile, progress: Callable[[str], None]) -> list[str]:
    """Make the writes in order; on failure say what was applied and what was not."""
    applied: list[str] = []
    for index, write in enumerate(result.writes):
        progress(write.description)
        try:
            write.do()
        except RepokitError as error:
            missing = [w.description for w in result.writes[index:]]
            done = "; ".join(applied) or "nothing"
            msg = f"{error.message} -- applied: {done}; not applied: {'; '.join(missing)}"
            raise GitHubError(
                msg, hint="run the same command again: it applies only what is missing"
            ) from None
        applied.append(write.description)
    return applied


def verify(result: Reconcile, github: GitHub, sections: tuple[str, ...] = SECTIONS) -> None:
    """Read the live state again; what was asked for must now be live."""
    github.forget()  # read the repository afresh
    again = plan(result.settings, result.desired, github, sections=sections)
    if again.changes:
        left = "; ".join(
            f"{c.section} {c.setting}: {show(c.live)} != {show(c.desired)}" for c in again.changes
        )
        msg = f"GitHub does not show what was applied: {left}"
        raise GitHubError(
            msg, hint="a rule of the organisation may override it; check the repository settings"
        )


def show(value: Any) -> str:
    """A compact, stable text for a setting's value in the plan table."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(
            isinstance(v, Mapping) and "context" in v for v in value
        ):
            return ", ".join(str(v["context"]) for v in value) or "[]"
        return json.dumps(value, sort_keys=True)
    return str(value)
