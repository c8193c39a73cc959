"""The status checks a repository's workflows report, named as GitHub names them.

A job's ``name:`` or else its id; a matrix job adds `` (v1, v2)`` unless its name already
uses matrix values; a job that calls a reusable workflow reports ``caller / called``.
Branch protection requires these names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.ci.expressions import Context, Unresolved, interpolate, references
from repokit.ci.model import Job, Workflow, combinations, load_workflow, load_workflows

#: Events whose runs report checks on a pull request into the protected branch.
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


@dataclass(frozen=True)
class Check:
    """One status check a workflow's job reports, and whether it reports on pull requests."""

    name: str
    workflow: str
    job: str
    triggers: tuple[str, ...]
    reports_on_pull_requests: bool
    reason: str | None = None
    resolved: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "workflow": self.workflow,
            "job": self.job,
            "triggers": list(self.triggers),
            "reports_on_pull_requests": self.reports_on_pull_requests,
            "reason": self.reason,
            "resolved": self.resolved,
        }


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


# --- check names ---------------------------------------------------------------------------


def job_check_names(job: Job) -> list[str]:
    """The check names this job reports (before a reusable workflow's jobs are added)."""
    combos = combinations(job.matrix)
    uses_matrix = job.name is not None and any(
        ref.startswith("matrix") for ref in references(job.name)
    )
    names: list[str] = []
    for combo in combos:
        if job.name is not None and references(job.name):
            context = Context(values={"matrix": combo}, strict=True)
            if not uses_matrix or any(not r.startswith("matrix") for r in references(job.name)):
                raise Unresolved(job.name)
            names.append(interpolate(job.name, context))
        elif combo:
            values = ", ".join(_value_text(v) for v in combo.values())
            names.append(f"{job.display_name} ({values})")
        else:
            names.append(job.display_name)
    return list(dict.fromkeys(names))


def checks(
    directory: Path, files: Sequence[str] | None = None, branch: str = "main"
) -> list[Check]:
    """Every check the workflows report, each with its workflow, job and PR reporting."""
    result: list[Check] = []
    for workflow in load_workflows(directory, files):
        events = tuple(workflow.triggers)
        reports, why = reports_on_pull_requests(workflow, branch)
        for job in workflow.jobs.values():
            for name, resolved, reason in _names_with_calls(directory, job, depth=0):
                result.append(
                    Check(
                        name=name,
                        workflow=workflow.file,
                        job=job.id,
                        triggers=events,
                        reports_on_pull_requests=reports,
                        reason=reason or why,
                        resolved=resolved,
                    )
                )
    return result


def _names_with_calls(directory: Path, job: Job, depth: int) -> list[tuple[str, bool, str | None]]:
    try:
        names = job_check_names(job)
    except Unresolved as unresolved:
        why = f"job {job.id}: its name or matrix ({unresolved}) is only known when it runs"
        return [(job.display_name, False, why)]
    if job.uses is None:
        return [(name, True, None) for name in names]
    if not job.uses.startswith("./") or depth > 3:
        why = f"job {job.id} calls {job.uses}; its jobs' names are not known here"
        return [(f"{name} / *", False, why) for name in names]
    called_path = directory.parent.parent / job.uses.removeprefix("./")
    if not called_path.is_file():
        why = f"job {job.id} calls {job.uses}, which does not exist"
        return [(f"{name} / *", False, why) for name in names]
    called = load_workflow(called_path)
    result: list[tuple[str, bool, str | None]] = []
    for name in names:
        for inner in called.jobs.values():
            for inner_name, resolved, reason in _names_with_calls(directory, inner, depth + 1):
                result.append((f"{name} / {inner_name}", resolved, reason))
    return result


# --- triggers ------------------------------------------------------------------------------


def reports_on_pull_requests(workflow: Workflow, branch: str) -> tuple[bool, str | None]:
    """Whether every pull request into ``branch`` runs this workflow, and if not, why."""
    events = [e for e in PULL_REQUEST_EVENTS if e in workflow.triggers]
    if not events:
        started_by = ", ".join(workflow.triggers) or "nothing"
        why = f"{workflow.file} does not run on pull requests (it runs on: {started_by})"
        return False, why
    reasons: list[str] = []
    for event in events:
        settings = workflow.triggers[event]
        settings = settings if isinstance(settings, Mapping) else {}
        if not _branch_selected(settings, branch):
            reasons.append(f"{workflow.file}: {event} filters out pull requests into {branch}")
            continue
        paths = [key for key in ("paths", "paths-ignore") if settings.get(key)]
        if paths:
            reasons.append(
                f"{workflow.file}: {event} has a {paths[0]} filter, so it does not run on every "
                "pull request"
            )
            continue
        return True, None
    return False, "; ".join(reasons)


def _branch_selected(settings: Mapping[str, Any], branch: str) -> bool:
    included = settings.get("branches")
    ignored = settings.get("branches-ignore")
    if included is not None:
        return filter_selects(_patterns(included), branch)
    if ignored is not None:
        return not filter_selects(_patterns(ignored), branch)
    return True


def _patterns(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def filter_selects(patterns: Sequence[str], name: str) -> bool:
    """GitHub's filter rule: the last pattern that matches decides; ``!`` patterns exclude."""
    selected = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if glob_pattern(pattern[1:]).fullmatch(name):
                selected = False
        elif glob_pattern(pattern).fullmatch(name):
            selected = True
    return selected


def glob_pattern(pattern: str) -> re.Pattern[str]:
    """GitHub's filter pattern syntax: ``*`` within a path segment, ``**`` across them."""
    out = ""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            continue
        out += {"*": "[^/]*", "?": ".", "+": "+"}.get(char, re.escape(char))
        i += 1
    return re.compile(out)
